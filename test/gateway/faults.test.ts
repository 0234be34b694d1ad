/**
 * Upstream faults (429, 5xx, reset, hang, reset mid-stream) → fallback to the next target, or a clear
 * error in the client's dialect; never a hung client, and never a fallback once bytes reached it.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { startGateway } from '../../src/gateway/server.js';
import { TEST_ENV, loadYaml, postJson, rig } from './helpers.js';

const TWO_TARGETS = `
pack: { name: faults, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: fallback
  retry: { attempts: 0, backoff_ms: 1, max_backoff_ms: 5 }
  circuit_breaker: { failure_threshold: 50, cooldown_seconds: 30 }
  targets:
    - id: primary
      provider: openai
      model: primary
      models: ["gpt-*", "claude-*"]
      secret_key_ref: { env: TEST_KEY }
      timeout_seconds: 0.5
      stream_timeout_seconds: 0.5
    - id: backup
      provider: openai
      model: backup
      models: ["gpt-*"]
      secret_key_ref: { env: TEST_KEY }
`;

const chat = (content = 'hi', extra: object = {}) => ({ model: 'gpt-4o', messages: [{ role: 'user', content }], ...extra });

describe('fallback before the first byte', () => {
  for (const [name, fault] of [
    ['500', { kind: 'status', status: 500 }],
    ['503', { kind: 'status', status: 503 }],
    ['429 with retry-after', { kind: 'status', status: 429, headers: { 'retry-after': '0' } }],
    ['connection reset', { kind: 'reset' }],
    ['hang (timeout)', { kind: 'hang' }],
  ] as const) {
    it(`${name} on the primary → the backup answers`, async (t) => {
      const { demo, gw } = await rig(t, TWO_TARGETS, { env: TEST_ENV });
      demo.faults.add({ ...fault, when: { model: 'primary' } } as never);
      const res = await postJson(`${gw.url}/v1/chat/completions`, chat());
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.model, 'backup');
      assert.deepEqual(
        demo.requests.map((q) => (q.json as { model: string }).model),
        ['primary', 'backup'],
      );
    });
  }

  it('a streamed request fails over when the primary hangs before its first chunk', async (t) => {
    const { demo, gw } = await rig(t, TWO_TARGETS, { env: TEST_ENV });
    demo.faults.add({ kind: 'hang', when: { model: 'primary' } });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('s', { stream: true }));
    assert.equal(res.status, 200);
    assert.match(res.text, /"model":"backup"/);
    assert.match(res.text, /data: \[DONE\]/);
  });
});

describe('Retry-After under fallback', () => {
  it("the primary's Retry-After is kept while the backup is tried, and waited out before the primary is asked again", async (t) => {
    const yaml = TWO_TARGETS.replace('attempts: 0', 'attempts: 1');
    const { demo, gw } = await rig(t, yaml, { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 429, headers: { 'retry-after': '1' }, when: { model: 'primary' } });
    demo.faults.add({ kind: 'status', status: 500, when: { model: 'backup' } });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.model, 'primary');
    assert.deepEqual(
      demo.requests.map((q) => (q.json as { model: string }).model),
      ['primary', 'backup', 'primary'],
    );
    // Not before the hinted second (1 ms of slack for the millisecond clocks' rounding).
    const gap = demo.requests[2].receivedAt - demo.requests[0].receivedAt;
    assert.ok(gap >= 999, `primary asked again ${gap} ms after its 429 with retry-after: 1`);
  });
});

describe('no fallback after the first byte', () => {
  it('reset mid-stream ends the stream with an error event in the dialect', async (t) => {
    const { demo, gw } = await rig(t, TWO_TARGETS, { env: TEST_ENV });
    demo.faults.add({ kind: 'reset-mid-stream', afterEvents: 2, when: { model: 'primary' } });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('long answer please', { stream: true }));
    assert.equal(res.status, 200);
    assert.equal(demo.requests.length, 1, 'no second upstream request once the client had bytes');
    const last = res.text.trim().split('\n\n').at(-1)!;
    const err = JSON.parse(last.replace(/^data: /, ''));
    assert.equal(err.error.type, 'upstream_error');
    assert.equal(err.error.code, 'KT_ERR_UPSTREAM_UNREACHABLE');
  });

  it('an idle stream (no chunk within stream_timeout_seconds) ends with a timeout error event', async (t) => {
    const { demo, gw } = await rig(t, TWO_TARGETS, { env: TEST_ENV });
    demo.faults.add({ kind: 'slow-chunks', ms: 2000, when: { model: 'primary' } });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('slow', { stream: true }));
    assert.equal(res.status, 200);
    assert.equal(demo.requests.length, 1);
    const last = JSON.parse(res.text.trim().split('\n\n').at(-1)!.replace(/^data: /, ''));
    assert.equal(last.error.code, 'KT_ERR_UPSTREAM_TIMEOUT');
  });
});

describe('single target errors', () => {
  const SINGLE = `
pack: { name: single, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: single
  retry: { attempts: 1, backoff_ms: 1, max_backoff_ms: 5 }
  targets:
    - id: only
      provider: openai
      secret_key_ref: { env: TEST_KEY }
      timeout_seconds: 0.5
      stream_timeout_seconds: 0.5
`;

  it('a persistent 500 is retried, then relayed with its status and body', async (t) => {
    const { demo, gw } = await rig(t, SINGLE, { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 500, times: Infinity });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat());
    assert.equal(res.status, 500);
    assert.equal(demo.requests.length, 2, 'one retry (attempts: 1)');
    assert.ok(res.json.error, 'the provider error body is relayed');
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
  });

  it('a 429 with a long Retry-After is relayed at once, Retry-After included', async (t) => {
    const { demo, gw } = await rig(t, SINGLE, { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 429, headers: { 'retry-after': '120' }, times: Infinity });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat());
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '120');
    assert.equal(demo.requests.length, 1);
  });

  it('a hang becomes a 504 in the OpenAI envelope, saying what to change', async (t) => {
    const { demo, gw } = await rig(t, SINGLE, { env: TEST_ENV });
    demo.faults.add({ kind: 'hang', times: Infinity });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat());
    assert.equal(res.status, 504);
    assert.equal(res.json.error.code, 'KT_ERR_UPSTREAM_TIMEOUT');
    assert.match(res.json.error.message, /timeout_seconds/);
  });

  it('an unreachable provider becomes a 502 in the Anthropic envelope on /v1/messages', async (t) => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const yaml = SINGLE.replace('provider: openai', `provider: anthropic\n      base_url: http://127.0.0.1:${port}`);
    const gw = await startGateway({ loaded: loadYaml(yaml), listen: '127.0.0.1:0', logger: false, env: TEST_ENV });
    t.after(() => gw.close());
    const res = await postJson(`${gw.url}/v1/messages`, { model: 'claude', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(res.status, 502);
    assert.equal(res.json.type, 'error');
    assert.equal(res.json.error.type, 'upstream_error');
    assert.match(res.json.error.message, /could not be reached/);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures and skips the failing target', async (t) => {
    const yaml = TWO_TARGETS.replace('failure_threshold: 50', 'failure_threshold: 2');
    const { demo, gw } = await rig(t, yaml, { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 500, times: Infinity, when: { model: 'primary' } });
    for (let i = 0; i < 3; i++) assert.equal((await postJson(`${gw.url}/v1/chat/completions`, chat())).status, 200);
    const models = demo.requests.map((q) => (q.json as { model: string }).model);
    assert.deepEqual(models, ['primary', 'backup', 'primary', 'backup', 'backup']);
    const health = await (await fetch(`${gw.url}/health`)).json();
    assert.equal(health.status, 'degraded');
    assert.equal(health.providers.find((p: { id: string }) => p.id === 'primary').status, 'circuit_open');
  });
});
