/**
 * `kill -9` of a gateway under load loses no decision event of a request whose response completed:
 * each event is in the on-disk journal before the response path moves on, and the next start replays
 * the journal of the dead process into the store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/audit/open-store.js';
import { EventStore } from '../../src/audit/event-store.js';
import { EventSink } from '../../src/audit/sink.js';
import { startChildGateway, type ChildGateway } from './child-gateway.js';

describe('kill -9 under load', () => {
  let dir: string;
  let gw: ChildGateway;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-crash-'));
    gw = await startChildGateway(`
pack: { name: crash, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  targets:
    - { id: demo, provider: demo }
gateway:
  data_dir: ${JSON.stringify(dir)}
`);
  });
  after(async () => {
    await gw.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every completed response has its event after a restart', async () => {
    const completed: string[] = [];
    let stop = false;
    let n = 0;
    const worker = async () => {
      while (!stop) {
        const id = `crash-${n++}`;
        try {
          const res = await fetch(`${gw.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': id },
            body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: `request ${id}` }] }),
          });
          await res.text();
          if (res.status === 200) completed.push(id);
        } catch {
          return; // the gateway died under us: this request did not complete
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (completed.length < 100) await new Promise((r) => setTimeout(r, 5));
    await gw.kill9();
    stop = true;
    await Promise.all(workers);
    const journals = readdirSync(join(dir, 'journal'));
    assert.ok(journals.length > 0, 'the dead process left its journal behind');

    const store = await EventStore.open(await openDb({}, dir));
    try {
      const sink = await EventSink.start(store, { journalDir: EventSink.journalDirFor(dir) });
      await sink.close();
      const stored = new Set((await store.query({ limit: 100_000 })).map((r) => r.event.request_id));
      const missing = completed.filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${completed.length} completed requests have no event`);
      assert.equal((await store.verify()).ok, true);
      assert.deepEqual(readdirSync(join(dir, 'journal')), [], 'replayed journals are removed');
    } finally {
      await store.close();
    }
  });
});
