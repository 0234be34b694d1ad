import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../../src/audit/event-store.js';
import { openDb } from '../../src/audit/open-store.js';
import { toEvent } from '../../src/audit/event.js';
import { makeExchange } from './exchange-fixture.js';
import { testPostgres, type TestPostgres } from '../helpers/postgres.js';

const DAY = 86_400_000;

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`event store (${kind})`, () => {
    let dir: string;
    let pgt: TestPostgres | undefined;
    let store: EventStore;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kt-evstore-'));
      if (kind === 'postgres') pgt = await testPostgres('evstore');
      store = await EventStore.open(await openDb(pgt ? { url: pgt.url, schema: pgt.schema } : {}, dir));
    });
    after(async () => {
      await store.close();
      await pgt?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('appends, queries with filters and verifies the chain', async () => {
      const a = toEvent(makeExchange({ principal: { kind: 'key', userId: 'alice' }, client: 'claude-cli' }));
      const b = toEvent(makeExchange({ verdict: 'block', outcome: 'blocked', status: 400, client: 'codex' }));
      const c = toEvent(makeExchange({ principal: { kind: 'anonymous', userId: 'bob' }, costUsd: 0.5 }));
      await store.append([a, b]);
      await store.append([c]);
      const all = await store.query({ limit: 10 });
      assert.deepEqual(all.map((r) => r.event.id), [c.id, b.id, a.id]);
      assert.deepEqual(all.map((r) => r.seq), [3, 2, 1]);
      assert.deepEqual((await store.query({ verdict: 'block' })).map((r) => r.event.id), [b.id]);
      assert.deepEqual((await store.query({ user: 'alice' })).map((r) => r.event.id), [a.id]);
      assert.deepEqual((await store.query({ client: 'codex' })).map((r) => r.event.id), [b.id]);
      assert.deepEqual((await store.query({ afterSeq: 2, order: 'asc' })).map((r) => r.event.id), [c.id]);
      assert.deepEqual((await store.query({ since: Date.now() + 60_000 })).length, 0);
      const v = await store.verify();
      assert.equal(v.ok, true);
      assert.equal(v.checked, 3);
    });

    it('spend groups by scope (read from the event, which the day segments have no column for)', async () => {
      const own = kind === 'postgres' ? await testPostgres('evscope') : undefined;
      const scopeDir = mkdtempSync(join(tmpdir(), 'kt-evstore-scope-'));
      const s = await EventStore.open(await openDb(own ? { url: own.url, schema: own.schema } : {}, scopeDir));
      try {
        const scoped = (cost: number) => toEvent(makeExchange({ costUsd: cost, scope: { name: 'coding-assistant', reason: 'client=claude-cli', mode: 'enforce' } }));
        await s.append([scoped(0.25), scoped(0.5), toEvent(makeExchange({ costUsd: 1 }))]);
        const rows = await s.spend('scope');
        assert.deepEqual(
          rows.map((r) => [r.key, r.requests, r.cost_usd]),
          [
            [null, 1, 1],
            ['coding-assistant', 2, 0.75],
          ],
        );
      } finally {
        await s.close();
        await own?.drop();
        rmSync(scopeDir, { recursive: true, force: true });
      }
    });

    it('verify reports the first edited row, then a deleted one', async () => {
      const [{ table_name }] = await store.db.query<{ table_name: string }>(`SELECT table_name FROM event_segments ORDER BY day DESC LIMIT 1`);
      const [row] = await store.db.query<{ data: string }>(`SELECT data FROM ${table_name} WHERE seq = 2`);
      const edited = row.data.replace('"verdict":"block"', '"verdict":"allow"');
      await store.db.query(`UPDATE ${table_name} SET data = $1 WHERE seq = 2`, [edited]);
      let v = await store.verify();
      assert.equal(v.ok, false);
      assert.equal(v.break?.seq, 2);
      assert.equal(v.break?.reason, 'hash_mismatch');
      await store.db.query(`UPDATE ${table_name} SET data = $1 WHERE seq = 2`, [row.data]);
      await store.db.query(`UPDATE ${table_name} SET verdict = 'allow' WHERE seq = 2`);
      v = await store.verify();
      assert.equal(v.break?.reason, 'column_mismatch');
      await store.db.query(`UPDATE ${table_name} SET verdict = 'block' WHERE seq = 2`);
      assert.equal((await store.verify()).ok, true);
      await store.db.query(`DELETE FROM ${table_name} WHERE seq = 3`);
      v = await store.verify();
      assert.equal(v.ok, false);
      assert.equal(v.break?.reason, 'head_mismatch');
    });
  });

  describe(`retention (${kind})`, () => {
    let dir: string;
    let pgt: TestPostgres | undefined;
    let store: EventStore;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kt-retention-'));
      if (kind === 'postgres') pgt = await testPostgres('retention');
      store = await EventStore.open(await openDb(pgt ? { url: pgt.url, schema: pgt.schema } : {}, dir));
    });
    after(async () => {
      await store.close();
      await pgt?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('drops whole day segments and the chain stays verifiable from the oldest kept event', async () => {
      const now = Date.now();
      for (let d = 10; d >= 0; d--) {
        const t = now - d * DAY;
        await store.append([toEvent(makeExchange({ startedAt: t })), toEvent(makeExchange({ startedAt: t }))], t);
      }
      assert.equal((await store.verify()).checked, 22);
      const { dropped } = await store.purge(3, now);
      assert.equal(dropped.length, 7);
      const v = await store.verify();
      assert.equal(v.ok, true, JSON.stringify(v.break));
      assert.equal(v.firstSeq, 15);
      assert.equal(v.checked, 8);
      const left = await store.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM event_segments`);
      assert.equal(Number(left[0].n), 4);
      // An edit in what is kept is still caught after the purge.
      const [{ table_name }] = await store.db.query<{ table_name: string }>(`SELECT table_name FROM event_segments ORDER BY day ASC LIMIT 1`);
      await store.db.query(`UPDATE ${table_name} SET prev_hash = $1 WHERE seq = 15`, ['f'.repeat(64)]);
      assert.equal((await store.verify()).break?.seq, 15);
    });
  });
}

describe('toEvent', () => {
  const finding = (path: string) => ({ policy: 'pii-detector', rule: 'email', type: 'email', category: 'pii' as const, path, start: 0, end: 5, action: 'redact' as const, fingerprint: 'fp1' });
  const ex = () =>
    makeExchange({
      headers: { authorization: 'Bearer sk-live-secret', cookie: 'session=abc' },
      rawBody: Buffer.from('{"messages":[{"content":"mail bob@example.com"}]}'),
      body: { messages: [{ content: 'mail bob@example.com' }] },
      policyResults: [{ policy: 'pii-detector', phase: 'input', verdict: 'redact', latencyMs: 0.12345, findings: [finding('messages[0].content'), finding('messages[0].content'), finding('messages[1].content')] }],
      usage: { inputTokens: 12, outputTokens: null, cacheReadTokens: null, cacheWriteTokens: null },
    });

  it('collapses repeated findings, keeps unknown usage null, and carries no header or body', () => {
    const ev = toEvent(ex());
    assert.deepEqual(ev.policies[0].findings.map((f) => [f.path, f.count]), [['messages[0].content', 2], ['messages[1].content', 1]]);
    assert.equal(ev.input_tokens, 12);
    assert.equal(ev.output_tokens, null);
    const text = JSON.stringify(ev);
    for (const leak of ['sk-live-secret', 'session=abc', 'bob@example.com']) assert.ok(!text.includes(leak));
  });

  it('refusals are blocks with a reason code and outcome refused; policy reasons are kept, short', () => {
    const cases: [Partial<Parameters<typeof makeExchange>[0]>, string, string, string][] = [
      [{ errorCode: 'KT_ERR_UNAUTHENTICATED', status: 401, outcome: 'refused' }, 'block', 'unauthenticated', 'refused'],
      [{ errorCode: 'KT_ERR_RATE_LIMITED', status: 429 }, 'block', 'rate_limited', 'refused'],
      // The pipeline files a budget refusal (a policy_violation type) as blocked; the event says refused.
      [{ errorCode: 'KT_ERR_BUDGET_EXCEEDED', status: 400, outcome: 'blocked' }, 'block', 'budget_exceeded', 'refused'],
      [{ errorCode: 'KT_ERR_INVALID_JSON', status: 400, outcome: 'refused' }, 'block', 'invalid_request', 'refused'],
      [{ errorCode: 'upstream_500', status: 500, outcome: 'upstream_error' }, 'allow', '', 'upstream_error'],
      [{ verdict: 'block', reasonCode: 'input_blocked', errorCode: 'KT_ERR_POLICY_BLOCKED', status: 400, outcome: 'blocked' }, 'block', 'input_blocked', 'blocked'],
    ];
    for (const [over, verdict, reason, outcome] of cases) {
      const ev = toEvent(makeExchange(over));
      assert.deepEqual([ev.verdict, ev.reason_code ?? '', ev.outcome], [verdict, reason, outcome], JSON.stringify(over));
    }
    const flagged = toEvent(
      makeExchange({ policyResults: [{ policy: 'dlp-filter', phase: 'input', verdict: 'flag', reason: 'flag mode: would have applied block' + ' x'.repeat(200), latencyMs: 1, findings: [] }] }),
    );
    assert.match(flagged.policies[0].reason!, /^flag mode: would have applied block/);
    assert.ok(flagged.policies[0].reason!.length <= 120);
  });

  it('summary detail keeps counts only', () => {
    const ev = toEvent(ex(), 'summary');
    assert.deepEqual(ev.policies[0].findings, []);
    assert.equal(ev.policies[0].finding_count, 3);
  });
});
