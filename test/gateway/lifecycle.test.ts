/**
 * Streams are relayed as they arrive, client disconnects abort the upstream call, usage is read from
 * JSON and folded from SSE for every dialect, hop-by-hop headers stay on their hop, and close()
 * drains in-flight requests before stopping.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { toEvent } from '../../src/audit/event.js';
import type { Exchange } from '../../src/gateway/exchange.js';
import { noopHooks } from '../../src/gateway/hooks.js';
import { TEST_ENV, postJson, rig, singleTarget } from './helpers.js';

function recordingHooks(seen: Exchange[]) {
  return () => ({ ...noopHooks, record: (ex: Exchange) => void seen.push(ex) });
}

/** Waits until `cond` holds (polling), failing the test after `ms`. */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('streaming relay', () => {
  it('the first event reaches the client while the upstream is still streaming; a client disconnect aborts upstream', async (t) => {
    const seen: Exchange[] = [];
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV, hooks: recordingHooks(seen) });
    demo.faults.add({ kind: 'slow-chunks', ms: 10_000 });
    const body = JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hello' }] });
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', (c: Buffer) => {
          resolve(c.toString('utf8'));
          req.destroy(); // the client goes away mid-stream
        });
      });
      req.on('error', () => undefined);
      req.end(body);
      setTimeout(() => reject(new Error('no first chunk')), 5000).unref();
    });
    assert.match(firstChunk, /^data: \{/);
    await until(() => seen.length === 1);
    assert.equal(seen[0].outcome, 'client_closed');
  });
});

describe('usage', () => {
  const cases: [string, string, object, (ex: Exchange) => void][] = [
    ['chat JSON', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'count' }] }, (ex) => assert.ok(ex.usage!.inputTokens! > 0 && ex.usage!.outputTokens! > 0)],
    [
      'chat SSE with include_usage',
      '/v1/chat/completions',
      { model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count' }] },
      (ex) => assert.ok(ex.usage!.inputTokens! > 0 && ex.usage!.outputTokens! > 0),
    ],
    [
      'chat SSE without include_usage → kt asked for it (stream_usage; unknown stays null when it cannot: stream-usage.test.ts)',
      '/v1/chat/completions',
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'count' }] },
      (ex) => assert.ok(ex.usage!.inputTokens! > 0 && ex.usage!.outputTokens! > 0),
    ],
    ['responses SSE', '/v1/responses', { model: 'gpt-5', stream: true, input: 'count' }, (ex) => assert.ok(ex.usage!.inputTokens! > 0 && ex.usage!.outputTokens! > 0)],
    ['embeddings', '/v1/embeddings', { model: 'e', input: 'count' }, (ex) => assert.ok(ex.usage!.inputTokens! > 0)],
  ];
  for (const [name, path, body, check] of cases) {
    it(name, async (t) => {
      const seen: Exchange[] = [];
      const { gw } = await rig(t, singleTarget('openai'), { env: TEST_ENV, hooks: recordingHooks(seen) });
      const res = await postJson(`${gw.url}${path}`, body);
      assert.equal(res.status, 200, res.text);
      await until(() => seen.length === 1);
      check(seen[0]);
      assert.equal(seen[0].outcome, 'served');
      assert.ok(seen[0].t.upstreamStart! >= seen[0].t.start && seen[0].t.end! >= seen[0].t.upstreamStart!);
    });
  }

  it('anthropic SSE: message_start usage kept, message_delta output folded in', async (t) => {
    const seen: Exchange[] = [];
    const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV, hooks: recordingHooks(seen) });
    demo.script({ text: 'cached answer', usage: { input_tokens: 11, output_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 5 } });
    const res = await postJson(`${gw.url}/v1/messages`, { model: 'claude', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(res.status, 200);
    await until(() => seen.length === 1);
    assert.deepEqual(seen[0].usage, { inputTokens: 11, outputTokens: 7, cacheReadTokens: 100, cacheWriteTokens: 5 });
  });
});

describe('timings in the decision event', () => {
  // What the gateway itself added (overhead) and what the provider took (upstream) add up to the latency;
  // the demo holds its first byte 40 ms, so the upstream share cannot be less. Relations only, no speeds.
  for (const [name, body] of [
    ['JSON', { model: 'gpt-4o', messages: [{ role: 'user', content: 'time me' }] }],
    ['SSE', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'time me' }] }],
  ] as const) {
    it(`${name}: latency = overhead + upstream, ttfb ≤ upstream, upstream not below the provider's wait`, async (t) => {
      const seen: Exchange[] = [];
      const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV, hooks: recordingHooks(seen) });
      demo.faults.add({ kind: 'slow-first-byte', ms: 40 });
      const res = await postJson(`${gw.url}/v1/chat/completions`, body);
      assert.equal(res.status, 200);
      await until(() => seen.length === 1);
      const ev = toEvent(seen[0]);
      for (const k of ['latency_ms', 'upstream_ms', 'ttfb_ms', 'overhead_ms'] as const) assert.equal(typeof ev[k], 'number', k);
      const [latency, upstream, ttfb, overhead] = [ev.latency_ms!, ev.upstream_ms!, ev.ttfb_ms!, ev.overhead_ms!];
      assert.ok(Math.abs(overhead + upstream - latency) <= 0.2, `${overhead} + ${upstream} vs ${latency}`);
      assert.ok(ttfb <= upstream && upstream <= latency && overhead >= 0, JSON.stringify({ ttfb, upstream, latency, overhead }));
      assert.ok(ttfb >= 39.9 && upstream >= 39.9, `the provider waited 40 ms before its first byte: ttfb ${ttfb}, upstream ${upstream}`);
    });
  }

  it('a request refused before any upstream call: no upstream time, all of it is overhead', async (t) => {
    const seen: Exchange[] = [];
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV, hooks: recordingHooks(seen) });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o', messages: 'not a list' });
    assert.equal(res.status, 400);
    await until(() => seen.length === 1);
    const ev = toEvent(seen[0]);
    assert.equal(demo.requests.length, 0);
    assert.equal(ev.upstream_ms, null);
    assert.equal(ev.ttfb_ms, null);
    assert.equal(ev.overhead_ms, ev.latency_ms);
  });
});

describe('headers', () => {
  it('hop-by-hop and connection-listed headers stay on their hop; others pass', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    // node:http, because fetch drops `connection` and other hop-by-hop headers on its own.
    const res = await new Promise<{ status: number; headers: Headers }>((resolve, reject) => {
      const req = httpRequest(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          connection: 'keep-alive, x-hop',
          'x-hop': 'drop me',
          'proxy-authorization': 'Basic abc',
          te: 'trailers',
          'x-custom-end-to-end': 'keep me',
          'accept-encoding': 'gzip',
        },
      }, (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode!, headers: new Headers(r.headers as Record<string, string>) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }));
    });
    assert.equal(res.status, 200);
    const h = demo.requests[0].headers;
    assert.equal(h['x-hop'], undefined);
    assert.equal(h['proxy-authorization'], undefined);
    assert.equal(h.te, undefined);
    assert.equal(h['accept-encoding'], undefined);
    assert.equal(h['x-custom-end-to-end'], 'keep me');
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
    assert.match(res.headers.get('x-upstream-request-id') ?? '', /./);
  });

  it("a sane client x-request-id is kept on the answer", async (t) => {
    const { gw } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { 'x-request-id': 'my-trace-1' });
    assert.equal(res.headers.get('x-request-id'), 'my-trace-1');
  });
});

describe('shutdown', () => {
  it('close() lets an in-flight request finish, then stops accepting', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    demo.faults.add({ kind: 'slow-first-byte', ms: 300 });
    const inFlight = postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'slow' }] });
    await until(() => demo.requests.length === 1);
    const closed = gw.close();
    const res = await inFlight;
    assert.equal(res.status, 200);
    await closed;
    await assert.rejects(fetch(`${gw.url}/healthz`));
  });
});
