import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openaiChatToOpenaiResponses as pair } from './openai-chat-to-openai-responses.js';
import { assertSplitInvariant, eventTypes, payloads } from './stream-harness.js';
import { responsesStream } from './stream-fixtures.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'gpt-r', messages: [{ role: 'user', content: 'hi' }] };
const req = (extra: Record<string, unknown>) => pair.create().request({ ...base, ...extra }).body as Record<string, any>;

describe('openai-chat → openai-responses: request', () => {
  it('keeps system/developer roles in place and maps tools, results, limits', () => {
    const b = req({
      messages: [
        { role: 'developer', content: 'D' },
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'out' },
        { role: 'system', content: 'S' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      max_completion_tokens: 64,
      stop: ['x'],
      user: 'u',
      metadata: { team: 'a' },
      response_format: { type: 'json_object' },
    });
    assert.deepEqual(b.input, [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'D' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'out' },
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'S' }] },
    ]);
    assert.deepEqual(b.tools, [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: true }]);
    assert.deepEqual([b.tool_choice, b.parallel_tool_calls, b.max_output_tokens, b.user, b.metadata], [{ type: 'function', name: 'f' }, false, 64, 'u', { team: 'a' }]);
    assert.deepEqual(b.text, { format: { type: 'json_object' } });
    assert.equal(b.stop, undefined);
  });
});

describe('openai-chat → openai-responses: response', () => {
  it('renders a chat completion with tool calls and usage', () => {
    const r = pair.create().response({
      id: 'resp_1',
      status: 'completed',
      model: 'gpt-r',
      output: [
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A' }, { type: 'refusal', refusal: 'B' }] },
        { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ],
      usage: { input_tokens: 130, input_tokens_details: { cached_tokens: 100 }, output_tokens: 42, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 172 },
    }) as Record<string, any>;
    assert.equal(r.choices[0].message.content, 'AB');
    assert.deepEqual(r.choices[0].message.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]);
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(r.usage, { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 5 } });
  });
});

const streaming = (includeUsage: boolean) => () => {
  const tr = pair.create();
  tr.request({ ...base, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
  return tr;
};

describe('openai-chat → openai-responses: stream', () => {
  it('turns Responses events into chat chunks, reasoning summary as reasoning_content; split-invariant', () => {
    const events = assertSplitInvariant(streaming(true), responsesStream);
    assert.deepEqual(eventTypes(events), ['content', 'reasoning_content', 'content', 'content', 'tool_calls', 'tool_calls', 'tool_calls', 'tool_calls', 'tool_calls', 'finish:tool_calls', 'usage', '[DONE]']);
    const p = payloads(events);
    assert.deepEqual(p[8].choices[0].delta.tool_calls, [{ index: 1, function: { arguments: '{"q":"x"}' } }]);
    assert.deepEqual(p[10].usage, { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 5 } });
  });
  it('sends no usage chunk unless asked', () => {
    const events = assertSplitInvariant(streaming(false), responsesStream, { rounds: 5 });
    assert.deepEqual(eventTypes(events).slice(-2), ['finish:tool_calls', '[DONE]']);
  });
});

describe('openai-chat → openai-responses: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/responses',
    request: { ...base, stream: true },
    upstreamStream: responsesStream,
    cutMarker: 'event: response.completed',
    upstreamError: { status: 500, body: { error: { message: 'oops', type: 'server_error', code: null } } },
    isClientError: isOpenAIError,
  });
});
