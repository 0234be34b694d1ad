/**
 * Bad input gets a clear 4xx in the client's dialect; operational routes answer; reloads validate and
 * swap atomically while in-flight requests finish on the config they started with.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { noopHooks } from '../../src/gateway/hooks.js';
import { startGateway } from '../../src/gateway/server.js';
import { TEST_ENV, loadYaml, postJson, rig, singleTarget } from './helpers.js';

const SMALL_BODY = singleTarget('openai') + 'gateway: { max_body_bytes: 2000 }\n';

describe('bad input', () => {
  it('malformed JSON → 400 invalid JSON, without quoting the body', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    const res = await postJson(`${gw.url}/v1/chat/completions`, '{"model": "x", "messages": [ AKIAQYLPMN5HHHFPZAM2');
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'KT_ERR_INVALID_JSON');
    assert.equal(res.json.error.type, 'validation_error');
    assert.equal(res.headers.get('x-should-retry'), 'false');
    assert.doesNotMatch(res.text, /AKIA/);
    assert.equal(demo.requests.length, 0);
  });

  for (const [route, body, field] of [
    ['/v1/chat/completions', { model: 'x', messages: 'hello' }, 'messages'],
    ['/v1/chat/completions', { model: 42, messages: [] }, 'model'],
    ['/v1/chat/completions', { model: 'x', messages: [{ content: 'no role' }] }, 'messages[0].role'],
    ['/v1/chat/completions', { model: 'x', messages: [], stream: 'yes' }, 'stream'],
    ['/v1/responses', { model: 'x', input: 5 }, 'input'],
    ['/v1/embeddings', { model: 'x' }, 'input'],
    ['/v1/completions', { model: 'x', prompt: { a: 1 } }, 'prompt'],
    ['/v1/messages', { model: 'x', max_tokens: 5 }, 'messages'],
    ['/v1/messages/count_tokens', { messages: [] }, 'model'],
    ['/v1/chat/completions', [1, 2], 'JSON object'],
  ] as const) {
    it(`${route} with a bad ${field} → 400 naming it`, async (t) => {
      const { gw } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
      const res = await postJson(`${gw.url}${route}`, body);
      assert.equal(res.status, 400);
      const error = route.startsWith('/v1/messages') ? (assert.equal(res.json.type, 'error'), res.json.error) : res.json.error;
      assert.equal(error.code, 'KT_ERR_INVALID_REQUEST');
      assert.ok(error.message.includes(field), error.message);
    });
  }

  it('oversize body → 413 naming the limit and the setting', async (t) => {
    const { gw, demo } = await rig(t, SMALL_BODY, { env: TEST_ENV });
    const res = await postJson(`${gw.url}/v1/messages`, { model: 'x', max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    assert.equal(res.status, 413);
    assert.equal(res.json.type, 'error');
    assert.equal(res.json.error.code, 'KT_ERR_BODY_TOO_LARGE');
    assert.match(res.json.error.message, /max_body_bytes/);
    assert.equal(demo.requests.length, 0);
  });

  it('the default limit accepts a 12 MB body', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    const big = { model: 'x', messages: [{ role: 'user', content: 'y'.repeat(12 * 1024 * 1024) }] };
    const res = await postJson(`${gw.url}/v1/chat/completions`, big);
    assert.equal(res.status, 200);
    assert.equal(demo.requests[0].rawBody.length, JSON.stringify(big).length);
  });

  it('unknown route → 404; GET on an API route → 405', async (t) => {
    const { gw } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    const a = await fetch(`${gw.url}/v1/nope`);
    assert.equal(a.status, 404);
    assert.equal((await a.json()).error.code, 'KT_ERR_NOT_FOUND');
    assert.ok(a.headers.get('x-request-id'));
    const b = await fetch(`${gw.url}/v1/chat/completions`);
    assert.equal(b.status, 405);
    await b.arrayBuffer();
  });

  it('a WebSocket upgrade on /v1/responses is refused at once with 426, carrying x-request-id', async (t) => {
    const { gw } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    const upgrade = (extra = '') =>
      new Promise<string>((resolve, reject) => {
        const s = connect(gw.port, '127.0.0.1', () => {
          s.write(`GET /v1/responses HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`);
        });
        let data = '';
        s.on('data', (c) => (data += c));
        s.on('end', () => resolve(data));
        s.on('error', reject);
      });
    const reply = await upgrade();
    assert.match(reply, /^HTTP\/1\.1 426 /);
    const id = /\r\nx-request-id: (\S+)\r\n/i.exec(reply)?.[1];
    assert.match(id ?? '', /^req_[0-9a-f]{24}$/);
    assert.equal(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error.request_id, id);
    // The client's own sane id is kept; one that could split the header is replaced.
    assert.match(await upgrade('x-request-id: codex-turn-7\r\n'), /\r\nx-request-id: codex-turn-7\r\n/);
    assert.match(await upgrade('x-request-id: a b\r\n'), /\r\nx-request-id: req_[0-9a-f]{24}\r\n/);
  });
});

describe('operational routes', () => {
  it('/, HEAD /, /health, /healthz, /readyz, /v1/models, /keeptrusts/config', async (t) => {
    const { gw } = await rig(t, singleTarget('openai', '      model: gpt-4o-mini\n'), { env: TEST_ENV });
    assert.equal((await fetch(`${gw.url}/`, { method: 'HEAD' })).status, 200);
    assert.equal((await (await fetch(`${gw.url}/`)).json()).name, 'kt');
    const health = await (await fetch(`${gw.url}/health`)).json();
    for (const k of ['status', 'uptime_seconds', 'version', 'providers', 'policies_loaded', 'requests_processed']) assert.ok(k in health, k);
    assert.equal(health.status, 'healthy');
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${gw.url}/readyz`)).status, 200);
    const models = await (await fetch(`${gw.url}/v1/models`)).json();
    assert.deepEqual(models.data.map((m: { id: string }) => m.id), ['gpt-4o-mini']);
    const cfg = await (await fetch(`${gw.url}/keeptrusts/config`)).json();
    assert.equal(cfg.version, 'test');
    assert.equal(cfg.config.providers.targets[0].id, 't1');
    assert.doesNotMatch(JSON.stringify(cfg), /sk-test-upstream-key/);
  });

  it('a target whose key env var is missing is unavailable, and /health says so', async (t) => {
    const { gw } = await rig(t, singleTarget('openai'), { env: {} });
    const health = await (await fetch(`${gw.url}/health`)).json();
    assert.equal(health.status, 'unhealthy');
    assert.match(health.providers[0].reason, /TEST_KEY/);
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'KT_ERR_NO_TARGET');
    assert.match(res.json.error.message, /TEST_KEY is not set/);
  });

  it('without a target key, the client key passes through', async (t) => {
    // Core behaviour only: identity (which checks kt_ keys) is replaced by the no-op hooks.
    const { gw, demo } = await rig(t, singleTarget('openai').replace('      secret_key_ref: { env: TEST_KEY }\n', ''), { env: {}, hooks: () => noopHooks });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer sk-client-own' });
    assert.equal(res.status, 200, res.text);
    assert.equal(demo.requests[0].headers.authorization, 'Bearer sk-client-own');
    // A kt access key never travels upstream.
    await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer kt_abc123' });
    assert.equal(demo.requests[1].headers.authorization, undefined);
  });
});

describe('reload', () => {
  const yaml = (name: string, model: string) => `
pack: { name: ${name}, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  targets:
    - id: demo
      provider: demo
      model: ${model}
`;

  it('POST /keeptrusts/config/reload validates, swaps, and keeps the old config when the new one is invalid', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'kt-reload-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'policy-config.yaml');
    await writeFile(file, yaml('one', 'model-one'));
    const gw = await startGateway({ configFiles: [file], listen: '127.0.0.1:0', logger: false, watch: false });
    t.after(() => gw.close());
    const v1 = gw.current().loaded.version;
    const first = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(first.json.model, 'model-one');

    await writeFile(file, yaml('two', 'model-two') + 'unknown_top_level_key: 1\n');
    const bad = await postJson(`${gw.url}/keeptrusts/config/reload`, {});
    assert.equal(bad.status, 422);
    assert.equal(bad.json.ok, false);
    assert.ok(Array.isArray(bad.json.diagnostics));
    assert.equal(gw.current().loaded.version, v1);

    await writeFile(file, yaml('two', 'model-two'));
    const good = await postJson(`${gw.url}/keeptrusts/config/reload`, {});
    assert.equal(good.status, 200);
    assert.notEqual(good.json.version, v1);
    const after = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(after.json.model, 'model-two');
  });

  it('an in-flight request finishes on the config it started with', async (t) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const gw = await startGateway({
      loaded: loadYaml(yaml('one', 'model-one')),
      listen: '127.0.0.1:0',
      logger: false,
      hooks: () => ({ ...noopHooks, identify: async () => (calls++ === 0 ? gate.then(() => undefined) : undefined) }),
    });
    t.after(() => gw.close());
    const inFlight = postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    await gw.reload(loadYaml(yaml('two', 'model-two')));
    const fresh = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(fresh.json.model, 'model-two');
    release();
    assert.equal((await inFlight).json.model, 'model-one');
  });
});

describe('fail mode', () => {
  const throwing = () => ({
    ...noopHooks,
    inspectRequest: async () => {
      throw new Error('analyzer crashed');
    },
  });

  it('block (default): a failing check stops the request with a non-retryable error', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV, hooks: throwing });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.status, 400); // (marked edit: policy engine) not 500: clients retry 5xx in storms
    assert.equal(res.json.error.code, 'KT_ERR_POLICY_FAILED');
    assert.equal(res.headers.get('x-should-retry'), 'false');
    assert.equal(demo.requests.length, 0);
  });

  it('allow: a failing check lets the request through', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV, hooks: throwing, failMode: 'allow' });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.status, 200);
    assert.equal(demo.requests.length, 1);
  });
});
