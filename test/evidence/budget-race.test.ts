/**
 * Two gateway processes share one PostgreSQL and race for one enforced budget: together they never
 * spend more than the limit, because every request holds its maximum cost before dispatch.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { openDb } from '../../src/audit/open-store.js';
import { EventStore } from '../../src/audit/event-store.js';
import { testPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startChildGateway, type ChildGateway } from './child-gateway.js';

const LIMIT = 0.5;
// Instances sharing one PostgreSQL share one chain key (docs/EVENTS.md "Tamper evidence").
const CHAIN_KEY = 'race-test-chain-key-0123456789abcdef';

describe('budget shared by two gateway processes on PostgreSQL', () => {
  let pgt: TestPostgres;
  let demo: DemoServer;
  let gws: ChildGateway[] = [];
  const dirs: string[] = [];

  before(async () => {
    pgt = await testPostgres('race');
    demo = await startDemoServer();
    const yaml = (dir: string) => `
pack: { name: race, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  targets:
    - id: paid
      provider: openai
      base_url: ${demo.url}
      secret_key_ref: { env: RACE_KEY }
gateway:
  data_dir: ${JSON.stringify(dir)}
store:
  url: ${pgt.url}
  schema: ${pgt.schema}
pricing:
  models:
    race-model: { input: 1000, output: 1000 }
budgets:
  - { name: shared, scope: team, match: racers, period: day, limit_usd: ${LIMIT} }
`;
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(join(tmpdir(), 'kt-race-')));
    gws = await Promise.all(dirs.map((d) => startChildGateway(yaml(d), { RACE_KEY: 'sk-race', KT_CHAIN_KEY: CHAIN_KEY })));
  });

  after(async () => {
    await Promise.all(gws.map((g) => g.stop()));
    await demo.close();
    await pgt.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('never overspends, and refuses with budget_exceeded once the budget is held', async () => {
    const send = async (url: string, i: number) => {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-team-id': 'racers', 'x-request-id': `race-${i}` },
        body: JSON.stringify({ model: 'race-model', max_tokens: 10, messages: [{ role: 'user', content: `hello ${i}` }] }),
      });
      const body = (await res.json()) as { error?: { message?: string } };
      return { status: res.status, body };
    };
    const results = await Promise.all(Array.from({ length: 48 }, (_, i) => send(gws[i % 2].url, i)));
    const served = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 400);
    assert.ok(served > 0, 'some requests fit the budget');
    assert.ok(refused.length > 0, 'and the rest were refused');
    assert.equal(served + refused.length, results.length, JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 400)));
    for (const r of refused) assert.match(r.body.error?.message ?? '', /budget shared/);

    const db = await openDb({ url: pgt.url, schema: pgt.schema, chainKey: CHAIN_KEY }, dirs[0]);
    try {
      const store = await EventStore.open(db);
      // Events from both processes are stored (flush happens within ~50 ms); wait for all of them.
      let events: Awaited<ReturnType<EventStore['query']>> = [];
      for (let i = 0; i < 100 && events.length < results.length; i++) {
        events = await store.query({ limit: 1000 });
        if (events.length < results.length) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(events.length, results.length);
      const spentByEvents = events.reduce((s, e) => s + (e.event.cost_usd ?? 0), 0);
      const [row] = await db.query<{ spent_usd: number }>(`SELECT SUM(spent_usd) AS spent_usd FROM budget_spend`);
      assert.ok(spentByEvents > 0);
      assert.ok(spentByEvents <= LIMIT + 1e-9, `events cost ${spentByEvents} > ${LIMIT}`);
      assert.ok(Number(row.spent_usd) <= LIMIT + 1e-9, `budget counter ${row.spent_usd} > ${LIMIT}`);
      assert.ok(Math.abs(Number(row.spent_usd) - spentByEvents) < 1e-6, 'settled spend equals the cost in the events');
      assert.equal((await store.verify()).ok, true, 'one chain across both instances');
      if (process.env.KT_DEBUG_RACE) console.log({ served, refused: refused.length, spentByEvents, counter: row.spent_usd });
    } finally {
      await db.close();
    }
  });
});
