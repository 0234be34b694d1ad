/**
 * PostgreSQL down when the gateway starts: in keys mode requests get a retryable 503 saying why, their
 * events wait in the on-disk journal, and once the database answers (a TCP relay to the real server
 * starts listening on the port the config names) keys are checked, requests are served and every
 * waiting event is stored — without restarting the gateway.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import { openDb } from '../../src/audit/open-store.js';
import { AccessKeys } from '../../src/identity/access-keys.js';
import { testPostgres, type TestPostgres } from '../helpers/postgres.js';
import { load, post } from './gateway-fixture.js';
import { freePort } from '../helpers/free-port.js';


describe('event store down at start, then back', () => {
  let pgt: TestPostgres;
  let dir: string;
  let gw: Gateway;
  let relay: Server | undefined;
  const sockets = new Set<Socket>();
  let key: string;
  let loaded: ReturnType<typeof load>;
  let port: number;

  before(async () => {
    pgt = await testPostgres('recovery');
    dir = mkdtempSync(join(tmpdir(), 'kt-recovery-'));
    const db = await openDb({ url: pgt.url, schema: pgt.schema }, dir);
    ({ key } = await new AccessKeys(db).create({ name: 'dev', userId: 'dana' }));
    await db.close();
    port = await freePort(); // nothing listens here yet
    const down = new URL(pgt.url);
    down.port = String(port);
    loaded = load(`
pack: { name: recovery, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers: { targets: [{ id: demo, provider: demo }] }
gateway: { data_dir: ${JSON.stringify(dir)}, auth: { mode: keys } }
store: { url: ${JSON.stringify(down.toString())}, schema: ${pgt.schema} }
`);
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false });
  });

  after(async () => {
    await gw.close();
    await closeEvidence();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (relay ? relay.close(() => r()) : r()));
    await pgt.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = (id: string) =>
    post(`${gw.url}/v1/chat/completions`, { model: 'demo', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${key}`, 'x-request-id': id });

  it('answers a retryable 503 naming the key store, and keeps the events in the journal', async () => {
    const r = await ask('while-down-1');
    assert.equal(r.status, 503, r.text);
    assert.notEqual(r.headers.get('x-should-retry'), 'false');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.match(r.json.error.message, /access keys cannot be checked right now \(the key store is unavailable\); retry shortly/);
    assert.equal((await ask('while-down-2')).status, 503);
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    assert.ok(ev.sink.pending >= 2, 'the events wait');
    const journal = readdirSync(join(dir, 'journal')).map((f) => readFileSync(join(dir, 'journal', f), 'utf8')).join('');
    assert.ok(journal.includes('while-down-1') && journal.includes('while-down-2'));
  });

  it('recovers when the database comes back: keys checked, requests served, waiting events stored', async () => {
    const real = new URL(pgt.url);
    relay = createServer((c) => {
      const up = connect(Number(real.port || 5432), real.hostname);
      sockets.add(c).add(up);
      c.pipe(up).pipe(c);
      const end = () => (c.destroy(), up.destroy());
      c.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => relay!.listen(port, '127.0.0.1', () => r()));
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await ask(`after-${i}`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200, 'served once PostgreSQL is reachable again (the backoff is at most 2 s)');
    const ev = evidenceFor(loaded.config);
    let ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      await ev.sink.flush();
      ids = new Set((await (await ev.store).query({ limit: 1000 })).map((e) => e.event.request_id));
      if (ids.has('while-down-1') && ids.has('while-down-2')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ids.has('while-down-1') && ids.has('while-down-2'), 'the events from the outage are stored');
    assert.equal(ev.sink.pending, 0);
    const down = (await (await ev.store).query({ limit: 1000 })).find((e) => e.event.request_id === 'while-down-1')!.event;
    assert.deepEqual([down.verdict, down.reason_code, down.outcome, down.status], ['block', 'store_unavailable', 'refused', 503]);
    assert.equal((await (await ev.store).verify()).ok, true);
  });
});
