/**
 * Fault injection (programmatic, by header, by model name) and scripted replies, as a gateway's
 * upstream tests will use them.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { request } from 'undici';
import { createSseParser, type SseEvent } from '../../src/sse/parser.js';
import { parseFaultSpec, startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';

let server: DemoServer;
let openai: OpenAI;
let anthropic: Anthropic;
before(async () => {
  server = await startDemoServer();
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
});
afterEach(() => server.reset());
after(() => server.close());

const chat = { model: 'gpt-demo', messages: [{ role: 'user' as const, content: 'hi' }] };
const msg = { model: 'claude-demo', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };

/** Reads an SSE response event by event until the body ends or breaks. */
async function readEvents(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ events: SseEvent[]; error?: Error }> {
  const events: SseEvent[] = [];
  const parser = createSseParser({ onEvent: (e) => events.push(e) });
  try {
    const res = await request(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    for await (const chunk of res.body) parser.feed(chunk as Buffer);
    parser.end();
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

describe('fault specs', () => {
  it('parses statuses, kinds and parameters; rejects the rest', () => {
    assert.deepEqual(parseFaultSpec('429'), { kind: 'status', status: 429 });
    assert.deepEqual(parseFaultSpec('status-503'), { kind: 'status', status: 503 });
    assert.deepEqual(parseFaultSpec('reset-mid-stream-3'), { kind: 'reset-mid-stream', afterEvents: 3 });
    assert.deepEqual(parseFaultSpec('slow-chunks:20'), { kind: 'slow-chunks', ms: 20 });
    assert.deepEqual(parseFaultSpec('hang'), { kind: 'hang' });
    assert.equal(parseFaultSpec('explode'), undefined);
    assert.throws(() => server.faults.add({ kind: 'explode' as 'hang' }), TypeError);
  });
});

describe('status faults', () => {
  it('429 with retry-after in the OpenAI shape, used up after `times`', async () => {
    server.faults.add({ kind: 'status', status: 429, times: 2 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(openai.chat.completions.create(chat), (err: unknown) => {
        assert.ok(err instanceof OpenAI.RateLimitError);
        assert.equal(err.headers.get('retry-after'), '1');
        assert.equal((err.error as { code: string }).code, 'rate_limit_exceeded');
        return true;
      });
    }
    assert.equal((await openai.chat.completions.create(chat)).object, 'chat.completion');
    assert.equal(server.requests.length, 3);
  });

  it('529 overloaded in the Anthropic shape; when.path / when.model select the request', async () => {
    server.faults.add({ kind: 'status', status: 529, when: { path: '/v1/messages', model: 'claude-demo' } });
    assert.equal((await openai.chat.completions.create(chat)).object, 'chat.completion');
    assert.equal((await anthropic.messages.create({ ...msg, model: 'other' })).type, 'message');
    await assert.rejects(anthropic.messages.create(msg), (err: unknown) => {
      assert.ok(err instanceof Anthropic.APIError);
      assert.equal(err.status, 529);
      assert.equal((err.error as { error: { type: string } }).error.type, 'overloaded_error');
      return true;
    });
    assert.equal(server.faults.pending.length, 0);
  });

  it('by header and by model name, for a person with curl', async () => {
    const h = await request(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-demo-fault': '503' }, body: JSON.stringify(chat) });
    assert.equal(h.statusCode, 503);
    assert.equal(((await h.body.json()) as { error: { type: string } }).error.type, 'server_error');
    await assert.rejects(openai.chat.completions.create({ ...chat, model: 'demo-fault-500' }), (err: unknown) => err instanceof OpenAI.InternalServerError);
  });
});

describe('connection faults', () => {
  it('reset destroys the socket before any byte', async () => {
    server.faults.add({ kind: 'reset' });
    await assert.rejects(request(`${server.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) }));
    assert.equal(server.requests.length, 1, 'the request was still recorded');
  });

  it('reset-mid-stream cuts after N events', async () => {
    server.faults.add({ kind: 'reset-mid-stream', afterEvents: 3 });
    const r = await readEvents('/v1/messages', { ...msg, stream: true });
    assert.ok(r.error, 'the client sees a broken stream');
    assert.deepEqual(r.events.map((e) => e.event), ['message_start', 'ping', 'content_block_start']);
  });

  it('truncate ends the stream cleanly without its closing events', async () => {
    server.faults.add({ kind: 'truncate' });
    const a = await readEvents('/v1/messages', { ...msg, stream: true });
    assert.equal(a.error, undefined);
    assert.equal(a.events.at(-1)!.event, 'content_block_stop');
    const c = await readEvents('/v1/chat/completions', { ...chat, stream: true }, { 'x-demo-fault': 'truncate' });
    assert.ok(c.events.length > 0 && c.events.every((e) => e.data !== '[DONE]' && JSON.parse(e.data).choices[0].finish_reason === null));
  });

  it('slow-first-byte and slow-chunks still deliver the whole answer', async () => {
    server.faults.add({ kind: 'slow-first-byte', ms: 20 });
    assert.equal((await openai.chat.completions.create(chat)).object, 'chat.completion');
    const plain = await readEvents('/v1/responses', { model: 'r', stream: true, input: 'x' });
    server.faults.add({ kind: 'slow-chunks', ms: 2 });
    const slow = await readEvents('/v1/responses', { model: 'r', stream: true, input: 'x' });
    assert.deepEqual(slow.events.map((e) => e.event), plain.events.map((e) => e.event));
  });

  it('error-mid-stream: the in-stream error event of the dialect, which the SDKs raise', async () => {
    server.faults.add({ kind: 'error-mid-stream', afterEvents: 3, times: 3 });
    const raw = await readEvents('/v1/messages', { ...msg, stream: true });
    assert.deepEqual(raw.events.map((e) => e.event), ['message_start', 'ping', 'content_block_start', 'error']);
    assert.equal(JSON.parse(raw.events[3].data).error.type, 'overloaded_error');
    await assert.rejects(anthropic.messages.stream(msg).finalMessage(), (err: unknown) => err instanceof Anthropic.APIError && /Overloaded/.test(err.message));
    await assert.rejects(openai.chat.completions.stream({ ...chat }).finalChatCompletion(), (err: unknown) => err instanceof OpenAI.APIError);
    const r = await readEvents('/v1/responses', { model: 'r', stream: true, input: 'x' }, { 'x-demo-fault': 'error-mid-stream-1' });
    assert.deepEqual(r.events.map((e) => e.event), ['response.created', 'error']);
    assert.equal(JSON.parse(r.events[1].data).sequence_number, 1);
    // Without stream, the same fault is a plain error status.
    await assert.rejects(anthropic.messages.create({ ...msg, model: 'demo-fault-error-mid-stream' }), (err: unknown) => err instanceof Anthropic.APIError && err.status === 529);
  });

  it('hang never answers; close() ends it', async () => {
    const s = await startDemoServer();
    s.faults.add({ kind: 'hang' });
    const pending = request(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) });
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await s.close();
    await assert.rejects(pending);
  });
});

describe('scripted replies', () => {
  it('text and usage override in the next answer only', async () => {
    server.script({ text: 'scripted!', usage: { input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 5 } });
    const a = await openai.chat.completions.create(chat);
    assert.equal(a.choices[0].message.content, 'scripted!');
    assert.deepEqual([a.usage?.prompt_tokens, a.usage?.completion_tokens, a.usage?.prompt_tokens_details?.cached_tokens], [12, 3, 5]);
    const b = await openai.chat.completions.create(chat);
    assert.match(b.choices[0].message.content ?? '', /^Demo reply from kt/);
  });

  it('tool calls with exact argument text, in every dialect', async () => {
    server.script({ toolCalls: [{ name: 'lookup', arguments: '{"q":"secret sk-xyz"}' }], times: 2 });
    const m = await anthropic.messages.stream({ ...msg }).finalMessage();
    assert.equal(m.stop_reason, 'tool_use');
    assert.deepEqual(m.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : [])), [['lookup', { q: 'secret sk-xyz' }]]);
    const r = await openai.responses.create({ model: 'r', input: 'x' });
    assert.deepEqual(r.output.map((o) => (o.type === 'function_call' ? [o.name, o.arguments] : [])), [['lookup', '{"q":"secret sk-xyz"}']]);
  });

  it('rawChunks are written as separate pieces, exactly', async () => {
    const chunks = ['event: message_start\ndata: {"type":"mess', 'age_start"}\n\n', 'data: [DO', 'NE]\n\n'];
    server.script({ rawChunks: chunks, when: { path: '/v1/messages' } });
    const res = await request(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ ...msg, stream: true }) });
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    assert.equal(await res.body.text(), chunks.join(''));
  });
});
