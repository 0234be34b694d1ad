/**
 * One decision event per outcome, through a real gateway, on SQLite and on PostgreSQL: served,
 * redacted, blocked on input, blocked on output (buffered and streamed), failed upstream, refused by
 * auth / rate limit / budget, and abandoned by the client — each with the verdict, reason code and
 * outcome docs/EVENTS.md promises, so `kt events tail --verdict block` lists every refusal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { eventsTail } from '../../src/audit/cli/events-cmd.js';
import type { DecisionEvent } from '../../src/audit/event.js';
import { evidenceRig, post, type EvidenceRig } from './gateway-fixture.js';

const AWS = 'AKIAZ7QWERTYUIOP2345';
const chat = (content: string, extra: object = {}) => ({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content }], ...extra });

async function waitFor<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting');
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`decision events for every outcome (${kind})`, () => {
    let r: EvidenceRig;
    before(async () => {
      r = await evidenceRig(
        kind,
        ({ demo, dataDir, store }) => `
pack: { name: outcomes, version: 1.0.0, enabled: true }
policies: { chain: [code-sanitation, dlp-filter] }
policy:
  dlp-filter: { action: block, blocked_terms: [BLUEBIRD] }
providers:
  strategy: single
  retry: { attempts: 0 }
  targets:
    - { id: up, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["gpt-*"] }
    - { id: paid, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["paid-*"] }
    - { id: dead, provider: openai, base_url: "http://127.0.0.1:9", secret_key_ref: { env: PAID_KEY }, models: ["dead-*"] }
gateway: { data_dir: ${dataDir} }
${store}
pricing: { models: { "paid-*": { input: 1, output: 2 }, "gpt-*": { input: 0.5, output: 1 } } }
rate_limits: [{ scope: user, match: limited, rpm: 1 }]
budgets: [{ name: tiny, scope: team, match: poor, period: day, limit_usd: 0.000001 }]
scopes:
  - { name: trial, match: { header: { name: x-trial } }, mode: flag, logging: { detail: summary } }
`,
      );
    });
    after(() => r.close());

    const expectEvent = async (id: string, want: Partial<DecisionEvent>): Promise<DecisionEvent> => {
      const ev = await r.byRequest(id);
      assert.ok(ev, `event ${id} stored`);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(ev[k as keyof DecisionEvent], v, `${id}: ${k}`);
      return ev;
    };

    it('served, with tokens and cost from the target that answered; /metrics shows the same tokens and cost', async () => {
      const res = await post(`${r.gw.url}/v1/chat/completions`, chat('hello', { model: 'paid-model' }), { 'x-request-id': 'served' });
      assert.equal(res.status, 200, res.text);
      const ev = await expectEvent('served', { verdict: 'allow', outcome: 'served', target_id: 'paid', provider: 'openai' });
      assert.equal(ev.reason_code, undefined);
      assert.ok(ev.input_tokens! > 0 && ev.output_tokens! > 0);
      assert.equal(ev.cost_usd, (ev.input_tokens! * 1 + ev.output_tokens! * 2) / 1e6);
      const metrics = await (await fetch(`${r.gw.url}/metrics`)).text();
      assert.match(metrics, new RegExp(`kt_tokens_total\\{model="paid-model",kind="input"\\} ${ev.input_tokens}\\b`));
      assert.match(metrics, new RegExp(`kt_tokens_total\\{model="paid-model",kind="output"\\} ${ev.output_tokens}\\b`));
      assert.match(metrics, new RegExp(`kt_cost_usd_total\\{model="paid-model"\\} ${ev.cost_usd}\\b`));
      assert.match(metrics, /kt_requests_total\{route="\/v1\/chat\/completions",verdict="allow",outcome="served"/);
    });

    it('redacted on input: verdict redact, served', async () => {
      const res = await post(`${r.gw.url}/v1/chat/completions`, chat(`key ${AWS}`), { 'x-request-id': 'redacted' });
      assert.equal(res.status, 200, res.text);
      assert.ok(!r.demo.requests.at(-1)!.rawBody.includes(AWS), 'the secret never went upstream');
      await expectEvent('redacted', { verdict: 'redact', outcome: 'served' });
    });

    it('blocked on input by a content policy', async () => {
      const res = await post(`${r.gw.url}/v1/chat/completions`, chat('project bluebird'), { 'x-request-id': 'in-block' });
      assert.equal(res.status, 400);
      const ev = await expectEvent('in-block', { verdict: 'block', outcome: 'blocked', cost_usd: 0 });
      assert.ok(ev.policies.some((p) => p.policy === 'dlp-filter' && p.verdict === 'block'));
    });

    it('blocked on output, buffered and streamed', async () => {
      r.demo.script({ text: 'the codename is BLUEBIRD', when: { model: 'gpt-out' } });
      const res = await post(`${r.gw.url}/v1/chat/completions`, chat('tell me', { model: 'gpt-out' }), { 'x-request-id': 'out-block' });
      assert.equal(res.status, 400, res.text);
      await expectEvent('out-block', { verdict: 'block', outcome: 'blocked' });
      r.demo.script({ text: 'the codename is BLUEBIRD', when: { model: 'gpt-outs' } });
      const s = await post(`${r.gw.url}/v1/chat/completions`, chat('tell me', { model: 'gpt-outs', stream: true }), { 'x-request-id': 'stream-block' });
      assert.equal(s.status, 200);
      assert.ok(!s.text.includes('BLUEBIRD'));
      await expectEvent('stream-block', { verdict: 'block', outcome: 'blocked', stream: true });
    });

    it('failed upstream', async () => {
      const res = await post(`${r.gw.url}/v1/chat/completions`, chat('hi', { model: 'dead-model' }), { 'x-request-id': 'dead' });
      assert.ok(res.status >= 500);
      await expectEvent('dead', { verdict: 'allow', outcome: 'upstream_error', target_id: 'dead', cost_usd: null });
    });

    it('refused by auth, rate limit and budget: verdict block with a reason code, outcome refused', async () => {
      const auth = await post(`${r.gw.url}/v1/chat/completions`, chat('hi'), { authorization: `Bearer kt_${'0'.repeat(48)}`, 'x-request-id': 'auth' });
      assert.equal(auth.status, 401);
      await expectEvent('auth', { verdict: 'block', reason_code: 'unauthenticated', outcome: 'refused', status: 401, error_code: 'KT_ERR_UNAUTHENTICATED' });
      assert.equal((await post(`${r.gw.url}/v1/chat/completions`, chat('1'), { 'x-user-id': 'limited' })).status, 200);
      const rl = await post(`${r.gw.url}/v1/chat/completions`, chat('2'), { 'x-user-id': 'limited', 'x-request-id': 'rate' });
      assert.equal(rl.status, 429);
      await expectEvent('rate', { verdict: 'block', reason_code: 'rate_limited', outcome: 'refused', status: 429 });
      const b = await post(`${r.gw.url}/v1/chat/completions`, chat('hi', { model: 'paid-model' }), { 'x-team-id': 'poor', 'x-request-id': 'budget' });
      assert.equal(b.status, 400, b.text);
      assert.equal(b.headers.get('x-should-retry'), 'false');
      await expectEvent('budget', { verdict: 'block', reason_code: 'budget_exceeded', outcome: 'refused', status: 400, cost_usd: 0 });
      const bad = await fetch(`${r.gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'badjson' }, body: '{nope' });
      assert.equal(bad.status, 400);
      await expectEvent('badjson', { verdict: 'block', reason_code: 'invalid_request', outcome: 'refused' });

      // `kt events tail --verdict block` lists them all, read from the same store.
      let text = '';
      const out = new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) });
      const storeArgs = r.pg ? { storeUrl: r.pg.url, storeSchema: r.pg.schema } : {};
      await eventsTail({ dataDir: r.dir, ...storeArgs, verdict: 'block', json: true, limit: '100', stdout: out });
      const ids = text.trim().split('\n').map((l) => (JSON.parse(l) as DecisionEvent).request_id);
      for (const id of ['auth', 'rate', 'budget', 'badjson', 'in-block', 'out-block', 'stream-block']) assert.ok(ids.includes(id), `${id} in --verdict block`);
      assert.ok(!ids.includes('served'));
    });

    it('abandoned by the client mid-stream: client_closed', async () => {
      r.demo.faults.add({ kind: 'slow-chunks', ms: 150, when: { model: 'gpt-slow' } });
      const ac = new AbortController();
      const res = await fetch(`${r.gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'closed' },
        body: JSON.stringify(chat('a long answer please', { model: 'gpt-slow', stream: true })),
        signal: ac.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      ac.abort();
      const ev = await waitFor(() => r.byRequest('closed'));
      assert.equal(ev.outcome, 'client_closed');
    });

    it('the scope, why it applied and its mode are recorded; its logging detail applies', async () => {
      const res = await post(`${r.gw.url}/v1/chat/completions`, chat('project bluebird'), { 'x-trial': '1', 'x-request-id': 'scoped' });
      assert.equal(res.status, 200, 'flag mode: the block is only recorded');
      const ev = await expectEvent('scoped', { scope: 'trial', scope_reason: 'header=x-trial', scope_mode: 'flag', outcome: 'served' });
      const dlp = ev.policies.find((p) => p.policy === 'dlp-filter')!;
      assert.equal(dlp.verdict, 'flag');
      assert.match(dlp.reason ?? '', /^flag mode: would have applied block$/);
      assert.deepEqual(dlp.findings, [], 'scope logging detail summary: counts only');
      assert.ok(dlp.finding_count! >= 1);
      const full = await r.byRequest('in-block');
      assert.ok(full!.policies.find((p) => p.policy === 'dlp-filter')!.findings.length >= 1, 'outside the scope: full findings');
    });

    it('the chain of everything above verifies', async () => {
      const v = await (await import('../../src/audit/evidence.js')).evidenceFor(r.loaded.config).store.then((s) => s.verify());
      assert.equal(v.ok, true, JSON.stringify(v.break));
      assert.equal(v.unkeyed, 0);
      assert.ok(v.keyed >= 10);
    });
  });
}
