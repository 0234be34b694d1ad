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

  it('when the store fails, events wait in the journal (memory stays bounded), the sink reports saturation, and nothing is lost', async () => {
    let failing = true;
    const flaky = Object.create(store) as EventStore;
    flaky.append = async (events, now) => {
      if (failing) throw new Error('database is down');
      return store.append(events, now);
    };
    const jdir = join(dir, 'j2');
    const sink = await EventSink.start(flaky, { journalDir: jdir, maxQueue: 3, batchSize: 2, flushIntervalMs: 10_000 });
    const evs = Array.from({ length: 4 }, () => toEvent(makeExchange()));
    for (const e of evs.slice(0, 2)) sink.record(e);
    await sink.flush();
    assert.ok(sink.storeErrors >= 1);
    assert.equal(sink.pending, 2, 'the failed batch waits in its journal file');
    assert.equal(sink.saturated, false, 'a failed batch does not stay in memory');
    // While the store is down, new events queue up to maxQueue, then go to the journal only.
    const more = Array.from({ length: 6 }, () => toEvent(makeExchange()));
    for (const e of more) sink.record(e);
    assert.equal(sink.saturated, true, 'admission can refuse new requests');
    assert.equal(sink.spilled, 3, 'past maxQueue, events are kept on disk only');
    assert.equal(sink.pending, 8);
    const onDisk = readdirSync(jdir).map((f) => readFileSync(join(jdir, f), 'utf8')).join('');
    for (const e of [...evs.slice(0, 2), ...more]) assert.ok(onDisk.includes(e.id), 'every event is in the journal');
    failing = false;
    await sink.close();
    assert.equal(sink.pending, 0);
    const ids = new Set((await store.query({ limit: 100 })).map((r) => r.event.id));
    for (const e of [...evs.slice(0, 2), ...more]) assert.ok(ids.has(e.id), 'stored once the store is back');
    assert.equal((await store.query({ limit: 100 })).length, ids.size, 'no event stored twice');
    assert.deepEqual(readdirSync(jdir), [], 'journal files are removed once stored');
    assert.equal((await store.verify()).ok, true);
  });

  it('journal files left by a crashed run are replayed once the store opens', async () => {
    const jdir = join(dir, 'j3');
    const crashed = new EventSink(Promise.reject(new Error('down')), { journalDir: jdir });
    const evs = Array.from({ length: 3 }, () => toEvent(makeExchange()));
    for (const e of evs) crashed.record(e);
    // Simulate a crash: the process ends without flushing (files stay, not in use by anyone).
    await crashed.close();
    assert.ok(readdirSync(jdir).length >= 1);
    const fresh = await EventSink.start(store, { journalDir: jdir });
    const ids = new Set((await store.query({ limit: 200 })).map((r) => r.event.id));
    for (const e of evs) assert.ok(ids.has(e.id));
    await fresh.close();
    assert.deepEqual(readdirSync(jdir), []);
  });
});
