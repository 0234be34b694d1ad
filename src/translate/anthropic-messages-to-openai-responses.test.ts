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

  it('maps incomplete(max_output_tokens) → max_tokens', () => {
    const r = pair.create().response({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }) as any;
    assert.equal(r.stop_reason, 'max_tokens');
  });
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
