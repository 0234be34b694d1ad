import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openaiResponsesToOpenaiChat as pair } from './openai-responses-to-openai-chat.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';
import { chatInterleavedStream, chatStream, chatTextInsideCallStream, chatTextStreamCrlf } from './stream-fixtures.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'gpt-x', input: 'hi' };
const req = (extra: Record<string, unknown>) => pair.create().request({ ...base, ...extra }).body as Record<string, any>;

/** What Codex sends: developer items, function_call(_output) items, a reasoning item, namespace and custom tools. */
const codexBody = {
  model: 'gpt-x',
  instructions: 'Base instructions.',
  store: false,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'pck',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox: workspace-write.' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix the bug' }, { type: 'input_image', image_url: 'data:image/png;base64,QUJD', detail: 'high' }] },
    { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAAENCRYPTED' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
    { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
    { type: 'function_call', call_id: 'call_2', namespace: 'mcp_fs', name: 'read', arguments: '{"path":"a"}' },
    { type: 'function_call_output', call_id: 'call_1', output: 'Chunk ID: 1\nOutput:\nsrc' },
    { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'A' }] },
    { type: 'custom_tool_call', call_id: 'call_3', name: 'apply_patch', input: '*** Begin Patch' },
    { type: 'custom_tool_call_output', call_id: 'call_3', output: 'Done' },
  ],
  tools: [
    { type: 'function', name: 'shell', description: 'Run', parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } }, strict: false },
    { type: 'namespace', name: 'mcp_fs', description: 'FS', tools: [{ type: 'function', name: 'read', parameters: { type: 'object', properties: { path: { type: 'string' } } } }] },
    { type: 'custom', name: 'apply_patch', description: 'Patch', format: { type: 'grammar' } },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  max_output_tokens: 1000,
};

describe('openai-responses → openai-chat: request', () => {
  it('translates a Codex request: system order, items, flattened namespace and custom tools', () => {
    const b = pair.create().request(codexBody).body as Record<string, any>;
    assert.deepEqual(b.messages, [
      { role: 'system', content: 'Base instructions.' },
      { role: 'system', content: 'Sandbox: workspace-write.' },
      { role: 'user', content: [{ type: 'text', text: 'fix the bug' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,QUJD', detail: 'high' } }] },
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":["ls"]}' } },
          { id: 'call_2', type: 'function', function: { name: 'mcp_fs__read', arguments: '{"path":"a"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Chunk ID: 1\nOutput:\nsrc' },
      { role: 'tool', tool_call_id: 'call_2', content: 'A' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' } }] },
      { role: 'tool', tool_call_id: 'call_3', content: 'Done' },
    ]);
    assert.deepEqual(
      b.tools.map((t: any) => t.function.name),
      ['shell', 'mcp_fs__read', 'apply_patch'],
    );
    assert.deepEqual(b.tools[2].function.parameters.required, ['input']);
    assert.deepEqual([b.tool_choice, b.parallel_tool_calls, b.max_tokens], ['auto', true, 1000]);
    assert.doesNotMatch(JSON.stringify(b), /ENCRYPTED|reasoning|prompt_cache_key|store/);
  });

  for (const [choice, expected] of [
    ['none', 'none'],
    ['required', 'required'],
    [{ type: 'function', name: 'shell' }, { type: 'function', function: { name: 'shell' } }],
  ] as const) {
    it(`maps tool_choice ${JSON.stringify(choice)}`, () => {
      assert.deepEqual(req({ tools: codexBody.tools, tool_choice: choice }).tool_choice, expected);
    });
  }

  it('flattens a tool_choice naming a namespace tool, as the tools were flattened', () => {
    assert.deepEqual(req({ tools: codexBody.tools, tool_choice: { type: 'function', name: 'read' } }).tool_choice, { type: 'function', function: { name: 'mcp_fs__read' } });
  });

  it('asks the chat upstream for usage when streaming (Codex needs it in response.completed)', () => {
    const b = req({ stream: true });
    assert.deepEqual([b.stream, b.stream_options], [true, { include_usage: true }]);
  });

  it('sends no tool_choice without tools, and carries sampling, user and JSON schema output', () => {
    const b = req({ tool_choice: 'required', temperature: 0.1, top_p: 0.5, user: 'u1', text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } } });
    assert.equal(b.tool_choice, undefined);
    assert.deepEqual([b.temperature, b.top_p, b.user], [0.1, 0.5, 'u1']);
    assert.deepEqual(b.response_format, { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } });
    assert.deepEqual(b.messages, [{ role: 'user', content: 'hi' }]);
  });
});

describe('openai-responses → openai-chat: response', () => {
  it('renders a response object with message and function_call items, namespace and custom restored', () => {
    const tr = pair.create();
    tr.request(codexBody);
    const r = tr.response({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-x',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Running.',
            tool_calls: [
              { id: 'call_9', type: 'function', function: { name: 'mcp_fs__read', arguments: '{"path":"b"}' } },
              { id: 'call_10', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n"}' } },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100 } },
    }) as Record<string, any>;
    assert.equal(r.object, 'response');
    assert.equal(r.status, 'completed');
    assert.match(r.id, /^resp_/);
    assert.equal(r.output[0].type, 'message');
    assert.deepEqual(r.output[0].content[0].text, 'Running.');
    assert.deepEqual((({ id, ...rest }) => rest)(r.output[1]), { type: 'function_call', status: 'completed', arguments: '{"path":"b"}', call_id: 'call_9', name: 'read', namespace: 'mcp_fs' });
    assert.deepEqual((({ id, ...rest }) => rest)(r.output[2]), { type: 'custom_tool_call', status: 'completed', call_id: 'call_10', name: 'apply_patch', input: '*** Begin Patch\n' });
    assert.deepEqual(r.usage, { input_tokens: 130, input_tokens_details: { cached_tokens: 100 }, output_tokens: 42, total_tokens: 172 }, 'the chat upstream reported no reasoning figure: none is invented');
    assert.equal(r.max_output_tokens, 1000, 'request fields are echoed');
  });

  it('maps length → incomplete(max_output_tokens) and content_filter → incomplete(content_filter)', () => {
    for (const [finish, reason] of [
      ['length', 'max_output_tokens'],
      ['content_filter', 'content_filter'],
    ]) {
      const r = pair.create().response({ choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: 'x' } }] }) as any;
      assert.deepEqual([r.status, r.incomplete_details], ['incomplete', { reason }]);
      assert.equal(r.usage, null, 'unknown usage stays unknown');
    }
  });
});

const streaming = (body: Record<string, unknown> = codexBody) => () => {
  const tr = pair.create();
  tr.request({ ...body, stream: true });
  return tr;
};

describe('openai-responses → openai-chat: stream', () => {
  it('emits the Codex event sequence with sequence numbers; split-invariant', () => {
    const events = assertSplitInvariant(streaming(base), chatStream);
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
    assert.ok(events.every((e) => e.event === JSON.parse(e.data).type), 'event: names match data types');
    assert.equal(p[6].text, 'Héllo wörld 🌍');
    assert.equal(p[6].item_id, p[2].item.id);
    assert.deepEqual([p[9].output_index, p[9].item.type, p[9].item.call_id, p[9].item.name], [1, 'function_call', 'call_A', 'read']);
    assert.deepEqual(p[12].arguments, '{"path":"a"}');
    assert.equal(p[14].output_index, 2);
    const done = p[18].response;
    assert.equal(done.status, 'completed');
    assert.deepEqual(
      done.output.map((o: any) => o.type),
      ['message', 'function_call', 'function_call'],
    );
    assert.deepEqual(done.usage, { input_tokens: 130, input_tokens_details: { cached_tokens: 100 }, output_tokens: 42, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 172 });
    assert.ok(!events.some((e) => e.data === '[DONE]'));
  });

  it('maps a namespace tool call back and sends a custom tool call as custom_tool_call_input', () => {
    const raw = sse([
      [undefined, { id: 'c', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'mcp_fs__read', arguments: '{"path":"x"}' } }] } }] }],
      [undefined, { id: 'c', choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'apply_patch', arguments: '{"input":' } }] } }] }],
      [undefined, { id: 'c', choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '"PATCH"}' } }] } }] }],
      [undefined, { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }],
      [undefined, '[DONE]'],
    ]);
    const events = assertSplitInvariant(streaming(), raw, { rounds: 10 });
    assert.deepEqual(eventTypes(events).slice(2), [
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const p = payloads(events);
    assert.deepEqual([p[2].item.name, p[2].item.namespace], ['read', 'mcp_fs']);
    assert.deepEqual([p[9].item.type, p[9].item.name, p[9].item.input], ['custom_tool_call', 'apply_patch', 'PATCH']);
    assert.equal(p[8].input, 'PATCH');
  });

  it('text that arrives inside a call\'s arguments becomes a message item after the complete call', () => {
    const events = assertSplitInvariant(streaming(base), chatTextInsideCallStream);
    const p = payloads(events);
    const done = p.filter((x) => x.type === 'response.output_item.done').map((x) => x.item);
    assert.deepEqual(
      done.map((i) => [i.type, i.type === 'function_call' ? i.arguments : i.content[0].text]),
      [
        ['function_call', '{"path":"a"}'],
        ['message', 'Reading it now.'],
      ],
    );
    const completed = p.at(-1)!;
    assert.equal(completed.type, 'response.completed');
    assert.equal(completed.response.output.length, 2);
  });

  it('interleaved parallel calls become one item after another, each with its whole arguments', () => {
    const events = assertSplitInvariant(streaming(base), chatInterleavedStream);
    assert.deepEqual(eventTypes(events), [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const p = payloads(events);
    const done = p.filter((x) => x.type === 'response.function_call_arguments.done');
    assert.deepEqual(
      done.map((x) => [x.output_index, x.name, x.arguments]),
      [
        [0, 'read', '{"path":"a"}'],
        [1, 'grep', '{"q":"x"}'],
      ],
    );
    for (const d of done) {
      const deltas = p.filter((x) => x.type === 'response.function_call_arguments.delta' && x.output_index === d.output_index);
      assert.equal(deltas.map((x) => x.delta).join(''), d.arguments);
    }
    assert.deepEqual(
      p.at(-1)!.response.output.map((o: any) => [o.call_id, o.arguments]),
      [
        ['call_A', '{"path":"a"}'],
        ['call_B', '{"q":"x"}'],
      ],
    );
  });

  for (const [error, code] of [
    [{ message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }, 'rate_limit_exceeded'],
    [{ message: 'Rate limit reached', type: 'rate_limit_error', code: null }, 'rate_limit_error'],
    [{ message: 'boom', type: 'server_error', code: null }, 'server_error'],
  ] as const) {
    it(`a mid-stream error chunk (${error.type}/${error.code}) ends the stream with response.failed (code ${code})`, () => {
      const raw = sse([[undefined, { id: 'c', choices: [{ index: 0, delta: { role: 'assistant', content: 'par' } }] }], [undefined, { error }]]);
      const p = payloads(runStream(streaming(base)(), raw));
      assert.deepEqual(
        p.map((x) => x.type),
        ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.failed'],
      );
      assert.deepEqual([p[5].response.status, p[5].response.error], ['failed', { code, message: error.message }]);
    });
  }

  it('ends with response.incomplete on length', () => {
    const events = assertSplitInvariant(streaming(base), chatTextStreamCrlf, { rounds: 10 });
    const last = payloads(events).at(-1)!;
    assert.equal(last.type, 'response.incomplete');
    assert.deepEqual(last.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(last.response.output[0].content[0].text, 'Hi there');
  });
});

describe('openai-responses → openai-chat: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/chat/completions',
    request: { ...base, stream: true },
    upstreamStream: chatStream,
    cutMarker: '"finish_reason":"tool_calls"',
    upstreamError: { status: 400, body: { error: { message: 'bad', type: 'invalid_request_error', param: 'messages', code: null } } },
    isClientError: isOpenAIError,
  });
});
