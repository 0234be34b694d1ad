import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTINUE_INSTRUCTION, FIM_INSTRUCTION } from './completions-helpers.js';
import { openaiCompletionsToAnthropicMessages as pair } from './openai-completions-to-anthropic-messages.js';
import { assertSplitInvariant, eventTypes, payloads, runStream, sse } from './stream-harness.js';
import { anthropicStream } from './stream-fixtures.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'claude-haiku', prompt: 'function add(a, b) {\n  ' };
const req = (extra: Record<string, unknown>) => pair.create().request({ ...base, ...extra }).body as Record<string, any>;

describe('openai-completions → anthropic-messages: request', () => {
  it('frames fill-in-the-middle with a system instruction and the prefix/suffix user turn', () => {
    const b = req({ suffix: '\n}\n', max_tokens: 32, temperature: 0.1, top_p: 0.9, stop: ['\n\n'], user: 'dev-7' });
    assert.deepEqual(b.system, [{ type: 'text', text: FIM_INSTRUCTION }]);
    assert.deepEqual(b.messages, [{ role: 'user', content: [{ type: 'text', text: '<prefix>function add(a, b) {\n  </prefix><suffix>\n}\n</suffix>' }] }]);
    assert.deepEqual([b.max_tokens, b.temperature, b.top_p, b.stop_sequences, b.metadata], [32, 0.1, 0.9, ['\n\n'], { user_id: 'dev-7' }]);
    assert.equal(b.tools, undefined);
  });

  it('a plain prompt is a continuation with the legacy default of 16 tokens', () => {
    const b = req({ prompt: ['Once upon a time'], stream: true });
    assert.deepEqual(b.system, [{ type: 'text', text: CONTINUE_INSTRUCTION }]);
    assert.deepEqual([b.max_tokens, b.stream, b.stream_options], [16, true, undefined]);
  });

  for (const bad of [{ prompt: [1, 2] }, { prompt: ['a', 'b'] }, { n: 3 }]) {
    it(`refuses what cannot be translated: ${JSON.stringify(bad)}`, () => {
      assert.throws(() => pair.create().request({ ...base, ...bad }), { code: 'KT_ERR_INVALID_REQUEST' });
    });
  }
});

const message = (stop: string, usage: Record<string, unknown> | undefined) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku',
  content: [
    { type: 'thinking', thinking: 'private', signature: 'SIG' },
    { type: 'text', text: 'return a + b;' },
  ],
  stop_reason: stop,
  stop_sequence: null,
  usage,
});

describe('openai-completions → anthropic-messages: JSON', () => {
  it('renders a text_completion with the usage in OpenAI terms (cache included in prompt_tokens)', () => {
    const r = pair.create().response(message('end_turn', { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 })) as Record<string, any>;
    assert.equal(r.object, 'text_completion');
    assert.match(r.id, /^cmpl-/);
    assert.equal(r.model, 'claude-haiku');
    assert.deepEqual(r.choices, [{ text: 'return a + b;', index: 0, logprobs: null, finish_reason: 'stop' }]);
    assert.deepEqual(r.usage, { prompt_tokens: 130, completion_tokens: 5, total_tokens: 135, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, cache_creation_input_tokens: 20 });
    assert.doesNotMatch(JSON.stringify(r), /private|SIG/);
  });

  it('echo: true puts the prompt in front of the text', () => {
    const tr = pair.create();
    tr.request({ ...base, echo: true });
    assert.equal((tr.response(message('end_turn', undefined)) as any).choices[0].text, base.prompt + 'return a + b;');
  });

  for (const [stop, finish] of [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['refusal', 'content_filter'],
  ] as const) {
    it(`stop_reason ${stop} → finish_reason ${finish}`, () => {
      assert.equal((pair.create().response(message(stop, undefined)) as any).choices[0].finish_reason, finish);
    });
  }

  it('no usage from the upstream: usage null, not zeros', () => {
    assert.equal((pair.create().response(message('end_turn', undefined)) as any).usage, null);
  });
});

const streaming = (extra: Record<string, unknown> = {}) => () => {
  const tr = pair.create();
  tr.request({ ...base, stream: true, ...extra });
  return tr;
};

describe('openai-completions → anthropic-messages: stream', () => {
  it('text deltas become text_completion chunks; thinking and tool blocks carry no text; split-invariant', () => {
    const events = assertSplitInvariant(streaming(), anthropicStream);
    const p = payloads(events);
    assert.equal(events.at(-1)!.data, '[DONE]');
    assert.ok(p.every((x) => x.object === 'text_completion'));
    assert.deepEqual(
      p.map((x) => [x.choices[0].text, x.choices[0].finish_reason]),
      [
        ['Héllo ', null],
        ['wörld 🌍', null],
        ['', 'stop'],
      ],
    );
    assert.doesNotMatch(JSON.stringify(p), /let me think/);
  });

  it('the usage chunk comes only when asked, before [DONE]', () => {
    const events = assertSplitInvariant(streaming({ stream_options: { include_usage: true } }), anthropicStream, { rounds: 5, everyByte: false });
    assert.deepEqual(eventTypes(events).slice(-2), ['usage', '[DONE]']);
    assert.deepEqual(payloads(events).at(-1)!.usage, { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, cache_creation_input_tokens: 20 });
  });

  it('echo streams the prompt first', () => {
    const p = payloads(runStream(streaming({ echo: true })(), anthropicStream));
    assert.equal(p[0].choices[0].text, base.prompt);
  });

  it('an Anthropic error event becomes an OpenAI error chunk with its kind; no [DONE] after it', () => {
    const raw = sse([
      ['message_start', { type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 1, output_tokens: 0 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ret' } }],
      ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    ]);
    const events = runStream(streaming()(), raw);
    assert.ok(!events.some((e) => e.data === '[DONE]'));
    assert.deepEqual(payloads(events).at(-1), { error: { message: 'Overloaded', type: 'server_error', param: null, code: null } });
  });
});

describe('openai-completions → anthropic-messages: errors', () => {
  for (const [status, type, openaiType] of [
    [400, 'invalid_request_error', 'invalid_request_error'],
    [401, 'authentication_error', 'authentication_error'],
    [429, 'rate_limit_error', 'rate_limit_error'],
    [529, 'overloaded_error', 'server_error'],
  ] as const) {
    it(`Anthropic ${status} ${type} → OpenAI ${openaiType}, status kept`, () => {
      const r = pair.create().error(status, { type: 'error', error: { type, message: 'm' } });
      assert.deepEqual(r, { status, body: { error: { message: 'm', type: openaiType, param: null, code: null } } });
    });
  }
});

describe('openai-completions → anthropic-messages: contract', () => {
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
