/**
 * What the demo puts on the wire, below what the SDKs show: SSE event names and order, `[DONE]` only
 * where the dialect has it, the include_usage chunk, routes (no /v1, Azure, query ignored), error
 * shapes, key checks, and byte-exact recording.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSseParser, type SseEvent } from '../../src/sse/parser.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';

let server: DemoServer;
before(async () => {
  server = await startDemoServer();
});
after(() => server.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}, base = server.url) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function events(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  const p = createSseParser({ onEvent: (e) => out.push(e) });
  p.feed(text);
  p.end();
  return out;
}

const dedupe = (xs: (string | undefined)[]) => xs.filter((x, i) => x !== xs[i - 1]);

describe('SSE framing per dialect', () => {
  it('chat: [DONE] last, no usage keys unless include_usage, then one usage chunk with empty choices', async () => {
    const plain = await post('/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type') ?? '', /^text\/event-stream/);
    const evs = events(plain.text);
    assert.equal(evs.at(-1)!.data, '[DONE]');
    assert.ok(evs.every((e) => e.event === undefined));
    assert.ok(evs.slice(0, -1).every((e) => !('usage' in JSON.parse(e.data))));
    assert.equal(JSON.parse(evs.at(-2)!.data).choices[0].finish_reason, 'stop');

    const withUsage = events((await post('/v1/chat/completions', { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] })).text);
    const chunks = withUsage.slice(0, -1).map((e) => JSON.parse(e.data));
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage.prompt_tokens > 0);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
  });

  it('anthropic: named events with ping, no [DONE]; tool input as input_json_delta pieces', async () => {
    const r = await post('/v1/messages?beta=true', {
      model: 'c',
      max_tokens: 100,
      stream: true,
      tools: [{ name: 'Bash', input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } }],
      messages: [{ role: 'user', content: 'use the Bash tool' }],
    });
    const evs = events(r.text);
    assert.ok(evs.every((e) => e.event === JSON.parse(e.data).type));
    assert.deepEqual(dedupe(evs.map((e) => e.event)), [
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    assert.ok(!r.text.includes('[DONE]'));
    const start = JSON.parse(evs[2].data);
    assert.equal(start.content_block.type, 'tool_use');
    const pieces = evs.filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data).delta);
    assert.ok(pieces.length >= 3 && pieces.every((d) => d.type === 'input_json_delta'));
    assert.deepEqual(JSON.parse(pieces.map((d) => d.partial_json).join('')), { command: 'ls' });
    const delta = JSON.parse(evs.at(-2)!.data);
    assert.equal(delta.delta.stop_reason, 'tool_use');
    assert.ok(delta.usage.output_tokens > 0);
  });

  it('responses: event name equals type, sequence numbers count up, no [DONE]', async () => {
    const r = await post('/v1/responses', { model: 'r', stream: true, input: 'hi' });
    const evs = events(r.text);
    assert.ok(evs.every((e) => e.event === JSON.parse(e.data).type));
    assert.deepEqual(evs.map((e) => JSON.parse(e.data).sequence_number), evs.map((_, i) => i));
    assert.equal(evs.at(-1)!.event, 'response.completed');
    assert.ok(JSON.parse(evs.at(-1)!.data).response.usage.total_tokens > 0);
    assert.ok(!r.text.includes('[DONE]'));
  });
});

describe('routes', () => {
  it('serves paths without /v1, ignores the query, and Azure deployments', async () => {
    const chat = await post('/chat/completions?x=1', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(chat.status, 200);
    assert.equal(JSON.parse(chat.text).object, 'chat.completion');
    const msg = await post('/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(JSON.parse(msg.text).type, 'message');
    const azure = await post('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21', { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(azure.status, 200);
    assert.equal(JSON.parse(azure.text).model, 'my-gpt');
    const azureEmb = await post('/openai/deployments/emb/embeddings?api-version=2024-10-21', { input: 'x', dimensions: 4 });
    assert.equal(JSON.parse(azureEmb.text).data[0].embedding.length, 4);
    const count = await post('/v1/messages/count_tokens', { model: 'c', messages: [{ role: 'user', content: 'hello world' }] });
    assert.ok(JSON.parse(count.text).input_tokens > 0);
  });

  it('models in each shape, HEAD /, and a 404 in the OpenAI shape', async () => {
    const oa = await (await fetch(`${server.url}/v1/models`)).json();
    assert.equal(oa.object, 'list');
    const an = await (await fetch(`${server.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })).json();
    assert.equal(an.data[0].type, 'model');
    assert.equal(an.has_more, false);
    assert.equal((await fetch(server.url, { method: 'HEAD' })).status, 200);
    const nf = await post('/v1/nope', {});
    assert.equal(nf.status, 404);
    assert.equal(JSON.parse(nf.text).error.code, 'unknown_url');
  });
});

describe('request errors', () => {
  it('invalid JSON and missing fields → 400 in each dialect', async () => {
    const chat = await post('/v1/chat/completions', '{"model":');
    assert.equal(chat.status, 400);
    assert.equal(JSON.parse(chat.text).error.type, 'invalid_request_error');
    const msg = await post('/v1/messages', '{nope');
    assert.equal(msg.status, 400);
    assert.equal(JSON.parse(msg.text).type, 'error');
    assert.equal(JSON.parse(msg.text).error.type, 'invalid_request_error');
    const noModel = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] });
    assert.equal(noModel.status, 400);
    assert.equal(JSON.parse(noModel.text).error.param, 'model');
    const noMessages = await post('/v1/chat/completions', { model: 'm' });
    assert.equal(JSON.parse(noMessages.text).error.message, "Missing required parameter: 'messages'.");
    const choiceOnly = await post('/v1/chat/completions', { model: 'm', tool_choice: 'auto', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(choiceOnly.status, 400);
    assert.equal(JSON.parse(choiceOnly.text).error.param, 'tool_choice');
    const noInput = await post('/v1/responses', { model: 'm' });
    assert.equal(noInput.status, 400);
  });

  it('requireKey: 401 in each shape unless x-api-key, Bearer or api-key carries it', async () => {
    const locked = await startDemoServer({ requireKey: 'sk-right' });
    try {
      const chatBody = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
      const bad = await post('/v1/chat/completions', chatBody, { authorization: 'Bearer sk-wrong' }, locked.url);
      assert.equal(bad.status, 401);
      assert.equal(JSON.parse(bad.text).error.code, 'invalid_api_key');
      const anth = await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [] }, {}, locked.url);
      assert.equal(anth.status, 401);
      assert.equal(JSON.parse(anth.text).error.type, 'authentication_error');
      assert.equal((await post('/v1/chat/completions', chatBody, { authorization: 'Bearer sk-right' }, locked.url)).status, 200);
      assert.equal((await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [] }, { 'x-api-key': 'sk-right' }, locked.url)).status, 200);
      assert.equal((await post('/openai/deployments/d/chat/completions', chatBody, { 'api-key': 'sk-right' }, locked.url)).status, 200);
    } finally {
      await locked.close();
    }
  });
});

describe('recording', () => {
  it('keeps the exact bytes, path with query, and headers', async () => {
    server.reset();
    const raw = '{ "model" : "m",\n  "messages":[{"role":"user","content":"caf\\u00e9 ☕"}], "zz_unknown": {"b":1,"a":2} }';
    await post('/v1/chat/completions?trace=1', raw, { 'x-stainless-lang': 'js', 'anthropic-beta': 'x-2026' });
    assert.equal(server.requests.length, 1);
    const rec = server.requests[0];
    assert.equal(rec.method, 'POST');
    assert.equal(rec.path, '/v1/chat/completions?trace=1');
    assert.ok(rec.rawBody.equals(Buffer.from(raw, 'utf8')));
    assert.equal(rec.headers['x-stainless-lang'], 'js');
    assert.equal(rec.headers['anthropic-beta'], 'x-2026');
    assert.deepEqual((rec.json as { zz_unknown: unknown }).zz_unknown, { b: 1, a: 2 });
    server.reset();
    assert.equal(server.requests.length, 0);
  });
});
