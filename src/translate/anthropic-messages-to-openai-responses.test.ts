import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicMessagesToOpenaiResponses as pair } from './anthropic-messages-to-openai-responses.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';
import { responsesStream } from './stream-fixtures.js';
import { isAnthropicError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'gpt-r', max_tokens: 500, messages: [{ role: 'user', content: 'hi' }] };
const req = (extra: Record<string, unknown>) => pair.create().request({ ...base, ...extra }).body as Record<string, any>;

describe('anthropic-messages → openai-responses: request', () => {
  it('builds input items: system, user parts, assistant text and calls, tool outputs', () => {
    const b = req({
      system: 'S',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QQ==' } }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'SIG' }, { type: 'text', text: 'ok' }, { type: 'tool_use', id: 'toolu_1', name: 'read', input: { p: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'R' }, { type: 'tool_result', tool_use_id: 'toolu_2', is_error: true, content: 'E' }, { type: 'text', text: 'next' }] },
      ],
      tools: [{ name: 'read', description: 'Read', input_schema: { type: 'object', properties: { p: { type: 'number' } } } }],
      tool_choice: { type: 'tool', name: 'read' },
      stop_sequences: ['STOP'],
      temperature: 0.7,
      metadata: { user_id: 'u' },
    });
    assert.deepEqual(b.input, [
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'S' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,QQ==', detail: 'auto' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok', annotations: [] }] },
      { type: 'function_call', call_id: 'toolu_1', name: 'read', arguments: '{"p":1}' },
      { type: 'function_call_output', call_id: 'toolu_1', output: 'R' },
      { type: 'function_call_output', call_id: 'toolu_2', output: 'Error: E' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'next' }] },
    ]);
    assert.deepEqual(b.tools, [{ type: 'function', name: 'read', description: 'Read', parameters: { type: 'object', properties: { p: { type: 'number' } } }, strict: false }]);
    assert.deepEqual(b.tool_choice, { type: 'function', name: 'read' });
    assert.deepEqual([b.max_output_tokens, b.temperature, b.user, b.store], [500, 0.7, 'u', false]);
    assert.equal(b.stop, undefined, 'Responses has no stop sequences');
    assert.doesNotMatch(JSON.stringify(b), /SIG/);
  });
});

describe('anthropic-messages → openai-responses: request tables', () => {
  const tools = [{ name: 'read', input_schema: { type: 'object', properties: { p: { type: 'string' } } } }, { type: 'web_search_20250305', name: 'web_search' }];
  for (const [choice, expected, parallel] of [
    [undefined, undefined, undefined],
    [{ type: 'auto' }, 'auto', undefined],
    [{ type: 'none' }, 'none', undefined],
    [{ type: 'any' }, 'required', undefined],
    [{ type: 'tool', name: 'read' }, { type: 'function', name: 'read' }, undefined],
    [{ type: 'auto', disable_parallel_tool_use: true }, 'auto', false],
    [{ type: 'any', disable_parallel_tool_use: true }, 'required', false],
  ] as const) {
    it(`tool_choice ${JSON.stringify(choice)} → ${JSON.stringify(expected)}, parallel_tool_calls ${parallel}; server tools dropped`, () => {
      const b = req({ tools, tool_choice: choice });
      assert.deepEqual(b.tools, [{ type: 'function', name: 'read', parameters: tools[0].input_schema, strict: false }]);
      assert.deepEqual(b.tool_choice, expected);
      assert.equal(b.parallel_tool_calls, parallel);
    });
  }

  for (const choice of [{ type: 'any' }, { type: 'none' }, { type: 'tool', name: 'read' }, { type: 'auto', disable_parallel_tool_use: true }]) {
    it(`tool_choice ${JSON.stringify(choice)} without tools sends neither tool_choice nor parallel_tool_calls`, () => {
      const b = req({ tool_choice: choice });
      assert.deepEqual([b.tools, b.tool_choice, b.parallel_tool_calls], [undefined, undefined, undefined]);
    });
  }

  it('keeps the order of top-level system blocks and a system message inside messages[] (Claude Code)', () => {
    const b = req({
      system: [{ type: 'text', text: 'S1' }, { type: 'text', text: 'S2', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'first' },
        { role: 'system', content: 'mid-conversation' },
        { role: 'user', content: 'second' },
      ],
    });
    assert.deepEqual(b.input, [
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'S1' }, { type: 'input_text', text: 'S2' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] },
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'mid-conversation' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'second' }] },
    ]);
  });

  it('carries temperature and top_p; top_k and stop sequences have no Responses counterpart', () => {
    const b = req({ temperature: 0.2, top_p: 0.9, top_k: 40, stop_sequences: ['END'] });
    assert.deepEqual([b.temperature, b.top_p, b.top_k, b.stop], [0.2, 0.9, undefined, undefined]);
  });

  it('sends tool results with images as input parts; an error result keeps its images behind an "Error:" part', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QQ==' } };
    const b = req({
      messages: [
        { role: 'user', content: 'shot' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }, { type: 'tool_use', id: 'toolu_2', name: 'screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'here' }, image] },
            { type: 'tool_result', tool_use_id: 'toolu_2', is_error: true, content: [{ type: 'text', text: 'blurry' }, image] },
          ],
        },
      ],
    });
    const img = { type: 'input_image', image_url: 'data:image/png;base64,QQ==', detail: 'auto' };
    assert.deepEqual(b.input.slice(3), [
      { type: 'function_call_output', call_id: 'toolu_1', output: [{ type: 'input_text', text: 'here' }, img] },
      { type: 'function_call_output', call_id: 'toolu_2', output: [{ type: 'input_text', text: 'Error:' }, { type: 'input_text', text: 'blurry' }, img] },
    ]);
  });
});

describe('anthropic-messages → openai-responses: response', () => {
  it('renders message and function_call output as content blocks; reasoning dropped; usage split', () => {
    const r = pair.create().response({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'gpt-r',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'ENC' },
        { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
        { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'read', arguments: '{"p":2}' },
      ],
      usage: { input_tokens: 130, input_tokens_details: { cached_tokens: 100 }, output_tokens: 42, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 172 },
    }) as Record<string, any>;
    assert.deepEqual(r.content, [
      { type: 'text', text: 'Hi' },
      { type: 'tool_use', id: 'call_1', name: 'read', input: { p: 2 } },
    ]);
    assert.equal(r.stop_reason, 'tool_use');
    assert.deepEqual(r.usage, { input_tokens: 30, output_tokens: 42, cache_creation_input_tokens: null, cache_read_input_tokens: 100 });
  });

  const text = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x', annotations: [] }] };
  const call = { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' };
  for (const [status, details, output, stop] of [
    ['completed', null, [text], 'end_turn'],
    ['completed', null, [text, call], 'tool_use'],
    ['incomplete', { reason: 'max_output_tokens' }, [text], 'max_tokens'],
    ['incomplete', { reason: 'content_filter' }, [text], 'refusal'],
  ] as const) {
    it(`maps status ${status}${details ? ` (${details.reason})` : ''}${output.length > 1 ? ' with a function_call' : ''} → stop_reason ${stop}`, () => {
      const r = pair.create().response({ status, incomplete_details: details, output }) as any;
      assert.equal(r.stop_reason, stop);
      assert.equal(r.stop_sequence, null);
    });
  }
});

const streaming = () => {
  const tr = pair.create();
  tr.request({ ...base, stream: true });
  return tr;
};

describe('anthropic-messages → openai-responses: stream', () => {
  it('turns Responses events into Anthropic blocks (deltas and done-only calls); split-invariant', () => {
    const events = assertSplitInvariant(streaming, responsesStream);
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
    assert.deepEqual(p[5].content_block, { type: 'tool_use', id: 'call_A', name: 'read', input: {} });
    assert.deepEqual(p[10].delta, { type: 'input_json_delta', partial_json: '{"q":"x"}' });
    assert.deepEqual(p[12].delta, { stop_reason: 'tool_use', stop_sequence: null });
    assert.deepEqual(p[12].usage, { output_tokens: 42, input_tokens: 30, cache_read_input_tokens: 100 });
    assert.doesNotMatch(JSON.stringify(p), /ENC|plan/);
  });

  it('turns response.failed and error events into Anthropic error events', () => {
    const failed = sse([
      ['response.created', { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', model: 'gpt-r' } }],
      ['response.failed', { type: 'response.failed', sequence_number: 1, response: { id: 'resp_1', status: 'failed', error: { code: 'server_error', message: 'boom' } } }],
    ]);
    const a = payloads(runStream(streaming(), failed));
    assert.deepEqual(a.at(-1), { type: 'error', error: { type: 'api_error', message: 'boom' } });
    const err = sse([['error', { type: 'error', sequence_number: 0, code: 'rate_limit_exceeded', message: 'slow', param: null }]]);
    assert.deepEqual(eventTypes(runStream(streaming(), err)), ['error']);
  });
});

describe('anthropic-messages → openai-responses: stop reasons in the stream', () => {
  for (const [terminal, details, stop] of [
    ['response.completed', null, 'end_turn'],
    ['response.incomplete', { reason: 'max_output_tokens' }, 'max_tokens'],
    ['response.incomplete', { reason: 'content_filter' }, 'refusal'],
  ] as const) {
    it(`${terminal}${details ? ` (${details.reason})` : ''} → message_delta stop_reason ${stop}`, () => {
      const raw = sse([
        ['response.created', { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', model: 'gpt-r' } }],
        ['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, output_index: 0, content_index: 0, delta: 'partial' }],
        [terminal, { type: terminal, sequence_number: 2, response: { id: 'resp_1', status: terminal.slice(9), incomplete_details: details, output: [], usage: { input_tokens: 5, output_tokens: 1 } } }],
      ]);
      const p = payloads(runStream(streaming(), raw));
      const delta = p.find((x) => x.type === 'message_delta')!;
      assert.deepEqual(delta.delta, { stop_reason: stop, stop_sequence: null });
      assert.deepEqual(delta.usage, { output_tokens: 1, input_tokens: 5 });
      assert.equal(p.at(-1)!.type, 'message_stop');
    });
  }
});

describe('anthropic-messages → openai-responses: errors', () => {
  for (const [status, body, type] of [
    [400, { error: { message: 'bad input', type: 'invalid_request_error', param: 'input', code: null } }, 'invalid_request_error'],
    [401, { error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'authentication_error'],
    [403, { error: { message: 'region', type: 'invalid_request_error', code: 'unsupported_country_region_territory' } }, 'permission_error'],
    [404, { error: { message: 'no such model', type: 'invalid_request_error', code: 'model_not_found' } }, 'not_found_error'],
    [429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate_limit_error'],
    [500, { error: { message: 'oops', type: 'server_error', code: null } }, 'api_error'],
    [503, '<html>Service Unavailable</html>', 'overloaded_error'],
  ] as const) {
    it(`HTTP ${status} → Anthropic ${type}, status and message kept`, () => {
      const r = pair.create().error(status, body);
      const message = typeof body === 'string' ? body : body.error.message;
      assert.deepEqual(r, { status, body: { type: 'error', error: { type, message } } });
    });
  }

  for (const [event, type] of [
    [{ type: 'error', sequence_number: 0, code: 'rate_limit_exceeded', message: 'slow', param: null }, 'rate_limit_error'],
    [{ type: 'error', sequence_number: 0, code: 'server_error', message: 'boom', param: null }, 'api_error'],
    [{ type: 'response.failed', sequence_number: 0, response: { id: 'r', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow' } } }, 'rate_limit_error'],
  ] as const) {
    it(`stream ${event.type} (${'code' in event ? event.code : event.response.error.code}) → Anthropic error event ${type}`, () => {
      const p = payloads(runStream(streaming(), sse([[event.type, event]])));
      assert.equal(p.at(-1)!.type, 'error');
      assert.equal(p.at(-1)!.error.type, type);
    });
  }
});

describe('anthropic-messages → openai-responses: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/responses',
    request: { ...base, stream: true },
    upstreamStream: responsesStream,
    cutMarker: 'event: response.completed',
    upstreamError: { status: 404, body: { error: { message: 'model not found', type: 'invalid_request_error', code: 'model_not_found' } } },
    isClientError: isAnthropicError,
  });
});
