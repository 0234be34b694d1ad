import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openaiResponsesToAnthropicMessages as pair } from './openai-responses-to-anthropic-messages.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';
import { anthropicStream } from './stream-fixtures.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'claude-x', input: 'hi' };
const req = (extra: Record<string, unknown>) => pair.create().request({ ...base, ...extra }).body as Record<string, any>;

describe('openai-responses → anthropic-messages: request', () => {
  it('hoists instructions and developer/system items into `system`, in order', () => {
    const b = req({
      instructions: 'I1',
      input: [
        { type: 'message', role: 'developer', content: 'D1' },
        { role: 'user', content: 'u' },
        { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'S2' }] },
      ],
    });
    assert.deepEqual(b.system, [{ type: 'text', text: 'I1' }, { type: 'text', text: 'D1' }, { type: 'text', text: 'S2' }]);
    assert.deepEqual(b.messages, [{ role: 'user', content: [{ type: 'text', text: 'u' }] }]);
    assert.equal(b.max_tokens, 4096);
  });

  it('turns function_call / function_call_output into tool_use / tool_result; reasoning never leaves', () => {
    const b = req({
      input: [
        { role: 'user', content: 'go' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'S' }], encrypted_content: 'ENCRYPTED' },
        { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call', call_id: 'call_2', name: 'shell', arguments: '{"command":["pwd"]}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a\nb' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '/w' }, { type: 'input_image', image_url: 'https://x/i.png' }] },
      ],
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: { command: { type: 'array' } } } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_output_tokens: 300,
      temperature: 0.3,
      user: 'dev-1',
    });
    assert.deepEqual(b.messages, [
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'shell', input: { command: ['ls'] } },
          { type: 'tool_use', id: 'call_2', name: 'shell', input: { command: ['pwd'] } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'a\nb' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '/w' }, { type: 'image', source: { type: 'url', url: 'https://x/i.png' } }] },
        ],
      },
    ]);
    assert.deepEqual(b.tool_choice, { type: 'any', disable_parallel_tool_use: true });
    assert.deepEqual([b.max_tokens, b.temperature, b.metadata], [300, 0.3, { user_id: 'dev-1' }]);
    assert.doesNotMatch(JSON.stringify(b), /ENCRYPTED|reasoning/);
  });

  describe('a named tool_choice uses the flattened name of a namespace tool (else Anthropic answers 400)', () => {
    const tools = [
      { type: 'function', name: 'shell', parameters: { type: 'object', properties: {} } },
      { type: 'namespace', name: 'fs', description: 'Files', tools: [{ type: 'function', name: 'read', parameters: { type: 'object', properties: {} } }] },
    ];
    for (const [choice, name] of [
      [{ type: 'function', name: 'read' }, 'fs__read'],
      [{ type: 'function', name: 'read', namespace: 'fs' }, 'fs__read'],
      [{ type: 'function', name: 'fs__read' }, 'fs__read'],
      [{ type: 'function', name: 'shell' }, 'shell'],
    ] as const) {
      it(`${JSON.stringify(choice)} → ${name}, a name that was sent`, () => {
        const b = req({ tools, tool_choice: choice });
        assert.deepEqual(b.tool_choice, { type: 'tool', name });
        assert.ok(b.tools.some((t: any) => t.name === name));
      });
    }
    it('a top-level tool of the same name wins over the namespaced one', () => {
      const b = req({ tools: [...tools, { type: 'function', name: 'read', parameters: { type: 'object', properties: {} } }], tool_choice: { type: 'function', name: 'read' } });
      assert.deepEqual(b.tool_choice, { type: 'tool', name: 'read' });
    });
  });

  const fnTools = [
    { type: 'function', name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] }, strict: false },
    { type: 'function', name: 'grep', parameters: { properties: { q: { type: 'string' } } } },
  ];
  for (const [choice, expected] of [
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    [{ type: 'function', name: 'grep' }, { type: 'tool', name: 'grep' }],
    [{ type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'grep' }] }, { type: 'any' }],
  ] as const) {
    it(`tool_choice ${JSON.stringify(choice)} → ${JSON.stringify(expected)}; tool schemas in the body as input_schema`, () => {
      const b = req({ tools: fnTools, tool_choice: choice });
      assert.deepEqual(b.tool_choice, expected);
      assert.deepEqual(b.tools, [
        { name: 'shell', description: 'Run a command', input_schema: fnTools[0].parameters },
        // A schema without a top-level type becomes an object schema (Anthropic accepts only those).
        { name: 'grep', input_schema: { type: 'object', properties: { q: { type: 'string' } } } },
      ]);
    });
  }

  it('carries temperature and top_p; sends user images as image blocks (data URL → base64, https → url)', () => {
    const b = req({
      temperature: 0.4,
      top_p: 0.95,
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'what is this' }, { type: 'input_image', image_url: 'data:image/jpeg;base64,/9j/', detail: 'high' }, { type: 'input_image', image_url: 'https://x/y.png' }] }],
    });
    assert.deepEqual([b.temperature, b.top_p], [0.4, 0.95]);
    assert.deepEqual(b.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
          { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
        ],
      },
    ]);
  });

  it('tool_choice none is kept with tools and dropped without', () => {
    const tools = [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }];
    assert.deepEqual(req({ tools, tool_choice: 'none' }).tool_choice, { type: 'none' });
    assert.equal(req({ tool_choice: 'none' }).tool_choice, undefined);
  });
});

describe('openai-responses → anthropic-messages: response', () => {
  const message = (stop: string) => ({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [
      { type: 'thinking', thinking: 'private', signature: 'SIG' },
      { type: 'text', text: 'Done.' },
      { type: 'tool_use', id: 'toolu_1', name: 'shell', input: { command: ['ls'] } },
    ],
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
  });

  it('renders items and usage (input_tokens counts cache reads and writes; no reasoning figure is invented)', () => {
    const r = pair.create().response(message('tool_use')) as Record<string, any>;
    assert.deepEqual(
      r.output.map((o: any) => o.type),
      ['message', 'function_call'],
    );
    assert.deepEqual([r.output[1].call_id, r.output[1].arguments], ['toolu_1', '{"command":["ls"]}']);
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.usage, { input_tokens: 130, input_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, output_tokens: 5, total_tokens: 135 });
    assert.doesNotMatch(JSON.stringify(r), /SIG|private/);
  });

  it('reports no cache or reasoning figure the upstream did not send (never a made-up 0)', () => {
    const r = pair.create().response({ ...message('end_turn'), usage: { input_tokens: 10, output_tokens: 5 } }) as any;
    assert.deepEqual(r.usage, { input_tokens: 10, output_tokens: 5, total_tokens: 15 });
    const noUsage = pair.create().response({ ...message('end_turn'), usage: undefined }) as any;
    assert.equal(noUsage.usage, null);
  });

  for (const [stop, status, reason] of [
    ['end_turn', 'completed', null],
    ['stop_sequence', 'completed', null],
    ['max_tokens', 'incomplete', { reason: 'max_output_tokens' }],
    ['refusal', 'incomplete', { reason: 'content_filter' }],
  ] as const) {
    it(`maps stop_reason ${stop} → status ${status}`, () => {
      const r = pair.create().response(message(stop)) as any;
      assert.deepEqual([r.status, r.incomplete_details], [status, reason]);
    });
  }
});

const streaming = () => {
  const tr = pair.create();
  tr.request({ ...base, stream: true });
  return tr;
};

describe('openai-responses → anthropic-messages: stream', () => {
  it('emits the Codex event sequence from Anthropic blocks; thinking dropped; split-invariant', () => {
    const events = assertSplitInvariant(streaming, anthropicStream);
    assert.deepEqual(eventTypes(events), [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const p = payloads(events);
    assert.deepEqual(p.map((x) => x.sequence_number), p.map((_, i) => i));
    assert.equal(p[0].response.model, 'claude-x');
    assert.deepEqual(p[18].response.usage, { input_tokens: 130, input_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, output_tokens: 42, total_tokens: 172 });
    assert.deepEqual(p[18].response.output[1], p[13].item);
    assert.doesNotMatch(JSON.stringify(p), /let me think|c2ln/);
  });

  it('turns an Anthropic error event into response.failed', () => {
    const raw = sse([
      ['message_start', { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 1, output_tokens: 0 } } }],
      ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    ]);
    const p = payloads(runStream(streaming(), raw));
    assert.deepEqual(
      p.map((x) => x.type),
      ['response.created', 'response.in_progress', 'response.failed'],
    );
    assert.deepEqual(p[2].response.error, { code: 'server_error', message: 'Overloaded' });
    assert.equal(p[2].response.status, 'failed');
  });
});

describe('openai-responses → anthropic-messages: errors', () => {
  for (const [status, type, openaiType] of [
    [400, 'invalid_request_error', 'invalid_request_error'],
    [401, 'authentication_error', 'authentication_error'],
    [403, 'permission_error', 'permission_error'],
    [404, 'not_found_error', 'invalid_request_error'],
    [413, 'request_too_large', 'invalid_request_error'],
    [429, 'rate_limit_error', 'rate_limit_error'],
    [500, 'api_error', 'server_error'],
    [529, 'overloaded_error', 'server_error'],
  ] as const) {
    it(`Anthropic ${status} ${type} → OpenAI envelope ${openaiType}, status and message kept`, () => {
      const r = pair.create().error(status, { type: 'error', error: { type, message: `anthropic says ${status}` }, request_id: 'req_1' });
      assert.deepEqual(r, { status, body: { error: { message: `anthropic says ${status}`, type: openaiType, param: null, code: null } } });
    });
  }

  it('a rate_limit_error event mid-stream becomes response.failed with code rate_limit_error', () => {
    const raw = sse([['error', { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }]]);
    const p = payloads(runStream(streaming(), raw));
    assert.deepEqual(p.at(-1)!.response.error, { code: 'rate_limit_error', message: 'slow down' });
  });
});

describe('openai-responses → anthropic-messages: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/messages',
    request: { ...base, stream: true },
    upstreamStream: anthropicStream,
    cutMarker: 'event: message_delta',
    upstreamError: { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
    isClientError: isOpenAIError,
  });
});
