/**
 * The official SDKs parse the demo's chat and messages answers, JSON and SSE, and the streamed
 * accumulation equals the non-streaming answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';

const READ_TOOL = {
  name: 'read_file',
  description: 'Read a file',
  schema: {
    type: 'object',
    properties: { path: { type: 'string' }, limit: { type: 'integer', minimum: 1 }, mode: { type: 'string', enum: ['text', 'bytes'] } },
    required: ['path', 'mode'],
  },
};
const GREP_TOOL = { name: 'grep', description: 'Search', schema: { type: 'object', properties: { pattern: { type: 'string' } }, required: ['pattern'] } };

let server: DemoServer;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  server = await startDemoServer();
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-demo', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.url, apiKey: 'sk-ant-demo', maxRetries: 0 });
});
after(() => server.close());

/** The SDK's stream helper adds `parsed_output` (structured outputs); the wire message has none. */
function wire(m: Anthropic.Message): Anthropic.Message {
  const { parsed_output: _parsed, ...rest } = m as Anthropic.Message & { parsed_output?: unknown };
  return rest;
}

const chatTools = [READ_TOOL, GREP_TOOL].map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.schema } }));
const anthropicTools = [READ_TOOL, GREP_TOOL].map((t) => ({ name: t.name, description: t.description, input_schema: t.schema as Anthropic.Tool.InputSchema }));

describe('openai chat completions', () => {
  it('answers with what it received, echoing the model', async () => {
    const res = await openai.chat.completions.create({
      model: 'gpt-demo',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'my key is [REDACTED]' }] },
      ],
      tools: chatTools,
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, 'gpt-demo');
    assert.match(res.id, /^chatcmpl-/);
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.choices[0].message.content, 'Demo reply from kt: I received 4 messages (2 tools). Your last message was: "my key is [REDACTED]"');
    assert.ok(res.usage && res.usage.prompt_tokens > 0 && res.usage.completion_tokens > 0);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens + res.usage.completion_tokens);
  });

  it('is deterministic', async () => {
    const body = { model: 'm', messages: [{ role: 'user' as const, content: 'same' }] };
    const a = await openai.chat.completions.create(body);
    const b = await openai.chat.completions.create(body);
    assert.equal(a.id, b.id);
    assert.equal(a.choices[0].message.content, b.choices[0].message.content);
  });

  it('streams the same message the JSON answer has, usage only when asked', async () => {
    const body = { model: 'gpt-demo', messages: [{ role: 'user' as const, content: 'hello there' }] };
    const json = await openai.chat.completions.create(body);
    const chunks = [];
    for await (const c of await openai.chat.completions.create({ ...body, stream: true })) chunks.push(c);
    assert.ok(chunks.length >= 3);
    assert.ok(chunks.every((c) => !('usage' in c)), 'no usage field without include_usage');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.equal(text, json.choices[0].message.content);

    const stream = openai.chat.completions.stream({ ...body, stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].message.content, json.choices[0].message.content);
    assert.equal(final.choices[0].finish_reason, 'stop');
    assert.equal(final.id, json.id);
    assert.deepEqual(final.usage, json.usage);
  });

  it('calls a tool when asked, arguments from the JSON schema, streamed in pieces', async () => {
    const body = { model: 'gpt-demo', messages: [{ role: 'user' as const, content: 'Please use the read_file tool' }], tools: chatTools };
    const json = await openai.chat.completions.create(body);
    const msg = json.choices[0].message;
    assert.equal(json.choices[0].finish_reason, 'tool_calls');
    assert.equal(msg.content, null);
    assert.equal(msg.tool_calls?.length, 1);
    const call = msg.tool_calls![0];
    assert.ok(call.type === 'function');
    assert.equal(call.function.name, 'read_file');
    assert.deepEqual(JSON.parse(call.function.arguments), { path: 'README.md', mode: 'text' });

    const chunks = [];
    for await (const c of await openai.chat.completions.create({ ...body, stream: true })) chunks.push(c);
    const argDeltas = chunks.filter((c) => c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments);
    assert.ok(argDeltas.length >= 3, 'arguments arrive in several deltas');
    const final = await openai.chat.completions.stream({ ...body }).finalChatCompletion();
    assert.deepEqual(
      final.choices[0].message.tool_calls?.map((t) => (t.type === 'function' ? [t.id, t.function.name, t.function.arguments] : [])),
      [[call.id, 'read_file', call.function.arguments]],
    );
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
  });

  it('forced tool_choice and parallel calls', async () => {
    const forced = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      tools: chatTools,
      tool_choice: { type: 'function', function: { name: 'grep' } },
    });
    assert.equal(forced.choices[0].message.tool_calls?.[0].type === 'function' && forced.choices[0].message.tool_calls[0].function.name, 'grep');
    const par = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'call tools in parallel' }], tools: chatTools });
    const names = par.choices[0].message.tool_calls?.map((t) => (t.type === 'function' ? t.function.name : ''));
    assert.deepEqual(names, ['read_file', 'grep']);
    const ids = new Set(par.choices[0].message.tool_calls?.map((t) => t.id));
    assert.equal(ids.size, 2);
    const none = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'call a tool' }], tools: chatTools, tool_choice: 'none' });
    assert.equal(none.choices[0].finish_reason, 'stop');
  });

  it('answers with text after a tool result, quoting it', async () => {
    const res = await openai.chat.completions.create({
      model: 'm',
      messages: [
        { role: 'user', content: 'use the read_file tool' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'FILE BODY' },
      ],
      tools: chatTools,
    });
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.match(res.choices[0].message.content ?? '', /The last tool result was: "FILE BODY"/);
  });

  it('max_tokens cuts the text with finish_reason length', async () => {
    const res = await openai.chat.completions.create({ model: 'm', max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.choices[0].finish_reason, 'length');
    assert.equal(res.choices[0].message.content?.length, 12);
  });
});

describe('anthropic messages', () => {
  it('answers JSON with usage including cache fields', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-demo',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'system prompt '.repeat(50), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
      tools: anthropicTools,
    });
    assert.equal(msg.type, 'message');
    assert.equal(msg.model, 'claude-demo');
    assert.match(msg.id, /^msg_/);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.deepEqual(msg.content, [{ type: 'text', text: 'Demo reply from kt: I received 1 message (2 tools). Your last message was: "hello"' }]);
    // Two breakpoints: the first prefix is read from the cache, the part up to the second written.
    assert.ok((msg.usage.cache_read_input_tokens ?? 0) > 100);
    assert.ok((msg.usage.cache_creation_input_tokens ?? 0) > 0);
    assert.ok(msg.usage.input_tokens >= 0 && msg.usage.output_tokens > 0);
    const count = await anthropic.messages.countTokens({
      model: 'claude-demo',
      system: [{ type: 'text', text: 'system prompt '.repeat(50), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
      tools: anthropicTools,
    });
    assert.equal(count.input_tokens, msg.usage.input_tokens + msg.usage.cache_read_input_tokens! + msg.usage.cache_creation_input_tokens!);
  });

  it('no cache_control → zero cache tokens', async () => {
    const msg = await anthropic.messages.create({ model: 'c', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(msg.usage.cache_read_input_tokens, 0);
    assert.equal(msg.usage.cache_creation_input_tokens, 0);
  });

  it('streams every event type; the accumulated message equals the JSON one', async () => {
    const body = { model: 'claude-demo', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'stream please' }] };
    const json = await anthropic.messages.create(body);
    const types: string[] = [];
    const stream = anthropic.messages.stream(body);
    stream.on('streamEvent', (ev) => types.push(ev.type));
    const final = await stream.finalMessage();
    assert.deepEqual(wire(final), json);
    // The SDK swallows `ping`; test/demo/wire.test.ts checks it on the wire.
    assert.deepEqual(types.slice(0, 3), ['message_start', 'content_block_start', 'content_block_delta']);
    assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('tool use (forced, named, parallel, after a result) and thinking with signatures', async () => {
    const base = { model: 'claude-demo', max_tokens: 1024, tools: anthropicTools };
    const forced = await anthropic.messages.create({ ...base, tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(forced.stop_reason, 'tool_use');
    const use = forced.content.find((b) => b.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use');
    assert.equal(use.name, 'read_file');
    assert.match(use.id, /^toolu_/);
    assert.deepEqual(use.input, { path: 'README.md', mode: 'text' });

    const body = { ...base, thinking: { type: 'enabled' as const, budget_tokens: 1024 }, messages: [{ role: 'user' as const, content: 'call tools in parallel' }] };
    const json = await anthropic.messages.create(body);
    assert.deepEqual(json.content.map((b) => b.type), ['thinking', 'tool_use', 'tool_use']);
    const thinking = json.content[0];
    assert.ok(thinking.type === 'thinking' && thinking.signature.length > 40);
    const final = await anthropic.messages.stream(body).finalMessage();
    assert.deepEqual(wire(final), json);

    const afterResult = await anthropic.messages.create({
      ...base,
      messages: [
        { role: 'user', content: 'use the grep tool' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'grep', input: { pattern: 'x' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'match: line 3' }] }] },
      ],
    });
    assert.equal(afterResult.stop_reason, 'end_turn');
    assert.match((afterResult.content[0] as Anthropic.TextBlock).text, /Your last message was: "use the grep tool" The last tool result was: "match: line 3"/);
  });

  it('stop sequences cut the text with stop_reason stop_sequence', async () => {
    const body = { model: 'c', max_tokens: 100, stop_sequences: ['last message'], messages: [{ role: 'user' as const, content: 'hi' }] };
    const json = await anthropic.messages.create(body);
    assert.equal(json.stop_reason, 'stop_sequence');
    assert.equal(json.stop_sequence, 'last message');
    assert.deepEqual(json.content, [{ type: 'text', text: 'Demo reply from kt: I received 1 message (0 tools). Your ' }]);
    assert.deepEqual(wire(await anthropic.messages.stream(body).finalMessage()), json);
    const chat = await openai.chat.completions.create({ model: 'm', stop: ['received'], messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(chat.choices[0].message.content, 'Demo reply from kt: I ');
    assert.equal(chat.choices[0].finish_reason, 'stop');
  });

  it('errors in the Anthropic shape', async () => {
    await assert.rejects(
      anthropic.messages.create({ model: 'c', messages: [{ role: 'user', content: 'hi' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming),
      (err: unknown) => {
        assert.ok(err instanceof Anthropic.BadRequestError);
        const e = err as { error: unknown; requestID: string | null };
        assert.deepEqual(e.error, {
          type: 'error',
          error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
          request_id: e.requestID,
        });
        return true;
      },
    );
  });
});
