import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/audit/open-store.js';
import type { Db } from '../../src/audit/db/types.js';
import { Budgets, BudgetExceededError } from '../../src/cost/budgets.js';
import { AccessKeys } from '../../src/identity/access-keys.js';
import { chargeFor } from '../../src/audit/evidence.js';
import { testPostgres, type TestPostgres } from '../helpers/postgres.js';
import { makeExchange } from './exchange-fixture.js';

const alice = { kind: 'anonymous' as const, userId: 'alice', teamId: 'web' };

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`budgets and keys (${kind})`, () => {
    let dir: string;
    let pgt: TestPostgres | undefined;
    let db: Db;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kt-budget-'));
      if (kind === 'postgres') pgt = await testPostgres('budgets');
      db = await openDb(pgt ? { url: pgt.url, schema: pgt.schema } : {}, dir);
    });
    after(async () => {
      await db.close();
      await pgt?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('holds the maximum cost, settles the actual, refuses what would exceed, with the reset time', async () => {
      const b = new Budgets(db, [
        { name: 'u', scope: 'user', period: 'day', limit_usd: 1, mode: 'enforce' },
        { name: 'watch', scope: 'team', match: 'web', period: 'month', limit_usd: 0.01, mode: 'monitor' },
      ]);
      const r1 = await b.reserve('r1', alice, 0.6);
      await assert.rejects(b.reserve('r2', alice, 0.5), (e: BudgetExceededError) => {
        assert.equal(e.refusal.reservedUsd, 0.6);
        assert.equal(e.refusal.limitUsd, 1);
        assert.ok(e.refusal.resetsAt.getTime() > Date.now());
        return true;
      });
      await b.reserve('r3', { ...alice, userId: 'bob' }, 0.9); // another user, its own counter
      await b.settle(r1, 0.2);
      const r4 = await b.reserve('r4', alice, 0.5); // 0.2 spent + 0.5 held fits
      await b.settle(r4, 0.8);
      await assert.rejects(b.reserve('r5', alice, 0), BudgetExceededError, 'a spent budget refuses even an unpriced request');
      const status = await b.status();
      const monitor = status.find((s) => s.budget.startsWith('watch'));
      assert.ok(Math.abs(monitor!.spent_usd - 1.0) < 1e-9, 'monitor budgets count but never refuse');
    });

    it('expired holds stop counting', async () => {
      const b = new Budgets(db, [{ name: 'p', scope: 'project', period: 'day', limit_usd: 1, mode: 'enforce' }]);
      const p = { kind: 'anonymous' as const, projectId: 'x' };
      const t = Date.now();
      await b.reserve('h1', p, 0.9, t);
      await assert.rejects(b.reserve('h2', p, 0.5, t + 1000), BudgetExceededError);
      await b.reserve('h3', p, 0.5, t + 16 * 60_000);
      await b.sweep(t + 16 * 60_000);
    });

    it('a hold renewed while its request runs does not expire under it; an abandoned one does', async () => {
      const b = new Budgets(db, [{ name: 'long', scope: 'user', match: 'streamer', period: 'day', limit_usd: 1, mode: 'enforce' }]);
      const p = { kind: 'anonymous' as const, userId: 'streamer' };
      const t = Date.now();
      const held = await b.reserve('long-1', p, 0.9, t);
      await b.extend(held, t + 14 * 60_000); // the serving instance renews it
      await assert.rejects(b.reserve('long-2', p, 0.5, t + 20 * 60_000), BudgetExceededError, 'still held 20 minutes in');
      await b.reserve('long-3', p, 0.5, t + 30 * 60_000); // not renewed any more: expired after its last renewal + 15 min
      assert.ok(b.renewEveryMs < 15 * 60_000);
    });

    it('budgets per traffic scope: by scope name, and per user within one scope', async () => {
      const b = new Budgets(db, [
        { name: 'assist', scope: 'scope', match: 'assistants', period: 'day', limit_usd: 1, mode: 'enforce' },
        { name: 'scope ci', scope: 'user', within_scope: 'ci', period: 'day', limit_usd: 1, mode: 'enforce' },
      ]);
      const p = { kind: 'anonymous' as const, userId: 'u7' };
      assert.deepEqual(b.applicable(p, Date.now(), 'assistants').map((x) => x.label), ['assist (scope assistants)']);
      assert.deepEqual(b.applicable(p, Date.now(), 'ci').map((x) => x.label), ['scope ci (user u7)']);
      assert.deepEqual(b.applicable(p, Date.now()), [], 'outside any scope neither applies');
      await b.reserve('s1', p, 0.8, Date.now(), 'assistants');
      await assert.rejects(b.reserve('s2', p, 0.5, Date.now(), 'assistants'), BudgetExceededError);
      await b.reserve('s3', p, 0.5, Date.now(), 'ci');
    });

    it('no budget applies without the identity it counts, and no rules means nothing is held', async () => {
      const b = new Budgets(db, [{ scope: 'team', period: 'day', limit_usd: 0.000001, mode: 'enforce' }]);
      assert.equal((await b.reserve('n1', { kind: 'anonymous' }, 5)).budgets.length, 0);
      assert.equal(new Budgets(db, []).empty, true);
    });

    it('access keys: create, check, revoke', async () => {
      const keys = new AccessKeys(db, { cacheTtlMs: 0 });
      const { key, record } = await keys.create({ name: 'k', teamId: 't' });
      assert.equal((await keys.check(key)).ok, true);
      assert.equal(await keys.revoke(record.prefix), 1);
      assert.deepEqual(await keys.check(key), { ok: false, reason: 'revoked' });
    });
  });
}

describe('what a settled request is charged', () => {
  it('actual cost when known, the hold when an answer had no usage, 0 when nothing was billed', () => {
    assert.equal(chargeFor(makeExchange({ costUsd: 0.3 }), 1), 0.3);
    const cut = makeExchange({ costUsd: null, status: 200 });
    assert.equal(chargeFor(cut, 1), 1);
    const dead = makeExchange({ costUsd: null, status: 502 });
    dead.t.upstreamFirstByte = undefined;
    assert.equal(chargeFor(dead, 1), 0);
    assert.equal(chargeFor(makeExchange({ costUsd: null, status: 400 }), 1), 0);
  });
});

describe('evidence settings from the config', () => {
  it('audit-logger settings (retention, detail) apply only when it is in the chain, as lint W002 says', async () => {
    const { evidenceSettings } = await import('../../src/audit/settings.js');
    const policy = { 'audit-logger': { retention_days: 7, detail: 'summary' } };
    const off = evidenceSettings({ policies: { chain: [] }, policy }, {});
    assert.equal(off.retentionDays, undefined, 'not in the chain: events are kept');
    assert.equal(off.eventDetail, 'findings');
    const on = evidenceSettings({ policies: { chain: ['audit-logger'] }, policy }, {});
    assert.deepEqual([on.retentionDays, on.eventDetail], [7, 'summary']);
    assert.equal(evidenceSettings({ policies: { chain: ['audit-logger'] } }, {}).retentionDays, 90, 'in the chain without a block: the default');
  });

  it("a scope's budget and logging become a scope-only budget rule and that scope's event detail", async () => {
    const { evidenceSettings } = await import('../../src/audit/settings.js');
    const s = evidenceSettings(
      {
        scopes: [
          { name: 'assistants', match: {}, budget: { period: 'day', limit_usd: 5, per: 'user' }, logging: { detail: 'summary' } },
          { name: 'batch', match: {}, budget: { period: 'month', limit_usd: 50 } },
        ],
      },
      { KT_CHAIN_KEY: 'k'.repeat(32) },
    );
    assert.deepEqual(s.budgets, [
      { name: 'scope assistants', period: 'day', limit_usd: 5, mode: 'enforce', scope: 'user', within_scope: 'assistants' },
      { name: 'scope batch', period: 'month', limit_usd: 50, mode: 'enforce', scope: 'scope', match: 'batch' },
    ]);
    assert.deepEqual(s.scopeDetail, { assistants: 'summary' });
    assert.equal(s.store.chainKey, 'k'.repeat(32), 'KT_CHAIN_KEY is read from the environment');
  });
});
