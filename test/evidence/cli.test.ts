/** kt events / keys / spend against a real SQLite store, and the bin's exit code for a broken chain. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openDb } from '../../src/audit/open-store.js';
import { EventStore } from '../../src/audit/event-store.js';
import { toEvent } from '../../src/audit/event.js';
import { eventsExport, eventsTail, eventsVerify, CSV_COLUMNS } from '../../src/audit/cli/events-cmd.js';
import { keysCreate, keysList, keysRevoke } from '../../src/identity/cli/keys-cmd.js';
import { spend } from '../../src/cost/cli/spend-cmd.js';
import { ExitError } from '../../src/cli/exit.js';
import { main } from '../../src/cli/main.js';
import { makeExchange } from './exchange-fixture.js';


function capture(): { out: Writable; text(): string } {
  let s = '';
  return {
    out: new Writable({
      write(chunk, _enc, cb) {
        s += chunk.toString();
        cb();
      },
    }),
    text: () => s,
  };
}

describe('kt events, keys and spend', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-cli-'));
    const store = await EventStore.open(await openDb({}, dir));
    const hour = 3_600_000;
    await store.append([
      toEvent(makeExchange({ startedAt: Date.now() - 3 * hour, requestId: 'old', principal: { kind: 'anonymous', userId: 'alice' }, costUsd: 1.5, usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: null, cacheWriteTokens: null } })),
      toEvent(
        makeExchange({
          requestId: 'blocked',
          verdict: 'block',
          outcome: 'blocked',
          status: 400,
          client: 'claude-cli',
          principal: { kind: 'anonymous', userId: 'bob' },
          policyResults: [
            {
              policy: 'code-sanitation',
              phase: 'input',
              verdict: 'block',
              latencyMs: 0.4,
              findings: [{ policy: 'code-sanitation', rule: 'aws-access-key', type: 'aws_access_key', category: 'secret', path: 'messages[0].content', start: 3, end: 23, action: 'block', fingerprint: 'hmac:ab12' }],
            },
          ],
        }),
      ),
      toEvent(makeExchange({ requestId: 'new, "quoted"', principal: { kind: 'anonymous', userId: 'alice' }, costUsd: 0.25, model: 'claude-sonnet-4-5' })),
      toEvent(makeExchange({ requestId: 'unpriced', principal: { kind: 'anonymous', userId: 'carol' }, costUsd: null, model: 'my-model', usage: { inputTokens: 3, outputTokens: 3, cacheReadTokens: null, cacheWriteTokens: null } })),
    ]);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tail prints oldest first, filters, and --json is NDJSON', async () => {
    const c = capture();
    await eventsTail({ dataDir: dir, stdout: c.out });
    const lines = c.text().trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1], /block\s+blocked\s+400\s+claude-cli\s+bob .*\[code-sanitation:block\(1\)\]/);
    const j = capture();
    await eventsTail({ dataDir: dir, json: true, verdict: 'block', stdout: j.out });
    const evs = j.text().trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(evs.map((e) => e.request_id), ['blocked']);
    assert.equal(evs[0].policies[0].findings[0].fingerprint, 'hmac:ab12');
    const s = capture();
    await eventsTail({ dataDir: dir, since: '1h', user: 'alice', json: true, stdout: s.out });
    assert.deepEqual(s.text().trim().split('\n').map((l) => JSON.parse(l).request_id), ['new, "quoted"']);
    const l = capture();
    await eventsTail({ dataDir: dir, limit: '1', client: 'curl', json: true, stdout: l.out });
    assert.equal(l.text().trim().split('\n').length, 1);
  });

  it('tail --follow with no gateway answering says so and polls the store', async () => {
    const c = capture();
    const e = capture();
    const ac = new AbortController();
    // Port 9 (discard) has nothing listening on loopback: no gateway answers.
    const following = eventsTail({ dataDir: dir, follow: true, url: 'http://127.0.0.1:9', json: true, limit: '1', intervalMs: 20, signal: ac.signal, stdout: c.out, stderr: e.out });
    await new Promise((r) => setTimeout(r, 100));
    const store = await EventStore.open(await openDb({}, dir));
    await store.append([toEvent(makeExchange({ requestId: 'live-1' }))]);
    await store.close();
    for (let i = 0; i < 100 && !c.text().includes('live-1'); i++) await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await following;
    assert.ok(c.text().includes('live-1'));
    assert.match(e.text(), /no gateway answered at http:\/\/127\.0\.0\.1:9 .*following the store by polling instead/);
  });

  it('export writes CSV and JSON for a time range', async () => {
    const csvFile = join(dir, 'out.csv');
    await eventsExport({ dataDir: dir, since: '2h', format: 'csv', output: csvFile });
    const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
    assert.equal(csv[0], CSV_COLUMNS.join(','));
    assert.ok(!csv.some((l) => l.includes(',old,')), '--since excludes the old event');
    assert.ok(csv.some((l) => l.includes('"new, ""quoted"""')), 'CSV quoting');
    assert.ok(csv.some((l) => l.includes('code-sanitation/aws-access-key@messages[0].content')));
    const c = capture();
    await eventsExport({ dataDir: dir, format: 'json', until: '1h', stdout: c.out });
    const arr = JSON.parse(c.text());
    assert.deepEqual(arr.map((e: { request_id: string }) => e.request_id), ['old']);
    await assert.rejects(eventsExport({ dataDir: dir, format: 'xml' }), (e: ExitError) => e.exitCode === 2);
  });

  it('spend groups cost by user and flags unpriced requests', async () => {
    const c = capture();
    await spend({ dataDir: dir, by: 'user', since: '1d', json: true, stdout: c.out });
    const { rows } = JSON.parse(c.text());
    const alice = rows.find((r: { key: string }) => r.key === 'alice');
    assert.equal(alice.cost_usd, 1.75);
    assert.equal(alice.requests, 2);
    assert.equal(rows.find((r: { key: string }) => r.key === 'carol').unpriced, 1);
    const t = capture();
    await spend({ dataDir: dir, by: 'model', stdout: t.out });
    assert.match(t.text(), /MODEL\s+REQUESTS\s+COST/);
    assert.match(t.text(), /UNPRICED/);
  });

  it('keys: create prints the key once, list never does, revoke works by id', async () => {
    const c = capture();
    await keysCreate({ dataDir: dir, name: 'ci', user: 'bot', tags: 'ci,nightly', roles: 'admin,dev', expires: '30d', json: true, stdout: c.out });
    const created = JSON.parse(c.text());
    assert.match(created.key, /^kt_[0-9a-f]{48}$/);
    const l = capture();
    await keysList({ dataDir: dir, stdout: l.out });
    assert.ok(l.text().includes(created.id));
    assert.ok(!l.text().includes(created.key));
    assert.match(l.text(), /ROLES\s+TAGS/);
    assert.match(l.text(), /admin,dev\s+ci,nightly/);
    await keysRevoke({ dataDir: dir, id: created.id, stdout: capture().out });
    const after = capture();
    await keysList({ dataDir: dir, json: true, stdout: after.out });
    assert.deepEqual(JSON.parse(after.text()), []);
    await assert.rejects(keysRevoke({ dataDir: dir, id: created.id, stdout: capture().out }), (e: ExitError) => e.exitCode === 2);
  });

  it('verify passes, then exits 1 naming the first edited event', async () => {
    const ok = capture();
    await eventsVerify({ dataDir: dir, stdout: ok.out });
    assert.match(ok.text(), /^ok: \d+ events verified/);
    const db = await openDb({}, dir);
    const [{ table_name }] = await db.query<{ table_name: string }>('SELECT table_name FROM event_segments ORDER BY day DESC LIMIT 1');
    await db.query(`UPDATE ${table_name} SET data = replace(data, '"cost_usd":0.25', '"cost_usd":0.01') WHERE seq = 3`);
    await db.close();
    const c = capture();
    await assert.rejects(eventsVerify({ dataDir: dir, stdout: c.out }), (e: ExitError) => e.exitCode === 1);
    assert.match(c.text(), /BROKEN at event #3/);
    // Through the CLI entry, as `kt events verify` runs: the broken chain becomes exit code 1.
    await main(['events', 'verify', '--json', '--data-dir', dir]);
    assert.equal(process.exitCode, 1);
    process.exitCode = 0;
  });
});
