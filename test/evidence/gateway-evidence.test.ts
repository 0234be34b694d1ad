/**
 * The evidence hooks inside a real gateway: one event per outcome, access keys, rate limits, budgets,
 * /metrics, and a seeded secret that never reaches the store, the journal or an export.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText, type LoadedConfig } from '../../src/config/index.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import type { DecisionEvent } from '../../src/audit/event.js';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createSseParser } from '../../src/sse/parser.js';

const SECRET = 'AKIAZ7QWERTYUIOP2345';
const SECRET2 = 'sk-proj-Zq81vX0nQm5hK2pL9sT4wY7bC3dF6gJ1';

function load(yaml: string): LoadedConfig {
  const { config, diagnostics } = parseConfigText(yaml, 'test.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length) throw new Error(JSON.stringify(errors));
  return { config, version: 'evtest', files: [], warnings: [] };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const chat = (content: string, extra: object = {}) => ({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content }], ...extra });

describe('evidence in the gateway', () => {
  let dir: string;
  let demo: DemoServer;
  let gw: Gateway;
  let loaded: LoadedConfig;
  let key: string;
  let logs = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-gwev-'));
    demo = await startDemoServer();
    loaded = load(`
pack: { name: evtest, version: 1.0.0, enabled: true }
policies: { chain: [rbac, code-sanitation] }
policy:
  rbac:
    roles:
      dev: { denied_models: ["gpt-4o"] }
    default_role: dev
providers:
  strategy: single
  retry: { attempts: 0 }
  targets:
    - id: demo
      provider: demo
      models: ["gpt-*", "claude-*", "demo"]
    - id: dead
      provider: openai
      base_url: http://127.0.0.1:9
      secret_key_ref: { env: DEAD_KEY }
      models: ["dead-*"]
    - id: paid
      provider: openai
      base_url: ${demo.url}
      secret_key_ref: { env: DEAD_KEY }
      models: ["paid-*"]
pricing: { models: { "paid-*": { input: 1, output: 2 } } }
gateway:
  data_dir: ${JSON.stringify(dir)}
rate_limits:
  - { scope: user, match: limited, rpm: 2 }
budgets:
  - { name: tiny, scope: team, match: poor, period: day, limit_usd: 0.0001 }
`);
    const logStream = new Writable({
      write(chunk, _enc, cb) {
        logs += chunk.toString();
        cb();
      },
    });
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: pino({ level: 'debug' }, logStream), env: { ...process.env, DEAD_KEY: 'sk-dead' } });
    ({ key } = await evidenceFor(loaded.config).keys.create({ name: 'ci', userId: 'key-owner', teamId: 'platform' }));
  });

  after(async () => {
    await gw.close();
    await demo.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = async (): Promise<DecisionEvent[]> => {
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    return (await (await ev.store).query({ limit: 1000, order: 'asc' })).map((r) => r.event);
  };
  const byRequest = async (id: string) => (await events()).find((e) => e.request_id === id);

  it('records a served request with identity, client, tokens and cost', async () => {
    const r = await post(`${gw.url}/v1/chat/completions`, chat('hello'), {
      'x-request-id': 'served-1',
      'x-user-id': 'alice',
      'x-team-id': 'web',
      'user-agent': 'claude-cli/2.1.197 (external, cli)',
      'x-claude-code-session-id': 'sess-42',
    });
    assert.equal(r.status, 200, r.text);
    const ev = await byRequest('served-1');
    assert.ok(ev);
    assert.equal(ev.verdict, 'allow');
    assert.equal(ev.outcome, 'served');
    assert.equal(ev.user_id, 'alice');
    assert.equal(ev.team_id, 'web');
    assert.equal(ev.client, 'claude-cli');
    assert.equal(ev.conversation_id, 'sess-42');
    assert.equal(ev.auth, 'anonymous');
    assert.equal(ev.cost_usd, 0, 'the demo provider is a free local target');
    assert.equal(ev.config_version, 'evtest');
    assert.ok(ev.id.startsWith('evt_'));
    assert.equal(ev.policies[0]?.policy, 'rbac');
  });

  it('a kt_ key is checked, and what it says wins over identity headers', async () => {
    const bad = await post(`${gw.url}/v1/chat/completions`, chat('hi'), { authorization: 'Bearer kt_' + '0'.repeat(48), 'x-request-id': 'badkey-1' });
    assert.equal(bad.status, 401);
    const ok = await post(`${gw.url}/v1/messages`, { model: 'claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }, {
      'x-api-key': key,
      'x-user-id': 'mallory',
      'anthropic-version': '2023-06-01',
      'x-request-id': 'key-1',
    });
    assert.equal(ok.status, 200, ok.text);
    const ev = await byRequest('key-1');
    assert.equal(ev?.auth, 'key');
    assert.equal(ev?.user_id, 'key-owner');
    assert.equal(ev?.team_id, 'platform');
    assert.ok(ev?.key_id?.startsWith('key_'));
    const refused = await byRequest('badkey-1');
    assert.equal(refused?.outcome, 'refused');
    assert.equal(refused?.error_code, 'KT_ERR_UNAUTHENTICATED');
  });

  it('a streamed request records usage folded from the stream', async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-request-id': 'stream-1', 'user-agent': 'Anthropic/JS 1.12.0' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 30, stream: true, messages: [{ role: 'user', content: 'stream please' }] }),
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /message_stop/);
    const ev = await byRequest('stream-1');
    assert.equal(ev?.stream, true);
    assert.equal(ev?.client, 'anthropic-sdk');
    assert.equal(ev?.dialect, 'anthropic-messages');
    assert.equal(typeof ev?.output_tokens, 'number');
  });

  it('an unreachable upstream is recorded as upstream_error', async () => {
    const r = await post(`${gw.url}/v1/chat/completions`, chat('hi', { model: 'dead-model' }), { 'x-request-id': 'dead-1' });
    assert.ok(r.status >= 500, r.text);
    const ev = await byRequest('dead-1');
    assert.equal(ev?.outcome, 'upstream_error');
    assert.equal(ev?.target_id, 'dead');
    assert.equal(ev?.cost_usd, null, 'dispatched but no usage: unknown, not 0');
  });

  it('rbac blocks a denied model and the event says so', async () => {
    const r = await post(`${gw.url}/v1/chat/completions`, chat('hi', { model: 'gpt-4o' }), { 'x-request-id': 'rbac-1' });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('x-should-retry'), 'false');
    const ev = await byRequest('rbac-1');
    assert.equal(ev?.verdict, 'block');
    assert.equal(ev?.reason_code, 'model_denied');
    assert.equal(ev?.outcome, 'blocked');
  });

  it('rate limit answers 429 with Retry-After', async () => {
    const h = { 'x-user-id': 'limited' };
    assert.equal((await post(`${gw.url}/v1/chat/completions`, chat('1'), h)).status, 200);
    assert.equal((await post(`${gw.url}/v1/chat/completions`, chat('2'), h)).status, 200);
    const r = await post(`${gw.url}/v1/chat/completions`, chat('3'), { ...h, 'x-request-id': 'rl-1' });
    assert.equal(r.status, 429);
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 60, `retry-after ${ra}`);
    const ev = await byRequest('rl-1');
    assert.equal(ev?.error_code, 'KT_ERR_RATE_LIMITED');
  });

  it('an enforced budget refuses a request whose maximum cost would exceed it, non-retryably', async () => {
    const r = await post(`${gw.url}/v1/chat/completions`, chat('hi', { model: 'paid-model', max_tokens: 4000 }), { 'x-team-id': 'poor', 'x-request-id': 'budget-1' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.headers.get('x-should-retry'), 'false');
    assert.match(r.json.error.message, /budget tiny .*resets at \d{4}-/);
    const ev = await byRequest('budget-1');
    assert.equal(ev?.error_code, 'KT_ERR_BUDGET_EXCEEDED');
    assert.equal(ev?.reason_code, 'budget_exceeded');
  });

  it('/metrics exposes request, token and latency series', async () => {
    const res = await fetch(`${gw.url}/metrics`);
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.match(text, /kt_requests_total\{[^}]*verdict="allow"[^}]*\} \d+/);
    assert.match(text, /kt_request_duration_seconds_bucket/);
    assert.match(text, /kt_policy_duration_seconds_count\{policy="rbac"/);
  });

  it('a seeded secret in the body or headers never reaches the database, the journal, the logs or an export', async () => {
    const r = await post(`${gw.url}/v1/chat/completions`, chat(`my key is ${SECRET} and ${SECRET2}`), {
      'x-request-id': 'secret-1',
      authorization: `Bearer ${SECRET2}`,
      'x-user-id': 'alice',
    });
    assert.equal(r.status, 200, r.text);
    const all = await events();
    const ev = all.find((e) => e.request_id === 'secret-1');
    assert.equal(ev?.verdict, 'redact', 'the policy found the secrets and redacted them');
    const findings = ev!.policies.flatMap((p) => p.findings);
    assert.ok(findings.length >= 1);
    assert.ok(findings.every((f) => f.path.startsWith('messages[0]')));
    assert.ok(logs.length > 0, 'debug logs were written');
    for (const needle of [SECRET, SECRET2]) assert.ok(!logs.includes(needle), 'secret in the gateway log');
    const exported = JSON.stringify(all);
    const files = (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
    assert.ok(files.some((f) => f.endsWith('events.db')));
    for (const needle of [SECRET, SECRET2]) {
      assert.ok(!exported.includes(needle));
      for (const f of files) assert.ok(!readFileSync(f).includes(needle), `${needle} found in ${f}`);
    }
  });

  it('GET /keeptrusts/events/stream sends each stored event as SSE', async () => {
    const ac = new AbortController();
    const res = await fetch(`${gw.url}/keeptrusts/events/stream`, { signal: ac.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const received: DecisionEvent[] = [];
    const parser = createSseParser({ onEvent: (e) => e.event === 'decision' && received.push(JSON.parse(e.data)) });
    const reading = (async () => {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          parser.feed(chunk);
          if (received.some((e) => e.request_id === 'live-sse')) break;
        }
      } catch {
        /* aborted */
      }
    })();
    await post(`${gw.url}/v1/chat/completions`, chat('live'), { 'x-request-id': 'live-sse' });
    await evidenceFor(loaded.config).sink.flush();
    const timer = setTimeout(() => ac.abort(), 5000);
    await reading;
    clearTimeout(timer);
    ac.abort();
    assert.ok(received.some((e) => e.request_id === 'live-sse'));
  });

  it('verifies the chain of what the gateway wrote', async () => {
    const v = await (await evidenceFor(loaded.config).store).verify();
    assert.equal(v.ok, true);
    assert.ok(v.checked >= 10);
  });
});
