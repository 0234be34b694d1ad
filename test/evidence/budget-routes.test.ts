/**
 * Budgets on every route, priced by what is really called: count_tokens holds and charges nothing,
 * an unpriced model is refused under an enforced budget (served under monitor or with a fallback
 * price), free local targets are never refused, the hold follows the target's model (and the dearest
 * fallback), /v1/messages (JSON and SSE), /v1/responses (SSE) and embeddings are charged what they
 * cost, the forward proxy and scope budgets are enforced, and 1-hour cache writes are priced 2x input.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { evidenceFor } from '../../src/audit/evidence.js';
import { maxCostOf } from '../../src/cost/estimate.js';
import { PriceBook } from '../../src/cost/pricing.js';
import { evidenceRig, load, post, type EvidenceRig } from './gateway-fixture.js';

const AV = { 'anthropic-version': '2023-06-01' };
const msg = (content: string, extra: object = {}) => ({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content }], ...extra });

const config = (demo: string, dataDir: string) => `
pack: { name: budgets, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: fallback
  retry: { attempts: 0 }
  targets:
    - { id: claude, provider: anthropic, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["claude-*"] }
    - { id: oai, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["gpt-4o-mini", "text-embedding-*", "gpt-5"] }
    - { id: mini, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, model: gpt-4o-mini, models: ["dual"] }
    - { id: dear, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, model: gpt-5, models: ["cheap", "dual"] }
    - { id: local, provider: ollama, base_url: ${demo}, models: ["llama*"] }
    - { id: zero, provider: openai-compatible, base_url: ${demo}, models: ["local-*"] }
    - { id: mystery, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["mystery-*"] }
gateway: { data_dir: ${dataDir} }
pricing:
  models:
    "local-*": { input: 0, output: 0 }
budgets:
  - { name: ct, scope: user, match: ct, period: day, limit_usd: 0.002 }
  - { name: np, scope: user, match: np, period: day, limit_usd: 1 }
  - { name: watch, scope: user, match: mon, period: day, limit_usd: 0.000001, mode: monitor }
  - { name: spent, scope: user, match: spent, period: day, limit_usd: 0.000001 }
  - { name: alias, scope: user, match: alias, period: day, limit_usd: 0.05 }
  - { name: routes, scope: user, match: routes, period: day, limit_usd: 5 }
  - { name: proxy, scope: user, match: proxied, period: day, limit_usd: 0.000001 }
  - { name: by-scope, scope: scope, match: batch, period: day, limit_usd: 0.000001 }
scopes:
  - { name: assistants, match: { clients: [claude-cli] }, budget: { period: day, limit_usd: 0.000001, per: user } }
  - { name: batch, match: { header: { name: x-batch } } }
`;

async function spentOf(r: EvidenceRig, budget: string): Promise<number> {
  const rows = await evidenceFor(r.loaded.config).db.query<{ budget: string; spent_usd: number }>(`SELECT budget, spent_usd FROM budget_spend`);
  return rows.filter((x) => x.budget.startsWith(`${budget}|`)).reduce((s, x) => s + Number(x.spent_usd), 0);
}

/** settle runs after the response is written; wait until nothing is held for this budget any more. */
async function settled(r: EvidenceRig, budget: string): Promise<number> {
  const db = evidenceFor(r.loaded.config).db;
  for (let i = 0; i < 200; i++) {
    const [h] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM budget_reservations WHERE budget LIKE $1`, [`${budget}|%`]);
    if (Number(h.n) === 0) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  return spentOf(r, budget);
}

describe('budgets on every route', () => {
  let r: EvidenceRig;
  before(async () => {
    r = await evidenceRig(
      'sqlite',
      ({ demo, dataDir }) => config(demo, dataDir),
      { onProxyRequest: (req, res, g) => g.handleRequest(req, res, { viaProxy: { host: new URL(req.url!).host, scheme: 'http' } }) },
    );
  });
  after(() => r.close());

  it('count_tokens holds and charges nothing: many calls leave an enforced budget untouched', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await post(`${r.gw.url}/v1/messages/count_tokens`, { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: `count me ${i}` }] }, {
        ...AV,
        'x-user-id': 'ct',
        'x-request-id': `ct-${i}`,
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(typeof res.json.input_tokens, 'number');
    }
    assert.equal(await settled(r, 'ct'), 0, 'nothing charged');
    const ev = await r.byRequest('ct-3');
    assert.equal(ev?.cost_usd, 0);
    // The budget still admits real work.
    const real = await post(`${r.gw.url}/v1/messages`, msg('real work'), { ...AV, 'x-user-id': 'ct', 'x-request-id': 'ct-real' });
    assert.equal(real.status, 200, real.text);
    const cost = (await r.byRequest('ct-real'))!.cost_usd!;
    assert.ok(cost > 0);
    assert.ok(Math.abs((await settled(r, 'ct')) - cost) < 1e-12);
  });

  it('an unpriced model is refused under an enforced budget, naming the model and how to price it', async () => {
    const res = await post(`${r.gw.url}/v1/chat/completions`, { model: 'mystery-9', messages: [{ role: 'user', content: 'hi' }] }, { 'x-user-id': 'np', 'x-request-id': 'np-1' });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.headers.get('x-should-retry'), 'false');
    assert.equal(res.json.error.code, 'unpriced_model');
    assert.match(res.json.error.message, /model "mystery-9" \(target mystery, provider openai\) has no known price/);
    assert.match(res.json.error.message, /pricing: \{ models: \{ "mystery-9"/);
    assert.equal(r.demo.requests.filter((q) => (q.json as { model?: string })?.model === 'mystery-9').length, 0, 'never sent');
    const ev = await r.byRequest('np-1');
    assert.deepEqual([ev?.verdict, ev?.reason_code, ev?.outcome], ['block', 'unpriced_model', 'refused']);
  });

  it('under a monitor budget an unpriced model is served with cost unknown', async () => {
    const res = await post(`${r.gw.url}/v1/chat/completions`, { model: 'mystery-9', messages: [{ role: 'user', content: 'hi' }] }, { 'x-user-id': 'mon', 'x-request-id': 'mon-1' });
    assert.equal(res.status, 200, res.text);
    assert.equal((await r.byRequest('mon-1'))?.cost_usd, null);
  });

  it('free local targets are never refused, even once the budget is spent', async () => {
    const spend = await post(`${r.gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-user-id': 'spent' });
    assert.equal(spend.status, 400, 'the tiny budget refuses a priced model');
    for (const model of ['llama3.2', 'local-qwen']) {
      const res = await post(`${r.gw.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'free please' }] }, { 'x-user-id': 'spent', 'x-request-id': `free-${model}` });
      assert.equal(res.status, 200, `${model}: ${res.text}`);
      assert.equal((await r.byRequest(`free-${model}`))?.cost_usd, 0);
    }
  });

  it('the hold is priced by the target that is called (client "cheap" → gpt-5), and the dearest fallback', async () => {
    const body = { model: 'cheap', max_tokens: 8000, messages: [{ role: 'user', content: 'expensive' }] };
    const res = await post(`${r.gw.url}/v1/chat/completions`, body, { 'x-user-id': 'alias', 'x-request-id': 'alias-1' });
    assert.equal(res.status, 400, 'gpt-5 with 8000 output tokens may cost $0.08 > $0.05');
    const gpt5 = new PriceBook().priceOf('gpt-5')!;
    const want = maxCostOf(gpt5, Buffer.byteLength(JSON.stringify(body)), body);
    assert.match(res.json.error.message, new RegExp(`may cost up to \\$${want.toFixed(4).replace('.', '\\.')}`));
    const ok = await post(`${r.gw.url}/v1/chat/completions`, { ...body, max_tokens: 100 }, { 'x-user-id': 'alias', 'x-request-id': 'alias-2' });
    assert.equal(ok.status, 200, ok.text);
    const ev = (await r.byRequest('alias-2'))!;
    assert.equal(ev.upstream_model, 'gpt-5');
    assert.equal(ev.cost_usd, (ev.input_tokens! * gpt5.input + ev.output_tokens! * gpt5.output) / 1e6, 'settled at the price of the model that answered');
    // `dual` is served by gpt-4o-mini first, gpt-5 as fallback: the hold covers the dearer one.
    const dual = { model: 'dual', max_tokens: 8000, messages: [{ role: 'user', content: 'expensive' }] };
    const d = await post(`${r.gw.url}/v1/chat/completions`, dual, { 'x-user-id': 'alias' });
    assert.equal(d.status, 400);
    assert.match(d.json.error.message, new RegExp(`may cost up to \\$${maxCostOf(gpt5, Buffer.byteLength(JSON.stringify(dual)), dual).toFixed(4).replace('.', '\\.')}`));
  });

  it('/v1/messages (JSON and SSE), /v1/responses (SSE) and embeddings are charged what they cost', async () => {
    const h = { 'x-user-id': 'routes' };
    const a = await post(`${r.gw.url}/v1/messages`, msg('json please'), { ...AV, ...h, 'x-request-id': 'r-msg' });
    assert.equal(a.status, 200, a.text);
    const s = await post(`${r.gw.url}/v1/messages`, msg('stream please', { stream: true }), { ...AV, ...h, 'x-request-id': 'r-msg-sse' });
    assert.match(s.text, /message_stop/);
    const resp = await post(`${r.gw.url}/v1/responses`, { model: 'gpt-4o-mini', input: 'stream a response', stream: true, max_output_tokens: 64 }, { ...h, 'x-request-id': 'r-resp-sse' });
    assert.match(resp.text, /response\.completed/);
    const emb = await post(`${r.gw.url}/v1/embeddings`, { model: 'text-embedding-3-small', input: 'embed me' }, { ...h, 'x-request-id': 'r-emb' });
    assert.equal(emb.status, 200, emb.text);
    const prices = new PriceBook();
    let total = 0;
    for (const [id, model, sem] of [['r-msg', 'claude-sonnet-4-5', 'a'], ['r-msg-sse', 'claude-sonnet-4-5', 'a'], ['r-resp-sse', 'gpt-4o-mini', 'o'], ['r-emb', 'text-embedding-3-small', 'o']] as const) {
      const ev = (await r.byRequest(id))!;
      const p = prices.priceOf(model)!;
      assert.ok(ev.input_tokens! > 0, `${id} input tokens`);
      const uncached = sem === 'o' ? ev.input_tokens! - (ev.cache_read_tokens ?? 0) : ev.input_tokens!;
      const want = (uncached * p.input + (ev.cache_read_tokens ?? 0) * (p.cache_read ?? p.input) + (ev.cache_write_tokens ?? 0) * (p.cache_write ?? p.input) + (ev.output_tokens ?? 0) * p.output) / 1e6;
      assert.ok(Math.abs(ev.cost_usd! - want) < 1e-12, `${id}: cost ${ev.cost_usd} vs ${want}`);
      total += ev.cost_usd!;
    }
    assert.ok(Math.abs((await settled(r, 'routes')) - total) < 1e-9, 'the budget was charged exactly the cost of the four requests');
  });

  it('the forward proxy goes through the same reservation and settlement', async () => {
    const host = new URL(r.demo.url).host;
    const absolute = (body: object, user: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: r.gw.port, method: 'POST', path: `http://${host}/v1/chat/completions`, headers: { host, 'content-type': 'application/json', authorization: 'Bearer sk-client', 'x-user-id': user } },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    const refused = await absolute({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'via proxy' }] }, 'proxied');
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /budget proxy/);
    const served = await absolute({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'via proxy' }] }, 'routes');
    assert.equal(served.status, 200, served.text);
    const ev = (await r.events()).filter((e) => e.via_proxy && e.outcome === 'served').at(-1)!;
    assert.ok(ev.cost_usd! > 0);
  });

  it('a scope budget counts only that scope (per user), and budgets can target a scope by name', async () => {
    const cli = await post(`${r.gw.url}/v1/messages`, msg('from claude code'), { ...AV, 'user-agent': 'claude-cli/2.1.197 (external, cli)', 'x-user-id': 'dev1' });
    assert.equal(cli.status, 400, cli.text);
    assert.match(cli.json.error.message, /budget scope assistants \(user dev1\)/);
    const sdk = await post(`${r.gw.url}/v1/messages`, msg('from an sdk'), { ...AV, 'user-agent': 'Anthropic/JS 1.12.0', 'x-user-id': 'dev1' });
    assert.equal(sdk.status, 200, 'outside the scope the scope budget does not apply');
    const batch = await post(`${r.gw.url}/v1/messages`, msg('batch job'), { ...AV, 'x-batch': '1' });
    assert.equal(batch.status, 400);
    assert.match(batch.json.error.message, /budget by-scope \(scope batch\)/);
  });

  it('with pricing.fallback an unknown model is priced and admitted (reload keeps the budgets)', async () => {
    const withFallback = config(r.demo.url, JSON.stringify(r.dir)).replace('pricing:\n  models:', 'pricing:\n  fallback: { input: 1, output: 1 }\n  models:');
    assert.ok(withFallback.includes('fallback:'));
    await r.gw.reload(load(withFallback));
    const res = await post(`${r.gw.url}/v1/chat/completions`, { model: 'mystery-9', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { 'x-user-id': 'np', 'x-request-id': 'np-2' });
    assert.equal(res.status, 200, res.text);
    const ev = (await r.byRequest('np-2'))!;
    assert.equal(ev.cost_usd, (ev.input_tokens! + ev.output_tokens!) / 1e6);
  });

  it('Anthropic 1-hour cache writes are priced at 2x input', async () => {
    const body = JSON.stringify({
      id: 'msg_1h',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'cached' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 3000, cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 } },
    });
    r.demo.script({ rawChunks: [body], headers: { 'content-type': 'application/json' }, when: { path: '/v1/messages' } });
    const res = await post(`${r.gw.url}/v1/messages`, msg('cache for an hour'), { ...AV, 'x-user-id': 'routes', 'x-request-id': 'r-1h' });
    assert.equal(res.status, 200, res.text);
    const ev = (await r.byRequest('r-1h'))!;
    assert.equal(ev.cache_write_tokens, 3000);
    assert.equal(ev.cache_write_1h_tokens, 2000);
    // claude-sonnet-4-5: $3 input, $15 output, 5-minute writes $3.75, 1-hour writes 2 x $3.
    assert.equal(ev.cost_usd, Math.round(((10 * 3 + 5 * 15 + 1000 * 3.75 + 2000 * 6) / 1e6) * 1e10) / 1e10);
  });
});
