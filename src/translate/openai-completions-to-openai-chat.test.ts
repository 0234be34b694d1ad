import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTINUE_INSTRUCTION, FIM_INSTRUCTION } from './completions-helpers.js';
import { openaiCompletionsToAnthropicMessages } from './openai-completions-to-anthropic-messages.js';
import { openaiCompletionsToOpenaiChat as pair } from './openai-completions-to-openai-chat.js';
import { assertSplitInvariant, eventTypes, payloads } from './stream-harness.js';
import { anthropicStream, chatTextStreamCrlf } from './stream-fixtures.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'coder', prompt: 'def add(a, b):\n    ' };
const req = (extra: Record<string, unknown>) => pair.create().request({ ...base, ...extra }).body as Record<string, any>;

describe('openai-completions → openai-chat: request', () => {
  it('frames fill-in-the-middle (prompt + suffix) for a chat model', () => {
    const b = req({ suffix: '\n\nprint(add(1, 2))', max_tokens: 40, temperature: 0, stop: '\n\n' });
    assert.deepEqual(b.messages, [
      { role: 'system', content: FIM_INSTRUCTION },
      { role: 'user', content: '<prefix>def add(a, b):\n    </prefix><suffix>\n\nprint(add(1, 2))</suffix>' },
    ]);
    assert.deepEqual([b.max_tokens, b.temperature, b.stop], [40, 0, ['\n\n']]);
  });

  it('a plain prompt is a continuation; the legacy default max_tokens (16) applies', () => {
    const b = req({ prompt: ['Once upon'] });
    assert.deepEqual(b.messages, [
      { role: 'system', content: CONTINUE_INSTRUCTION },
      { role: 'user', content: 'Once upon' },
    ]);
    assert.equal(b.max_tokens, 16);
  });

  for (const bad of [{ prompt: [1, 2, 3] }, { prompt: ['a', 'b'] }, { n: 2 }, { prompt: undefined }]) {
    it(`rejects what cannot be translated: ${JSON.stringify(bad)}`, () => {
      assert.throws(() => pair.create().request({ ...base, ...bad }), { code: 'KT_ERR_INVALID_REQUEST' });
    });
  }
});

describe('openai-completions → openai-chat: response', () => {
  it('renders a text_completion, with echo', () => {
    const tr = pair.create();
    tr.request({ ...base, echo: true });
    const r = tr.response({ choices: [{ index: 0, finish_reason: 'length', message: { role: 'assistant', content: 'return a + b' } }], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } }) as Record<string, any>;
    assert.equal(r.object, 'text_completion');
    assert.match(r.id, /^cmpl-/);
    assert.deepEqual(r.choices, [{ text: 'def add(a, b):\n    return a + b', index: 0, logprobs: null, finish_reason: 'length' }]);
    assert.deepEqual(r.usage, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  });
});

describe('openai-completions → openai-chat: stream', () => {
  it('emits text_completion chunks, the usage chunk only when asked, then [DONE]', () => {
    const make = (includeUsage: boolean) => () => {
      const tr = pair.create();
      tr.request({ ...base, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
      return tr;
    };
    const events = assertSplitInvariant(make(false), chatTextStreamCrlf, { rounds: 10 });
    const p = payloads(events);
    assert.equal(events.at(-1)!.data, '[DONE]');
    assert.deepEqual(
      p.map((x) => [x.object, x.choices[0].text, x.choices[0].finish_reason]),
      [
        ['text_completion', 'Hi', null],
        ['text_completion', ' there', null],
        ['text_completion', '', 'length'],
      ],
    );
    assert.deepEqual(eventTypes(assertSplitInvariant(make(true), chatTextStreamCrlf, { rounds: 5 })).slice(-2), ['usage', '[DONE]']);
  });

  it('works on an Anthropic target too (no completions endpoint there)', () => {
    const tr = () => {
      const t = openaiCompletionsToAnthropicMessages.create();
      const out = t.request({ ...base, suffix: 'x', stream: true, stream_options: { include_usage: true } });
      assert.equal(out.route, '/v1/messages');
      assert.equal((out.body as any).system[0].text, FIM_INSTRUCTION);
      return t;
    };
    const p = payloads(assertSplitInvariant(tr, anthropicStream, { rounds: 5 }));
    assert.equal(p.map((x) => x.choices[0]?.text ?? '').join(''), 'Héllo wörld 🌍');
    assert.deepEqual(p.at(-1)!.usage, { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 }, cache_creation_input_tokens: 20 });
  });
});

describe('openai-completions → openai-chat: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/chat/completions',
    request: { ...base, stream: true },
    upstreamStream: chatTextStreamCrlf,
    cutMarker: '"finish_reason":"length"',
    upstreamError: { status: 401, body: { error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } } },
    isClientError: isOpenAIError,
  });
});
