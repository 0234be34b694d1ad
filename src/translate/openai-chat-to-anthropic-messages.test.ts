import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openaiChatToAnthropicMessages as pair } from './openai-chat-to-anthropic-messages.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';

const req = (extra: Record<string, unknown>) => pair.create().request({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }], ...extra }).body as Record<string, any>;

describe('openai-chat → anthropic-messages: request', () => {
  it('routes to /v1/messages and hoists system and developer prompts in order', () => {
    const out = pair.create().request({
      model: 'claude-x',
      messages: [
        { role: 'system', content: 'S1' },
        { role: 'developer', content: [{ type: 'text', text: 'D1' }] },
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'S2' },
      ],
    });
    assert.equal(out.route, '/v1/messages');
    const b = out.body as Record<string, any>;
    assert.deepEqual(b.system, [{ type: 'text', text: 'S1' }, { type: 'text', text: 'D1' }, { type: 'text', text: 'S2' }]);
    assert.deepEqual(b.messages, [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('keeps multi-part content: text, data-URL and https images', () => {
    const b = req({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
          ],
        },
      ],
    });
    assert.deepEqual(b.messages[0].content, [
      { type: 'text', text: 'look' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
    ]);
  });

  const tools = [{ type: 'function', function: { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } }];
  for (const [choice, parallel, expected] of [
    [undefined, undefined, undefined],
    ['auto', undefined, { type: 'auto' }],
    ['none', undefined, { type: 'none' }],
    ['required', undefined, { type: 'any' }],
    [{ type: 'function', function: { name: 'read' } }, undefined, { type: 'tool', name: 'read' }],
    ['auto', false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', true, { type: 'any' }],
  ] as const) {
    it(`maps tool_choice ${JSON.stringify(choice)} parallel=${parallel} → ${JSON.stringify(expected)}`, () => {
      const b = req({ tools, tool_choice: choice, parallel_tool_calls: parallel });
      assert.deepEqual(b.tools, [{ name: 'read', description: 'Read a file', input_schema: tools[0].function.parameters }]);
      assert.deepEqual(b.tool_choice, expected);
    });
  }

  it('gives a tool without a parameters schema an empty object schema', () => {
    const b = req({ tools: [{ type: 'function', function: { name: 'now' } }, { type: 'function', function: { name: 'odd', parameters: { properties: { a: { type: 'string' } } } } }] });
    assert.deepEqual(b.tools[0].input_schema, { type: 'object', properties: {} });
    assert.deepEqual(b.tools[1].input_schema, { properties: { a: { type: 'string' } }, type: 'object' });
  });

  it('drops tool_choice and parallel_tool_calls when there are no tools (Anthropic rejects them)', () => {
    const b = req({ tool_choice: 'required', parallel_tool_calls: false });
    assert.equal(b.tools, undefined);
    assert.equal(b.tool_choice, undefined);
  });

  it('turns parallel tool calls and their results into tool_use / tool_result, merging turns', () => {
    const b = req({
      messages: [
        { role: 'user', content: 'read two' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } },
            { id: 'call_2', type: 'function', function: { name: 'read', arguments: '{"path":"b"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'A' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'B1' }, { type: 'text', text: 'B2' }] },
        { role: 'user', content: 'thanks' },
      ],
    });
    assert.deepEqual(b.messages, [
      { role: 'user', content: [{ type: 'text', text: 'read two' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'read', input: { path: 'a' } },
          { type: 'tool_use', id: 'call_2', name: 'read', input: { path: 'b' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'A' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'B1' }, { type: 'text', text: 'B2' }] },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it('carries stop, max tokens (both spellings), sampling and the user id; defaults max_tokens', () => {
    assert.deepEqual(
      (({ stop_sequences, max_tokens, temperature, top_p, metadata }) => ({ stop_sequences, max_tokens, temperature, top_p, metadata }))(req({ stop: 'END', max_tokens: 100, temperature: 0.2, top_p: 0.9, user: 'u-1' })),
      { stop_sequences: ['END'], max_tokens: 100, temperature: 0.2, top_p: 0.9, metadata: { user_id: 'u-1' } },
    );
    assert.equal(req({ max_completion_tokens: 77, stop: ['a', 'b'] }).max_tokens, 77);
    assert.deepEqual(req({ stop: ['a', 'b'] }).stop_sequences, ['a', 'b']);
    assert.equal(req({}).max_tokens, 4096);
  });

  it('streams upstream without OpenAI-only stream_options', () => {
    const b = req({ stream: true, stream_options: { include_usage: true } });
    assert.equal(b.stream, true);
    assert.equal(b.stream_options, undefined);
  });

  it('rejects a body without messages with a coded error', () => {
    assert.throws(() => pair.create().request({ model: 'x' }), { code: 'KT_ERR_INVALID_REQUEST' });
  });
});

const anthropicMessage = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [
    { type: 'thinking', thinking: 'hmm', signature: 'sig' },
    { type: 'text', text: 'Reading.' },
    { type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'a' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
};

describe('openai-chat → anthropic-messages: response', () => {
  it('renders text, tool calls, finish reason and usage (prompt_tokens includes cache)', () => {
    const tr = pair.create();
    tr.request({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] });
    const r = tr.response(anthropicMessage) as Record<string, any>;
    assert.equal(r.object, 'chat.completion');
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    assert.equal(r.choices[0].message.content, 'Reading.');
    assert.deepEqual(r.choices[0].message.tool_calls, [{ id: 'toolu_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }]);
    assert.deepEqual(r.usage, { prompt_tokens: 130, completion_tokens: 5, total_tokens: 135, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, cache_creation_input_tokens: 20 });
  });

  for (const [usage, expected] of [
    [{ input_tokens: 10, output_tokens: 5 }, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }],
    [{ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: null }, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 } }],
    // The required counts cannot be left out: an unknown input count is 0 (docs/CLIENTS.md, usage).
    [{ output_tokens: 5 }, { prompt_tokens: 0, completion_tokens: 5, total_tokens: 5 }],
    [undefined, null],
  ] as const) {
    it(`usage ${JSON.stringify(usage)} → ${JSON.stringify(expected)}: no detail the upstream did not report`, () => {
      const r = pair.create().response({ ...anthropicMessage, usage }) as Record<string, any>;
      assert.deepEqual(r.usage, expected);
    });
  }

  for (const [stop, finish] of [
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ]) {
    it(`maps stop_reason ${stop} → ${finish}`, () => {
      const r = pair.create().response({ ...anthropicMessage, stop_reason: stop }) as Record<string, any>;
      assert.equal(r.choices[0].finish_reason, finish);
    });
  }
});

const anthropicStream = sse([
  ['message_start', { type: 'message_start', message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } } }],
  ['ping', { type: 'ping' }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'let me think' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Héllo ' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'wörld 🌍' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 1 }],
  ['content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'read', input: {} } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"path":' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"a"}' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 2 }],
  ['content_block_start', { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'toolu_2', name: 'read', input: {} } }],
  ['content_block_delta', { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{"path":"b"}' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 3 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } }],
  ['message_stop', { type: 'message_stop' }],
]);

const streaming = (includeUsage: boolean) => () => {
  const tr = pair.create();
  tr.request({ model: 'claude-x', stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}), messages: [{ role: 'user', content: 'hi' }] });
  return tr;
};

describe('openai-chat → anthropic-messages: stream', () => {
  it('translates text, parallel tool-call argument deltas, finish and usage; identical under any split', () => {
    const events = assertSplitInvariant(streaming(true), anthropicStream);
    assert.deepEqual(eventTypes(events), [
      'content', // role + empty content
      'reasoning_content',
      'content',
      'content',
      'tool_calls',
      'tool_calls',
      'tool_calls',
      'tool_calls',
      'tool_calls',
      'finish:tool_calls',
      'usage',
      '[DONE]',
    ]);
    const p = payloads(events);
    assert.equal(p[0].choices[0].delta.role, 'assistant');
    assert.equal(p[2].choices[0].delta.content + p[3].choices[0].delta.content, 'Héllo wörld 🌍');
    assert.deepEqual(p[4].choices[0].delta.tool_calls, [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'read', arguments: '' } }]);
    assert.deepEqual(p[6].choices[0].delta.tool_calls, [{ index: 0, function: { arguments: '"a"}' } }]);
    assert.deepEqual(p[7].choices[0].delta.tool_calls[0].index, 1);
    assert.deepEqual(p[10].choices, []);
    assert.deepEqual(p[10].usage, { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, cache_creation_input_tokens: 20 });
    assert.ok(p.every((x) => x.object === 'chat.completion.chunk' && x.id === p[0].id));
  });

  it('sends no usage chunk when the client did not ask for it', () => {
    const types = eventTypes(runStream(streaming(false)(), anthropicStream));
    assert.deepEqual(types.slice(-2), ['finish:tool_calls', '[DONE]']);
    assert.ok(!types.includes('usage'));
  });

  it('renders an upstream error event as an OpenAI error chunk, with no [DONE] after it', () => {
    const raw = sse([
      ['message_start', { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 1, output_tokens: 1 } } }],
      ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    ]);
    const events = runStream(streaming(false)(), raw);
    assert.deepEqual(eventTypes(events), ['content', 'error']);
    assert.deepEqual(payloads(events)[1], { error: { message: 'Overloaded', type: 'server_error', param: null, code: null } });
  });

  it('reports a cut upstream stream as an error, not as a finished answer', () => {
    const cut = anthropicStream.slice(0, anthropicStream.indexOf('event: message_delta'));
    const types = eventTypes(runStream(streaming(true)(), cut));
    assert.equal(types.at(-1), 'error');
    assert.ok(!types.includes('[DONE]'));
  });
});

describe('openai-chat → anthropic-messages: errors', () => {
  for (const [status, type, openaiType] of [
    [400, 'invalid_request_error', 'invalid_request_error'],
    [401, 'authentication_error', 'authentication_error'],
    [429, 'rate_limit_error', 'rate_limit_error'],
    [529, 'overloaded_error', 'server_error'],
    [500, 'api_error', 'server_error'],
  ] as const) {
    it(`${status} ${type} → OpenAI envelope, status kept`, () => {
      const r = pair.create().error(status, { type: 'error', error: { type, message: `m${status}` } });
      assert.deepEqual(r, { status, body: { error: { message: `m${status}`, type: openaiType, param: null, code: null } } });
    });
  }
  it('wraps a non-JSON upstream body', () => {
    const r = pair.create().error(502, '<html>bad gateway</html>') as { status: number; body: any };
    assert.equal(r.status, 502);
    assert.equal(r.body.error.message, '<html>bad gateway</html>');
  });
});

describe('openai-chat → anthropic-messages: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/messages',
    request: { model: 'claude-x', stream: true, messages: [{ role: 'user', content: 'hi' }] },
    upstreamStream: anthropicStream,
    cutMarker: 'event: content_block_stop',
    upstreamError: { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
    isClientError: isOpenAIError,
  });
});
