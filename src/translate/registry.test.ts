import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from '../dialects/types.js';
import { getTranslator, listPairs, unsupportedPairMessage } from './registry.js';

describe('translator registry', () => {
  it('lists every pair issue 3 asks for', () => {
    const pairs = listPairs().map((p) => `${p.from}>${p.to}`);
    for (const want of [
      'openai-chat>anthropic-messages',
      'anthropic-messages>openai-chat',
      'openai-responses>openai-chat',
      'openai-responses>anthropic-messages',
      'anthropic-messages>openai-responses',
      'openai-chat>openai-responses',
      'openai-completions>openai-chat',
      'openai-completions>anthropic-messages',
      'openai-completions>openai-responses',
    ]) {
      assert.ok(pairs.includes(want), want);
    }
    assert.equal(new Set(pairs).size, pairs.length);
  });

  it('never translates a dialect to itself (same-dialect traffic passes through)', () => {
    for (const d of DIALECTS) assert.equal(getTranslator(d, d), undefined);
  });

  it('returns a fresh translator per call (stream state is per request)', () => {
    assert.notEqual(getTranslator('openai-chat', 'anthropic-messages'), getTranslator('openai-chat', 'anthropic-messages'));
  });

  it('names the unsupported pair and what is supported', () => {
    assert.equal(getTranslator('openai-embeddings', 'anthropic-messages'), undefined);
    assert.match(unsupportedPairMessage('openai-embeddings', 'anthropic-messages'), /openai-embeddings.*anthropic-messages/);
    assert.match(unsupportedPairMessage('openai-chat', 'openai-completions'), /supported targets for openai-chat: anthropic-messages, openai-responses/);
  });
});
