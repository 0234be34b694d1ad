import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openaiChatToOpenaiResponses as pair } from './openai-chat-to-openai-responses.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';
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

describe('openai-chat → openai-responses: request tables', () => {
  const tools = [{ type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }];
  for (const [choice, expected] of [
    [undefined, undefined],
    ['none', 'none'],
    ['auto', 'auto'],
    ['required', 'required'],
    [{ type: 'function', function: { name: 'f' } }, { type: 'function', name: 'f' }],
  ] as const) {
    it(`tool_choice ${JSON.stringify(choice)} → ${JSON.stringify(expected)}`, () => {
      const b = req({ tools, tool_choice: choice });
      assert.deepEqual(b.tools, [{ type: 'function', name: 'f', description: 'F', parameters: tools[0].function.parameters, strict: false }]);
      assert.deepEqual(b.tool_choice, expected);
    });
  }

  for (const choice of ['none', 'required', { type: 'function', function: { name: 'f' } }]) {
    it(`tool_choice ${JSON.stringify(choice)} without tools is not sent (nor parallel_tool_calls)`, () => {
      const b = req({ tool_choice: choice, parallel_tool_calls: true });
      assert.deepEqual([b.tools, b.tool_choice, b.parallel_tool_calls], [undefined, undefined, undefined]);
    });
  }

  it('sends user images as input_image (data URL and https, detail kept)', () => {
    const b = req({ messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,QQ==', detail: 'low' } }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] });
    assert.deepEqual(b.input, [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'see' },
          { type: 'input_image', image_url: 'data:image/png;base64,QQ==', detail: 'low' },
          { type: 'input_image', image_url: 'https://x/y.png', detail: 'auto' },
        ],
      },
    ]);
  });

  it('sends a tool message given as text parts as one output string, in order after the call', () => {
    const b = req({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":"x"}' } }, { id: 'call_2', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'line 1' }, { type: 'text', text: 'line 2' }] },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'only' }] },
      ],
    });
    assert.deepEqual(b.input.slice(1), [
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":"x"}' },
      { type: 'function_call', call_id: 'call_2', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'line 1\nline 2' },
      { type: 'function_call_output', call_id: 'call_2', output: 'only' },
    ]);
  });

  it('carries temperature, top_p and max_tokens (either spelling)', () => {
    const b = req({ temperature: 0, top_p: 0.3, max_tokens: 99 });
    assert.deepEqual([b.temperature, b.top_p, b.max_output_tokens], [0, 0.3, 99]);
    assert.equal(req({ max_completion_tokens: 7, max_tokens: 99 }).max_output_tokens, 7);
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

describe('openai-chat → openai-responses: finish reasons', () => {
  const text = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x' }] };
  const call = { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' };
  for (const [status, details, output, finish] of [
    ['completed', null, [text], 'stop'],
    ['completed', null, [call], 'tool_calls'],
    ['incomplete', { reason: 'max_output_tokens' }, [text], 'length'],
    ['incomplete', { reason: 'content_filter' }, [text], 'content_filter'],
  ] as const) {
    it(`status ${status}${details ? ` (${details.reason})` : ''}${output[0] === call ? ' with a function_call' : ''} → finish_reason ${finish}, JSON and stream`, () => {
      assert.equal((pair.create().response({ status, incomplete_details: details, output }) as any).choices[0].finish_reason, finish);
      const terminal = status === 'completed' ? 'response.completed' : 'response.incomplete';
      const raw = sse([
        ['response.created', { type: 'response.created', sequence_number: 0, response: { id: 'resp_1' } }],
        ...(output[0] === call
          ? ([['response.output_item.added', { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { ...call, arguments: '' } }], ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 2, output_index: 0, item: call }]] as Array<[string, unknown]>)
          : ([['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, output_index: 0, content_index: 0, delta: 'x' }]] as Array<[string, unknown]>)),
        [terminal, { type: terminal, sequence_number: 3, response: { id: 'resp_1', status, incomplete_details: details, output } }],
      ]);
      const p = payloads(runStream(streaming(false)(), raw));
      assert.equal(p.at(-1)!.choices[0].finish_reason, finish);
    });
  }
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

describe('openai-chat → openai-responses: stream errors', () => {
  for (const [event, type, code] of [
    [{ type: 'error', sequence_number: 1, code: 'rate_limit_exceeded', message: 'slow', param: null }, 'rate_limit_error', 'rate_limit_exceeded'],
    [{ type: 'response.failed', sequence_number: 1, response: { id: 'resp_1', status: 'failed', error: { code: 'server_error', message: 'boom' } } }, 'server_error', 'server_error'],
  ] as const) {
    it(`${event.type} → an OpenAI error chunk (${type}), no finish chunk and no [DONE]`, () => {
      const raw = sse([
        ['response.created', { type: 'response.created', sequence_number: 0, response: { id: 'resp_1' } }],
        [event.type, event],
      ]);
      const events = runStream(streaming(true)(), raw);
      assert.ok(!events.some((e) => e.data === '[DONE]'));
      const last = payloads(events).at(-1)!;
      assert.deepEqual(last.error, { message: 'code' in event ? event.message : event.response.error.message, type, param: null, code });
    });
  }
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
