/**
 * The official SDKs as clients of a translating gateway, the demo provider as the upstream: every
 * streamed event parses, and the SDK's accumulated final message equals the non-streaming answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { TEST_ENV, rig, singleTarget } from '../gateway/helpers.js';

const usage = { input_tokens: 11, output_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 };
const toolCalls = [
  { name: 'read_file', arguments: '{"path":"src/a.ts","lines":[1,20]}' },
  { name: 'grep', arguments: '{"pattern":"TODO","glob":"**/*.ts"}' },
];

/** Ids and timestamps are invented per answer; everything else must match. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!['id', 'created', 'created_at', 'completed_at', 'output_text', 'parsed_arguments', 'parsed', 'output_parsed', 'parsed_output', 'stop_details'].includes(k)) out[k] = strip(x);
    return out;
  }
  return v;
}

describe('@anthropic-ai/sdk → OpenAI-chat target (Claude Code on an OpenAI-compatible model)', () => {
  it('streams text and parallel tool calls; finalMessage equals the non-streaming message', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai-compatible'), { env: TEST_ENV });
    demo.script({ text: 'I will look at two things.', toolCalls, usage, times: 2 });
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'qwen-coder',
      max_tokens: 512,
      system: [{ type: 'text', text: 'You are a coding agent.' }],
      tools: [
        { name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' }, lines: { type: 'array', items: { type: 'integer' } } }, required: ['path'] } },
        { name: 'grep', description: 'Search', input_schema: { type: 'object', properties: { pattern: { type: 'string' }, glob: { type: 'string' } }, required: ['pattern'] } },
      ],
      tool_choice: { type: 'auto' },
      messages: [{ role: 'user', content: 'look around' }],
    };
    const plain = await client.messages.create(params);
    const stream = client.messages.stream(params);
    const types: string[] = [];
    stream.on('streamEvent', (ev) => types.push(ev.type));
    const streamed = await stream.finalMessage();

    assert.equal(plain.stop_reason, 'tool_use');
    assert.deepEqual(
      plain.content.map((c) => c.type),
      ['text', 'tool_use', 'tool_use'],
    );
    assert.deepEqual((plain.content[1] as Anthropic.ToolUseBlock).input, { path: 'src/a.ts', lines: [1, 20] });
    // The chat upstream reports prompt_tokens = 131 with 100 cached and no cache-write figure.
    assert.deepEqual(plain.usage.input_tokens, 31);
    assert.deepEqual(plain.usage.cache_creation_input_tokens, null);
    assert.deepEqual(plain.usage.cache_read_input_tokens, 100);
    assert.deepEqual(plain.usage.output_tokens, 7);
    assert.deepEqual(strip(streamed), strip(plain));
    assert.equal(types[0], 'message_start');
    assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop']);
    assert.ok(!types.includes('error'));

    const sent = demo.requests[1].json as Record<string, any>;
    assert.equal(demo.requests[1].path, '/v1/chat/completions');
    assert.deepEqual(sent.stream_options, { include_usage: true }, 'usage is requested upstream for the Anthropic client');
    assert.deepEqual(sent.messages[0], { role: 'system', content: 'You are a coding agent.' });
    assert.deepEqual(sent.tool_choice, 'auto');
    assert.equal(sent.tools.length, 2);
  });
});

describe('openai responses (Codex) → Anthropic target', () => {
  it('emits the Codex event sequence; finalResponse equals the non-streaming response', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV });
    demo.script({ text: 'Patching now.', toolCalls: [toolCalls[0]], usage, times: 2 });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const params: OpenAI.Responses.ResponseCreateParamsNonStreaming = {
      model: 'claude-sonnet',
      store: false,
      include: ['reasoning.encrypted_content'],
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix it' }] },
      ],
      tools: [{ type: 'function', name: 'read_file', description: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } } }, strict: false }],
    };
    const plain = await client.responses.create(params);
    const stream = client.responses.stream({ ...params, stream: true });
    const types: string[] = [];
    const seqs: number[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      seqs.push(ev.sequence_number);
    }
    const streamed = await stream.finalResponse();

    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...types.filter((x) => x === 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      ...types.filter((x) => x === 'response.function_call_arguments.delta'),
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(seqs, seqs.map((_, i) => i));
    assert.equal(plain.status, 'completed');
    assert.equal(plain.output_text, 'Patching now.');
    const call = plain.output[1] as OpenAI.Responses.ResponseFunctionToolCall;
    assert.equal(call.type, 'function_call');
    assert.equal(call.arguments, toolCalls[0].arguments);
    assert.equal(plain.usage?.input_tokens, 131);
    assert.equal(plain.usage?.input_tokens_details.cached_tokens, 100);
    assert.deepEqual(strip(streamed), strip(plain));

    const sent = demo.requests[0].json as Record<string, any>;
    assert.equal(demo.requests[0].path, '/v1/messages');
    assert.deepEqual(sent.system, [{ type: 'text', text: 'You are Codex.' }]);
    assert.deepEqual(sent.tools[0].input_schema, { type: 'object', properties: { path: { type: 'string' } } });
  });
});

describe('openai responses (Codex) → OpenAI-chat target', () => {
  it('finalResponse equals the non-streaming response, usage carried', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai-compatible'), { env: TEST_ENV });
    demo.script({ text: 'Done.', toolCalls, usage, times: 2 });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const params: OpenAI.Responses.ResponseCreateParamsNonStreaming = {
      model: 'local-model',
      instructions: 'Be brief.',
      input: 'do two things',
      tools: [
        { type: 'function', name: 'read_file', parameters: { type: 'object', properties: {} }, strict: false },
        { type: 'function', name: 'grep', parameters: { type: 'object', properties: {} }, strict: false },
      ],
    };
    const plain = await client.responses.create(params);
    const streamed = await client.responses.stream({ ...params, stream: true }).finalResponse();
    assert.deepEqual(
      plain.output.map((o) => o.type),
      ['message', 'function_call', 'function_call'],
    );
    assert.equal(plain.usage?.output_tokens, 7);
    assert.deepEqual(strip(streamed), strip(plain));
    assert.equal(demo.requests[0].path, '/v1/chat/completions');
    assert.deepEqual((demo.requests[0].json as Record<string, any>).messages[0], { role: 'system', content: 'Be brief.' });
  });
});

describe('openai chat → Anthropic target', () => {
  it('streamed tool calls accumulate to the non-streaming completion; usage only when asked', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV });
    demo.script({ text: 'Checking.', toolCalls, usage, times: 3 });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
      model: 'claude-sonnet',
      messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'go' }],
      tools: toolCalls.map((c) => ({ type: 'function' as const, function: { name: c.name, parameters: { type: 'object', properties: {} } } })),
      tool_choice: 'required',
    };
    const plain = await client.chat.completions.create(params);
    const streamed = await client.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } }).finalChatCompletion();
    assert.equal(plain.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(
      plain.choices[0].message.tool_calls?.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : [])),
      toolCalls.map((c) => [c.name, c.arguments]),
    );
    assert.deepEqual(plain.usage, { prompt_tokens: 131, completion_tokens: 7, total_tokens: 138, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, cache_creation_input_tokens: 20 });
    assert.deepEqual(strip(streamed.choices), strip(plain.choices));
    assert.deepEqual(streamed.usage, plain.usage);

    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create({ ...params, stream: true })) chunks.push(c);
    assert.ok(chunks.every((c) => c.choices.length === 1), 'no usage-only chunk when the client did not ask for it');
    assert.equal((demo.requests[0].json as Record<string, any>).tool_choice.type, 'any');
  });
});

/** What a client rebuilds from completion chunks: the text_completion the non-streaming call returns. */
async function foldCompletion(stream: AsyncIterable<OpenAI.Completions.Completion>): Promise<Record<string, unknown>> {
  let text = '';
  let finish: string | null = null;
  let usage: unknown = null;
  let head: Record<string, unknown> = {};
  for await (const c of stream) {
    head = { object: c.object, model: c.model };
    if (c.usage) usage = c.usage;
    const choice = c.choices[0];
    if (!choice) continue;
    text += choice.text;
    finish = choice.finish_reason ?? finish;
  }
  return { ...head, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }], usage };
}

for (const [name, target] of [
  ['Anthropic target', singleTarget('anthropic')],
  ['chat-only target (endpoints: [chat])', singleTarget('openai-compatible', '      endpoints: [chat]\n')],
] as const) {
  describe(`openai completions (FIM) → ${name}`, () => {
    it('the streamed chunks rebuild the whole non-streaming text_completion (text, finish, usage, model)', async (t) => {
      const { gw, demo } = await rig(t, target, { env: TEST_ENV });
      demo.script({ text: 'return a + b;', usage, times: 2 });
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const params = { model: 'coder', prompt: 'function add(a, b) {\n  ', suffix: '\n}\n', max_tokens: 32 };
      const plain = await client.completions.create(params);
      assert.equal(plain.object, 'text_completion');
      assert.deepEqual(plain.choices, [{ text: 'return a + b;', index: 0, logprobs: null, finish_reason: 'stop' }]);
      assert.equal(plain.usage?.prompt_tokens, 131);
      assert.equal(plain.usage?.completion_tokens, 7);
      const streamed = await foldCompletion(await client.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }));
      assert.deepEqual(streamed, strip(plain));

      const sent = demo.requests[0].json as Record<string, any>;
      assert.equal(demo.requests[0].path, name.startsWith('Anthropic') ? '/v1/messages' : '/v1/chat/completions');
      assert.equal(sent.max_tokens, 32);
      assert.match(JSON.stringify(sent.messages), /<prefix>function add/);
    });
  });
}
