/**
 * Scopes: matching rules (first match wins, every condition must hold, route prefixes on whole
 * segments), and through a real gateway with the demo upstream: the scope's chain applies only to its
 * traffic, flag mode records without changing anything, and the event names the scope.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, parseConfigText, type LoadedConfig } from '../config/index.js';
import { startDemoServer, type DemoServer } from '../providers/demo/index.js';
import { startGateway, type Gateway } from '../gateway/server.js';
import { closeEvidence, evidenceFor } from '../audit/evidence.js';
import type { DecisionEvent } from '../audit/event.js';
import { GatewayError } from '../errors.js';
import type { Exchange } from '../gateway/exchange.js';
import { defaultDetectors } from '../policy/detectors.js';
import { resolveScope, scopeFor, stripRoutePrefix, type ScopeConfig } from './resolve.js';
import { createScopedPolicyHooks, scopeConfig } from './policy-hooks.js';

const SECRET = 'AKIAZ7QWERTYUIOP2345';

const sub = (o: { tags?: string[]; key?: string; client?: string; headers?: Record<string, string>; prefix?: string }) => ({
  principal: { kind: 'key' as const, keyName: o.key, keyTags: o.tags },
  client: o.client ?? 'curl',
  headers: o.headers ?? {},
  routePrefix: o.prefix,
});

describe('scope matching', () => {
  const scopes: ScopeConfig[] = [
    { name: 'tagged', match: { key_tags: ['assistant'] }, mode: 'flag' },
    { name: 'both', match: { clients: ['codex'], header: { name: 'X-Lane', value: 'ci' } } },
    { name: 'claude', match: { clients: ['claude-cli'] } },
    { name: 'prefixed', match: { route_prefix: '/assistants/' } },
  ];

  it('takes the first scope whose every condition holds, with the reason and mode', () => {
    assert.deepEqual(resolveScope(scopes, sub({ tags: ['x', 'assistant'], client: 'claude-cli' })), { name: 'tagged', reason: 'key_tag=assistant', mode: 'flag' });
    assert.deepEqual(resolveScope(scopes, sub({ client: 'claude-cli' })), { name: 'claude', reason: 'client=claude-cli', mode: 'enforce' });
    assert.deepEqual(resolveScope(scopes, sub({ client: 'codex', headers: { 'x-lane': 'ci' } })), { name: 'both', reason: 'client=codex,header=x-lane', mode: 'enforce' });
    assert.equal(resolveScope(scopes, sub({ client: 'codex', headers: { 'x-lane': 'prod' } })), undefined);
    assert.equal(resolveScope(scopes, sub({ prefix: '/assistants' }))?.name, 'prefixed');
    assert.equal(resolveScope(scopes, sub({})), undefined);
    assert.equal(resolveScope([{ name: 'by-key', match: { keys: ['ci-bot'] } }], sub({ key: 'ci-bot' }))?.reason, 'key=ci-bot');
  });

  it('a request under a route prefix matches only the scopes naming it, else it is refused naming the prefix', () => {
    // claude-cli would match `claude` on the general path; under /assistants only `prefixed` may apply.
    assert.equal(resolveScope(scopes, sub({ prefix: '/assistants', client: 'claude-cli' }))?.name, 'prefixed');
    const strict: ScopeConfig[] = [
      { name: 'claude', match: { clients: ['claude-cli'] } },
      { name: 'assistants', match: { route_prefix: '/assistants', key_tags: ['assistant'] } },
    ];
    assert.equal(scopeFor(strict, sub({ client: 'claude-cli' })) instanceof GatewayError, false);
    const err = scopeFor(strict, sub({ prefix: '/assistants', client: 'claude-cli' }));
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 404);
    assert.match(err.message, /requests under \/assistants .*scope assistants needs key tag assistant/);
    assert.equal((scopeFor(strict, sub({ prefix: '/assistants', tags: ['assistant'] })) as { name: string }).name, 'assistants');
  });

  it('strips a route prefix only on whole path segments, longest first', () => {
    const s: ScopeConfig[] = [{ name: 'a', match: { route_prefix: '/assistants' } }, { name: 'b', match: { route_prefix: '/assistants/team' } }];
    assert.deepEqual(stripRoutePrefix('/assistants/v1/messages', s), { path: '/v1/messages', prefix: '/assistants' });
    assert.deepEqual(stripRoutePrefix('/assistants/team/v1/responses', s), { path: '/v1/responses', prefix: '/assistants/team' });
    assert.deepEqual(stripRoutePrefix('/assistantsx/v1/messages', s), { path: '/assistantsx/v1/messages' });
    assert.deepEqual(stripRoutePrefix('/v1/messages', undefined), { path: '/v1/messages' });
  });

  it('overlays a scope policy block on the base block and keeps the base chain unless replaced', () => {
    const base = { policies: { chain: ['pii-detector'] }, policy: { 'pii-detector': { action: 'redact', redaction: { marker_format: 'label' } } } };
    const c = scopeConfig(base, { name: 's', match: {}, policy: { 'pii-detector': { action: 'block' } } });
    assert.deepEqual(c.policies?.chain, ['pii-detector']);
    assert.deepEqual(c.policy?.['pii-detector'], { action: 'block', redaction: { marker_format: 'label' } });
    assert.deepEqual(scopeConfig(base, { name: 's', match: {}, chain: ['code-sanitation'] }).policies?.chain, ['code-sanitation']);
  });
});

describe('scope lint', () => {
  it('E013: a second scope with the same name is an error at its name, with line and column', async () => {
    const text = `pack: { name: t, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers: { targets: [{ id: demo, provider: demo }] }
scopes:
  - name: coding-assistant
    match: { clients: [claude-cli] }
  - name: other
    match: { clients: [codex] }
  -   name: coding-assistant
      match: { key_tags: [assistant] }
      mode: flag
`;
    const { config, diagnostics } = parseConfigText(text, 'dup.yaml');
    assert.equal(config, undefined, 'a config with duplicate scope names must not load');
    const hits = diagnostics.filter((d) => d.code === 'E013');
    assert.equal(hits.length, 1, JSON.stringify(diagnostics));
    assert.deepEqual({ ...hits[0], help: undefined }, {
      code: 'E013', severity: 'error', file: 'dup.yaml', line: 9, col: 13, path: 'scopes[2].name',
      message: 'scope name "coding-assistant" is already used by scopes[0]', help: undefined,
    });
    assert.match(formatDiagnostic(hits[0]), /^dup\.yaml:9:13: error E013 scopes\[2\]\.name: /);
  });
});

describe('flag mode and failing policies', () => {
  const boom = { id: 'boom', scan: (): never => { throw new Error(`leaky ${SECRET}`); } };
  const config = {
    policies: { chain: [] as string[] },
    scopes: [
      { name: 'pilot', match: {}, chain: ['code-sanitation'], mode: 'flag' as const },
      { name: 'strict', match: {}, chain: ['code-sanitation'] },
    ],
  };
  const hooks = createScopedPolicyHooks(config, { detectors: { ...defaultDetectors, secrets: () => boom }, failMode: 'block' });
  const exchange = (scope: string, mode: 'flag' | 'enforce'): Exchange => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hello' }] };
    return {
      id: 'evt_t', requestId: 'r', startedAt: Date.now(), t: { start: 0 }, configVersion: 't', route: '/v1/chat/completions', dialect: 'openai-chat', method: 'POST',
      headers: {}, client: 'curl', principal: { kind: 'anonymous' }, rawBody: Buffer.from(JSON.stringify(body)), body, bodyEdited: false, model: 'm', stream: false,
      attempts: 0, policyResults: [], verdict: 'allow', scope: { name: scope, reason: 'default', mode },
    };
  };

  it('a flag-mode scope whose policy throws lets the request through and records the error', async () => {
    const ex = exchange('pilot', 'flag');
    assert.equal(await hooks.inspectRequest(ex), undefined);
    assert.equal(ex.bodyEdited, false);
    const r = ex.policyResults.find((p) => p.policy === 'code-sanitation')!;
    assert.equal(r.error, 'threw Error');
    assert.equal(r.verdict, 'flag');
    assert.equal(r.reasonCode, 'policy_failed');
    assert.match(r.reason!, /would have applied block/);
    assert.ok(!JSON.stringify(ex.policyResults).includes(SECRET));
  });

  it('the same failure in an enforcing scope still fails closed under fail-mode block', async () => {
    const err = await hooks.inspectRequest(exchange('strict', 'enforce'));
    assert.equal(err?.code, 'KT_ERR_POLICY_FAILED');
  });
});

describe('scopes in the gateway', () => {
  let dir: string;
  let demo: DemoServer;
  let gw: Gateway;
  let loaded: LoadedConfig;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-scopes-'));
    demo = await startDemoServer();
    const { config, diagnostics } = parseConfigText(
      `
pack: { name: scopes-test, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: single
  targets: [{ id: up, provider: anthropic, base_url: ${JSON.stringify(demo.url)} }]
gateway: { data_dir: ${JSON.stringify(dir)} }
scopes:
  - name: shadow
    match: { header: { name: x-kt-lane, value: shadow } }
    chain: [code-sanitation]
    mode: flag
  - name: assistants
    match: { route_prefix: /assistants }
    chain: [code-sanitation]
    policy: { code-sanitation: { block_on_match: false } }
  - name: team-lane
    match: { route_prefix: /team, header: { name: x-team-lane } }
    chain: [code-sanitation]
    policy: { code-sanitation: { block_on_match: false } }
  - name: claude
    match: { clients: [claude-cli] }
    chain: []
`,
      'scopes.yaml',
    );
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!config || errors.length) throw new Error(JSON.stringify(errors));
    loaded = { config, version: 'scopes', files: [], warnings: [] };
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false });
  });
  after(async () => {
    await gw.close();
    await demo.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = { model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: `deploy with AWS_ACCESS_KEY_ID=${SECRET} please` }] };
  const send = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(gw.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'x', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text(), id: res.headers.get('x-request-id') };
  };
  const events = async (): Promise<DecisionEvent[]> => {
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    return (await (await ev.store).query({ limit: 100, order: 'asc' })).map((r) => r.event);
  };

  it('applies the scope chain under the route prefix and leaves the general path untouched', async () => {
    demo.reset();
    const a = await send('/assistants/v1/messages?beta=true');
    assert.equal(a.status, 200, a.text);
    const g = await send('/v1/messages');
    assert.equal(g.status, 200, g.text);
    assert.equal(demo.requests.length, 2);
    assert.equal(demo.requests[0].path, '/v1/messages?beta=true');
    assert.ok(!demo.requests[0].rawBody.toString().includes(SECRET), 'the assistant path forwarded the secret');
    assert.ok(demo.requests[1].rawBody.toString().includes(SECRET), 'the general path was changed');
    const evs = await events();
    const ea = evs.find((e) => e.request_id === a.id)!;
    const eg = evs.find((e) => e.request_id === g.id)!;
    assert.equal(ea.scope, 'assistants');
    assert.equal(ea.route, '/v1/messages');
    assert.ok(ea.policies.some((p) => p.policy === 'code-sanitation' && p.verdict === 'redact'), JSON.stringify(ea.policies));
    assert.equal(eg.scope, undefined);
    assert.equal(eg.policies.length, 0);
    assert.ok(!JSON.stringify(evs).includes(SECRET));
  });

  it('a route prefix is stripped only for its own scopes: a request under it that fits none is refused naming the prefix', async () => {
    demo.reset();
    const refused = await send('/team/v1/messages', { 'user-agent': 'claude-cli/2.1.197 (external, cli)' });
    assert.equal(refused.status, 404, refused.text);
    const err = JSON.parse(refused.text);
    assert.equal(err.type, 'error');
    assert.match(err.error.message, /requests under \/team .*scope team-lane needs header x-team-lane/);
    assert.equal(demo.requests.length, 0, 'a refused request must not reach the provider');
    const ok = await send('/team/v1/messages', { 'x-team-lane': '1', 'user-agent': 'claude-cli/2.1.197 (external, cli)' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(demo.requests[0].path, '/v1/messages');
    assert.ok(!demo.requests[0].rawBody.toString().includes(SECRET));
    const general = await send('/v1/messages', { 'user-agent': 'claude-cli/2.1.197 (external, cli)' });
    assert.equal(general.status, 200);
    assert.ok(demo.requests[1].rawBody.toString().includes(SECRET), 'the claude scope (empty chain) changed the body');
    const evs = await events();
    assert.equal(evs.find((e) => e.request_id === refused.id)?.status, 404);
    assert.equal(evs.find((e) => e.request_id === ok.id)?.scope, 'team-lane');
    assert.equal(evs.find((e) => e.request_id === general.id)?.scope, 'claude');
    // An unknown prefix is not a scope's: it is just an unknown route.
    const unknown = await send('/nope/v1/messages');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /No route POST \/nope\/v1\/messages/);
  });

  it('flag mode records what the scope would have done and forwards the request unchanged', async () => {
    demo.reset();
    const f = await send('/v1/messages', { 'x-kt-lane': 'shadow' });
    assert.equal(f.status, 200, f.text);
    assert.ok(demo.requests[0].rawBody.toString().includes(SECRET));
    const ef = (await events()).find((e) => e.request_id === f.id)!;
    assert.equal(ef.scope, 'shadow');
    const cs = ef.policies.find((p) => p.policy === 'code-sanitation')!;
    assert.equal(cs.verdict, 'flag');
    assert.ok(cs.findings.length > 0);
  });
});
