import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIM_INSTRUCTION } from './completions-helpers.js';
import { openaiCompletionsToOpenaiResponses as pair } from './openai-completions-to-openai-responses.js';
import { assertSplitInvariant, eventTypes, payloads } from './stream-harness.js';
import { responsesStream } from './stream-fixtures.js';
import { isOpenAIError, runTranslatorContract } from './translator.contract.js';

const base = { model: 'codex-mini', prompt: 'def add(a, b):\n    ' };

describe('openai-completions → openai-responses: request', () => {
  it('frames FIM as system + user input items; max_tokens → max_output_tokens; stop sequences dropped', () => {
    const out = pair.create().request({ ...base, suffix: '\n', max_tokens: 20, temperature: 0, stop: ['\n\n'] });
    assert.equal(out.route, '/v1/responses');
    const b = out.body as Record<string, any>;
    assert.deepEqual(b.input, [
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: FIM_INSTRUCTION }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<prefix>def add(a, b):\n    </prefix><suffix>\n</suffix>' }] },
    ]);
    assert.deepEqual([b.max_output_tokens, b.temperature, b.stop, b.store], [20, 0, undefined, false]);
  });
});

describe('openai-completions → openai-responses: JSON', () => {
  it('renders the output text as a text_completion; incomplete → length', () => {
    const r = pair.create().response({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'return a + b' }] }],
      usage: { input_tokens: 30, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, total_tokens: 50 },
    }) as Record<string, any>;
    assert.deepEqual(r.choices, [{ text: 'return a + b', index: 0, logprobs: null, finish_reason: 'length' }]);
    assert.deepEqual(r.usage, { prompt_tokens: 30, completion_tokens: 20, total_tokens: 50, prompt_tokens_details: { cached_tokens: 0 } });
  });
});

describe('openai-completions → openai-responses: stream', () => {
  it('output_text deltas become chunks; the usage chunk when asked; [DONE]; split-invariant', () => {
    const make = () => {
      const tr = pair.create();
      tr.request({ ...base, stream: true, stream_options: { include_usage: true } });
      return tr;
    };
    const events = assertSplitInvariant(make, responsesStream, { rounds: 10 });
    assert.deepEqual(eventTypes(events).slice(-2), ['usage', '[DONE]']);
    const p = payloads(events);
    assert.equal(p.map((x) => x.choices[0]?.text ?? '').join(''), 'Héllo wörld 🌍');
    assert.equal(p.at(-2)!.choices[0].finish_reason, 'stop');
    assert.deepEqual(p.at(-1)!.usage, { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 5 } });
  });
});

describe('openai-completions → openai-responses: contract', () => {
  runTranslatorContract({
    pair,
    route: '/v1/responses',
    request: { ...base, stream: true },
    upstreamStream: responsesStream,
    cutMarker: 'event: response.completed',
    upstreamError: { status: 429, body: { error: { message: 'slow', type: 'requests', code: 'rate_limit_exceeded' } } },
    isClientError: isOpenAIError,
  });
});
