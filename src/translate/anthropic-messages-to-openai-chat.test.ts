import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicMessagesToOpenaiChat as pair } from './anthropic-messages-to-openai-chat.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';
import { chatInterleavedStream, chatStream, chatTextInsideCallStream, chatTextStreamCrlf } from './stream-fixtures.js';
import { isAnthropicError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'gpt-x', max_tokens: 200, messages: [{ role: 'user', content: 'hi' }] };
const req = (extra: Record<string, unknown>, provider?: string) => pair.create({ provider }).request({ ...base, ...extra }).body as Record<string, any>;

describe('anthropic-messages → openai-chat: request', () => {
  it('keeps system prompts in order: top-level blocks first, then Claude Code\'s in-message system', () => {
    const b = req({
      system: [{ type: 'text', text: 'billing header' }, { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'system', content: 'mid-conversation note' },
        { role: 'user', content: 'hi' },
      ],
    });
    assert.deepEqual(b.messages, [
      { role: 'system', content: 'billing header\n\nYou are Claude Code.' },
      { role: 'system', content: 'mid-conversation note' },
      { role: 'user', content: 'hi' },
    ]);
    assert.deepEqual(req({ system: 'plain' }).messages[0], { role: 'system', content: 'plain' });
  });

  it('drops thinking and redacted_thinking blocks and the thinking config (signed by Anthropic only)', () => {
    const b = req({
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'secret plan', signature: 'SIG' }, { type: 'redacted_thinking', data: 'RED' }, { type: 'text', text: 'answer' }] },
        { role: 'user', content: 'more' },
      ],
    });
    assert.deepEqual(b.messages[1], { role: 'assistant', content: 'answer' });
    assert.equal(b.thinking, undefined);
    assert.doesNotMatch(JSON.stringify(b), /SIG|RED|secret plan/);
  });

  it('turns tool_use / tool_result (string, blocks, error, image) into tool_calls and tool messages', () => {
    const b = req({
      messages: [
        { role: 'user', content: 'read' },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'a' } }, { type: 'tool_use', id: 'toolu_2', name: 'read', input: { path: 'b' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '1\tline', cache_control: { type: 'ephemeral' } },
            { type: 'tool_result', tool_use_id: 'toolu_2', is_error: true, content: [{ type: 'text', text: 'ENOENT' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } }] },
            { type: 'text', text: 'go on' },
          ],
        },
      ],
    });
    assert.deepEqual(b.messages.slice(1), [
      {
        role: 'assistant',
        content: 'ok',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'read', arguments: '{"path":"b"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '1\tline' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: ENOENT' },
      { role: 'user', content: 'go on' },
    ]);
  });

  it('sends images as data URLs or https URLs', () => {
    const b = req({ messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }] });
    assert.deepEqual(b.messages[0].content, [
      { type: 'text', text: 'see' },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } },
      { type: 'image_url', image_url: { url: 'https://x/y.png' } },
    ]);
  });

  const tools = [
    { name: 'read', description: 'Read', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
  ];
  for (const [choice, expected, parallel] of [
    [undefined, undefined, undefined],
    [{ type: 'auto' }, 'auto', undefined],
    [{ type: 'any' }, 'required', undefined],
    [{ type: 'none' }, 'none', undefined],
    [{ type: 'tool', name: 'read' }, { type: 'function', function: { name: 'read' } }, undefined],
    [{ type: 'auto', disable_parallel_tool_use: true }, 'auto', false],
  ] as const) {
    it(`maps tool_choice ${JSON.stringify(choice)}; keeps client tools, drops server tools`, () => {
      const b = req({ tools, tool_choice: choice });
      assert.deepEqual(b.tools, [{ type: 'function', function: { name: 'read', description: 'Read', parameters: tools[0].input_schema } }]);
      assert.deepEqual(b.tool_choice, expected);
      assert.equal(b.parallel_tool_calls, parallel);
    });
  }

  it('drops tool_choice when no tools are sent', () => {
    const b = req({ tool_choice: { type: 'any' } });
    assert.equal(b.tool_choice, undefined);
    assert.equal(b.tools, undefined);
  });

  it('carries stop sequences, sampling, the user id; max_tokens spelled for the provider', () => {
    const b = req({ stop_sequences: ['\n\nHuman:'], temperature: 0.5, top_p: 0.8, metadata: { user_id: '{"session":"s1"}' } });
    assert.deepEqual([b.stop, b.temperature, b.top_p, b.user, b.max_tokens], [['\n\nHuman:'], 0.5, 0.8, '{"session":"s1"}', 200]);
    const o = req({}, 'openai');
    assert.equal(o.max_completion_tokens, 200);
    assert.equal(o.max_tokens, undefined);
  });

  it('asks for usage upstream when streaming', () => {
    const b = req({ stream: true });
    assert.deepEqual([b.stream, b.stream_options], [true, { include_usage: true }]);
    assert.equal(req({}).stream_options, undefined);
  });
});

describe('anthropic-messages → openai-chat: response', () => {
  const completion = (finish: string, message: Record<string, unknown>) => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-x',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
    usage: { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100 } },
  });

  it('renders text and tool calls as blocks; usage input excludes cached tokens', () => {
    const r = pair.create().response(completion('tool_calls', { content: 'Reading', reasoning_content: 'hmm', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }] })) as Record<string, any>;
    assert.equal(r.type, 'message');
    assert.match(r.id, /^msg_/);
    assert.deepEqual(r.content, [
      { type: 'text', text: 'Reading' },
      { type: 'tool_use', id: 'call_1', name: 'read', input: { path: 'a' } },
    ]);
    assert.equal(r.stop_reason, 'tool_use');
    assert.deepEqual(r.usage, { input_tokens: 30, output_tokens: 42, cache_creation_input_tokens: null, cache_read_input_tokens: 100 });
  });

  for (const [finish, stop, hasTool] of [
    ['stop', 'end_turn', false],
    ['length', 'max_tokens', false],
    ['tool_calls', 'tool_use', true],
    ['content_filter', 'refusal', false],
    ['stop', 'tool_use', true], // servers that end tool turns with "stop"
  ] as const) {
    it(`maps finish_reason ${finish}${hasTool ? ' (with tool calls)' : ''} → ${stop}`, () => {
      const msg = hasTool ? { content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] } : { content: 'x' };
      assert.equal((pair.create().response(completion(finish, msg)) as any).stop_reason, stop);
    });
  }

  it('keeps usage unknown when the upstream sent none', () => {
    const r = pair.create().response({ ...completion('stop', { content: 'x' }), usage: undefined }) as any;
    assert.deepEqual(r.usage, { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: null, cache_read_input_tokens: null });
  });

  it('turns invalid tool-call JSON into an empty input object', () => {
    const r = pair.create().response(completion('tool_calls', { content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"broken' } }] })) as any;
    assert.deepEqual(r.content, [{ type: 'tool_use', id: 'c', name: 'f', input: {} }]);
  });
});

const streaming = () => {
  const tr = pair.create();
  tr.request({ ...base, stream: true });
  return tr;
};

describe('anthropic-messages → openai-chat: stream', () => {
  it('produces the Anthropic event sequence with tool input_json deltas and final usage; split-invariant', () => {
    const events = assertSplitInvariant(streaming, chatStream);
    assert.deepEqual(eventTypes(events), [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const p = payloads(events);
    assert.equal(p[0].message.role, 'assistant');
    assert.deepEqual(p[1].content_block, { type: 'text', text: '' });
    assert.equal(p[2].delta.text + p[3].delta.text, 'Héllo wörld 🌍');
    assert.deepEqual(p[5], { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_A', name: 'read', input: {} } });
    assert.deepEqual(p[6].delta, { type: 'input_json_delta', partial_json: '{"path":' });
    assert.deepEqual(p[9].content_block.name, 'grep');
    assert.deepEqual(p[12], { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42, input_tokens: 30, cache_read_input_tokens: 100 } });
    assert.doesNotMatch(JSON.stringify(p), /thinking…/, 'unsigned reasoning is not passed off as a thinking block');
  });

  it('handles CRLF framing and maps length → max_tokens', () => {
    const events = assertSplitInvariant(streaming, chatTextStreamCrlf, { rounds: 20 });
    assert.deepEqual(eventTypes(events), ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    assert.equal(payloads(events)[5].delta.stop_reason, 'max_tokens');
    assert.deepEqual(payloads(events)[5].usage, { output_tokens: 0 }, 'no usage from upstream: nothing invented but the required field');
  });

  it('text that arrives inside a call\'s arguments waits until the call is complete: nothing is lost', () => {
    const events = assertSplitInvariant(streaming, chatTextInsideCallStream);
    const p = payloads(events);
    assert.deepEqual(
      p.filter((x) => x.type === 'content_block_start').map((x) => x.content_block.type),
      ['tool_use', 'text'],
    );
    const deltas = (i: number, k: string) => p.filter((x) => x.type === 'content_block_delta' && x.index === i).map((x) => x.delta[k]).join('');
    assert.equal(deltas(0, 'partial_json'), '{"path":"a"}', 'the call keeps its whole arguments');
    assert.equal(deltas(1, 'text'), 'Reading it now.', 'and the text comes right after it');
    const stopped = new Set<number>();
    for (const x of p) {
      if (x.type === 'content_block_stop') stopped.add(x.index);
      if (x.type === 'content_block_delta') assert.ok(!stopped.has(x.index), 'no delta after its block stopped');
    }
  });

  it('interleaved parallel calls become one block after another, never a delta after its block stopped', () => {
    const events = assertSplitInvariant(streaming, chatInterleavedStream);
    assert.deepEqual(eventTypes(events), [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const p = payloads(events);
    assert.deepEqual(
      p.filter((x) => x.type === 'content_block_start').map((x) => [x.index, x.content_block.id, x.content_block.name]),
      [
        [0, 'call_A', 'read'],
        [1, 'call_B', 'grep'],
      ],
    );
    const args = (i: number) => p.filter((x) => x.type === 'content_block_delta' && x.index === i).map((x) => x.delta.partial_json).join('');
    assert.deepEqual([args(0), args(1)], ['{"path":"a"}', '{"q":"x"}']);
    // Call B's first piece arrived while A was open: it is held until A's arguments are complete.
    assert.deepEqual(p[6].delta, { type: 'input_json_delta', partial_json: '{"q":' });
    const stopped = new Set<number>();
    for (const x of p) {
      if (x.type === 'content_block_stop') stopped.add(x.index);
      if (x.type === 'content_block_delta') assert.ok(!stopped.has(x.index), `delta for block ${x.index} after its stop`);
    }
  });

  for (const [error, type] of [
    [{ message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' }, 'rate_limit_error'],
    [{ message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }, 'rate_limit_error'],
    [{ message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' }, 'rate_limit_error'],
    [{ message: 'too long', type: 'invalid_request_error', code: 'context_length_exceeded' }, 'invalid_request_error'],
    [{ message: 'Overloaded', type: 'overloaded_error' }, 'overloaded_error'],
    [{ message: 'boom', type: 'server_error', code: null }, 'api_error'],
    [{ message: 'odd' }, 'api_error'],
  ] as const) {
    it(`renders a mid-stream OpenAI error chunk (${error.type ?? 'no type'}/${'code' in error ? error.code : '-'}) as an Anthropic ${type} event`, () => {
      const raw = sse([[undefined, { id: 'c', choices: [{ index: 0, delta: { role: 'assistant', content: 'a' } }] }], [undefined, { error }]]);
      const events = runStream(streaming(), raw);
      assert.deepEqual(eventTypes(events), ['message_start', 'content_block_start', 'content_block_delta', 'error']);
      assert.deepEqual(payloads(events)[3], { type: 'error', error: { type, message: error.message } });
    });
  }
});

describe('anthropic-messages → openai-chat: errors', () => {
  for (const [status, type] of [
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [503, 'overloaded_error'],
  ] as const) {
    it(`OpenAI ${status} → Anthropic ${type}, status kept, message verbatim`, () => {
      const r = pair.create().error(status, { error: { message: `upstream says ${status}`, type: 'x', code: 'y' } });
      assert.deepEqual(r, { status, body: { type: 'error', error: { type, message: `upstream says ${status}` } } });
    });
  }
});

describe('anthropic-messages → openai-chat: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/chat/completions',
    request: { ...base, stream: true },
    upstreamStream: chatStream,
    cutMarker: '"finish_reason":"tool_calls"',
    upstreamError: { status: 429, body: { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } } },
    isClientError: isAnthropicError,
  });
});
