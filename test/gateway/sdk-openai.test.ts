/**
 * The official `openai` client, pointed at the gateway, completes chat, responses, completions and
 * embeddings calls — JSON and streamed, with tool calls — and the demo upstream receives exactly the
 * bytes the client sent, with the gateway's key in place of the client's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { TEST_ENV, recordingFetch, rig, singleTarget, type Rig } from './helpers.js';

let r: Rig;
let client: OpenAI;
const sent: string[] = [];
const hooks: (() => unknown)[] = [];

before(async () => {
  r = await rig({ after: (fn) => hooks.push(fn) }, singleTarget('openai'), { env: TEST_ENV });
  client = new OpenAI({ baseURL: `${r.gw.url}/v1`, apiKey: 'sk-client-key', maxRetries: 0, fetch: recordingFetch(sent) });
});
after(async () => {
  for (const fn of hooks.reverse()) await fn();
});

/** What the upstream got equals what the client sent, byte for byte; auth is the target's key. */
function assertPassedThrough(path: string): void {
  const got = r.demo.requests.at(-1)!;
  assert.equal(got.path, path);
  assert.equal(got.rawBody.toString('utf8'), sent.at(-1));
  assert.equal(got.headers.authorization, 'Bearer sk-test-upstream-key');
  assert.ok(Object.keys(got.headers).some((h) => h.startsWith('x-stainless-')), 'SDK headers are forwarded');
  assert.equal(got.headers.connection === 'upgrade', false);
}

const tools: OpenAI.Chat.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
];

describe('openai SDK through the gateway', () => {
  it('chat, JSON', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello gateway' }], temperature: 0.2, unknown_field: { keep: true } } as never)
      .withResponse();
    assert.match(data.choices[0].message.content ?? '', /hello gateway/);
    assert.match(response.headers.get('x-request-id') ?? '', /^req_/);
    assertPassedThrough('/v1/chat/completions');
    assert.deepEqual((r.demo.requests.at(-1)!.json as { unknown_field: unknown }).unknown_field, { keep: true });
  });

  it('chat, streamed with usage, and a tool call', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'use the read_file tool' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'read_file' } },
      stream: true,
      stream_options: { include_usage: true },
    });
    let args = '';
    let name = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      if (call?.function?.arguments) args += call.function.arguments;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(name, 'read_file');
    assert.equal(typeof JSON.parse(args).path, 'string');
    assert.ok(usage && usage.prompt_tokens > 0);
    assertPassedThrough('/v1/chat/completions');
  });

  it('chat, JSON, with a forced tool call', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'use the read_file tool' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'read_file' } },
    });
    const choice = res.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'read_file');
    assert.equal(typeof JSON.parse(call.function.arguments).path, 'string');
    assert.match(call.id, /^call_/);
    assertPassedThrough('/v1/chat/completions');
  });

  it('responses, streamed, with a function tool call (argument deltas, then done)', async () => {
    const stream = await client.responses.create({
      model: 'gpt-5',
      input: [{ role: 'user', content: 'use the read_file tool' }],
      tools: [{ type: 'function', name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }, strict: false }],
      tool_choice: { type: 'function', name: 'read_file' },
      stream: true,
      store: false,
    });
    let deltas = '';
    let done: string | undefined;
    let completed: OpenAI.Responses.Response | undefined;
    for await (const ev of stream) {
      if (ev.type === 'response.function_call_arguments.delta') deltas += ev.delta;
      if (ev.type === 'response.function_call_arguments.done') done = ev.arguments;
      if (ev.type === 'response.completed') completed = ev.response;
    }
    assert.ok(done !== undefined && deltas === done, 'the deltas add up to the final arguments');
    assert.equal(typeof JSON.parse(done).path, 'string');
    const call = completed?.output.find((o) => o.type === 'function_call');
    assert.ok(call && call.type === 'function_call');
    assert.equal(call.name, 'read_file');
    assert.equal(call.arguments, done);
    assertPassedThrough('/v1/responses');
  });

  it('responses, JSON and streamed (Codex-shaped input)', async () => {
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'developer', content: 'you are codex' },
      { role: 'user', content: 'say hi' },
    ];
    const res = await client.responses.create({ model: 'gpt-5', input, store: false, include: ['reasoning.encrypted_content'] });
    assert.match(res.output_text, /say hi/);
    assertPassedThrough('/v1/responses');

    const stream = await client.responses.create({ model: 'gpt-5', input, stream: true, store: false });
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'response.completed') completed = ev.response;
    }
    assert.equal(types[0], 'response.created');
    assert.equal(types.at(-1), 'response.completed');
    assert.ok(completed?.usage && completed.usage.input_tokens > 0);
    assertPassedThrough('/v1/responses');
  });

  it('responses with a function tool call', async () => {
    const res = await client.responses.create({
      model: 'gpt-5',
      input: 'use the read_file tool',
      tools: [{ type: 'function', name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }, strict: false }],
      tool_choice: { type: 'function', name: 'read_file' },
    });
    const call = res.output.find((o) => o.type === 'function_call');
    assert.equal(call?.type === 'function_call' && call.name, 'read_file');
    assertPassedThrough('/v1/responses');
  });

  it('legacy completions, JSON and streamed', async () => {
    const res = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'def add(a, b):', suffix: '\n', max_tokens: 16 });
    assert.ok(res.choices[0].text.length > 0);
    assertPassedThrough('/v1/completions');
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'x', stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.text ?? '';
    assert.ok(text.length > 0);
    assertPassedThrough('/v1/completions');
  });

  it('embeddings', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 8 });
    assert.equal(res.data.length, 2);
    assert.equal(res.data[0].embedding.length, 8);
    assertPassedThrough('/v1/embeddings');
  });

  it('paths without /v1 and with a query string route the same way', async () => {
    const noV1 = new OpenAI({ baseURL: r.gw.url, apiKey: 'sk-client-key', maxRetries: 0, fetch: recordingFetch(sent) });
    const res = await noV1.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'no prefix' }] }, { query: { 'api-version': 'x' } });
    assert.match(res.choices[0].message.content ?? '', /no prefix/);
    assert.equal(r.demo.requests.at(-1)!.path, '/v1/chat/completions?api-version=x');
  });
});
