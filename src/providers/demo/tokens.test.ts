import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicCountTokens, anthropicInputUsage, openaiInputUsage } from './tokens.js';

describe('token estimates', () => {
  const cc = { type: 'ephemeral' };
  it('Anthropic: no breakpoint → all input; one → written; two → read then written; sum = count', () => {
    const plain = { messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    assert.deepEqual(anthropicInputUsage(plain), { input: anthropicCountTokens(plain), cacheRead: 0, cacheWrite: 0 });
    const one = { system: [{ type: 'text', text: 's'.repeat(800), cache_control: cc }], messages: [{ role: 'user', content: 'hi' }] };
    const u1 = anthropicInputUsage(one);
    assert.equal(u1.cacheRead, 0);
    assert.ok(u1.cacheWrite > 200);
    const two = { ...one, messages: [{ role: 'user', content: [{ type: 'text', text: 'm'.repeat(400), cache_control: cc }] }, { role: 'user', content: 'tail' }] };
    const u2 = anthropicInputUsage(two);
    assert.equal(u2.cacheRead, u1.cacheWrite, 'what the previous breakpoint wrote is now read');
    assert.ok(u2.cacheWrite > 100 && u2.input > 0);
    assert.equal(u2.input + u2.cacheRead + u2.cacheWrite, anthropicCountTokens(two));
  });

  it('OpenAI: cached_tokens only from 1024 prompt tokens, in 128 steps, before the last message', () => {
    const small = openaiInputUsage('openai-chat', { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(small.cacheRead, 0);
    const big = openaiInputUsage('openai-chat', { messages: [{ role: 'system', content: 'x'.repeat(8000) }, { role: 'user', content: 'y'.repeat(400) }] });
    assert.ok(big.cacheRead > 0 && big.cacheRead % 128 === 0);
    assert.ok(big.input >= 100);
  });
});
