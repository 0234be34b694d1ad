/** The sink never drops: a failing store makes events wait (and the sink report saturation), then they are stored in order. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/audit/open-store.js';
import { EventStore } from '../../src/audit/event-store.js';
import { EventSink } from '../../src/audit/sink.js';
import { toEvent } from '../../src/audit/event.js';
import { makeExchange } from './exchange-fixture.js';

describe('event sink', () => {
  let dir: string;
  let store: EventStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-sink-'));
    store = await EventStore.open(await openDb({}, dir));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('batches events, journals them first, and deletes the journal once stored', async () => {
    const sink = await EventSink.start(store, { journalDir: join(dir, 'j1'), flushIntervalMs: 10_000 });
    const seen: number[] = [];
    sink.subscribe((_ev, seq) => seen.push(seq));
    const evs = Array.from({ length: 5 }, () => toEvent(makeExchange()));
    for (const e of evs) sink.record(e);
    const journaled = readdirSync(join(dir, 'j1')).map((f) => readFileSync(join(dir, 'j1', f), 'utf8')).join('');
    for (const e of evs) assert.ok(journaled.includes(e.id), 'on disk before any store write');
    assert.equal(sink.pending, 5);
    await sink.flush();
    assert.equal(sink.pending, 0);
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    await sink.close();
    assert.deepEqual(readdirSync(join(dir, 'j1')), []);
  });

  it('when the store fails, events wait, the sink reports saturation, and nothing is lost', async () => {
    let failing = true;
    const flaky = Object.create(store) as EventStore;
    flaky.append = async (events, now) => {
      if (failing) throw new Error('database is down');
      return store.append(events, now);
    };
    const sink = await EventSink.start(flaky, { journalDir: join(dir, 'j2'), maxQueue: 3, batchSize: 2 });
    const evs = Array.from({ length: 4 }, () => toEvent(makeExchange()));
    for (const e of evs) sink.record(e);
    await sink.flush();
    assert.equal(sink.pending, 4);
    assert.equal(sink.saturated, true, 'admission can refuse new requests');
    assert.ok(sink.storeErrors >= 1);
    failing = false;
    await sink.close();
    assert.equal(sink.pending, 0);
    const ids = new Set((await store.query({ limit: 100 })).map((r) => r.event.id));
    for (const e of evs) assert.ok(ids.has(e.id));
    assert.equal((await store.verify()).ok, true);
  });
});
