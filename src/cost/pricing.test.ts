import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalModel, costOf, PriceBook } from './pricing.js';
import { maxCostOf, maxOutputTokens, DEFAULT_MAX_OUTPUT_TOKENS } from './estimate.js';
import { periodEnd, periodStart } from './periods.js';
import { planHold } from './hold.js';

describe('pricing', () => {
  const book = new PriceBook();

  it('finds dated, prefixed and -latest names', () => {
    assert.equal(canonicalModel('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5');
    assert.equal(canonicalModel('openai/gpt-4o-2024-08-06'), 'gpt-4o');
    assert.equal(book.priceOf('gpt-4o-mini-2024-07-18')?.input, 0.15);
    assert.equal(book.priceOf('claude-3-5-haiku-latest')?.output, 4);
    assert.equal(book.priceOf('gpt-4o-audio-preview')?.input, 2.5, 'longest known prefix');
  });

  it('an unknown model has no price and costs null, never 0', () => {
    assert.equal(book.priceOf('my-finetune-7b'), undefined);
    assert.equal(costOf({ inputTokens: 10, outputTokens: 10, cacheReadTokens: null, cacheWriteTokens: null }, book.priceOf('my-finetune-7b'), 'openai'), null);
  });

  it('local providers are free', () => {
    assert.equal(costOf({ inputTokens: 1000, outputTokens: 1000, cacheReadTokens: null, cacheWriteTokens: null }, book.priceOf('gpt-4o', 'demo'), 'openai'), 0);
  });

  it('unknown usage costs null', () => {
    assert.equal(costOf({ inputTokens: null, outputTokens: null, cacheReadTokens: null, cacheWriteTokens: null }, book.priceOf('gpt-4o'), 'openai'), null);
    assert.equal(costOf(undefined, book.priceOf('gpt-4o'), 'openai'), null);
  });

  it('Anthropic: input_tokens excludes cache tokens; reads and writes are priced on their own', () => {
    // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    const usage = { inputTokens: 100, outputTokens: 200, cacheReadTokens: 50_000, cacheWriteTokens: 10_000 };
    const cost = costOf(usage, book.priceOf('claude-sonnet-4-5-20250929'), 'anthropic');
    const expected = (100 * 3 + 200 * 15 + 50_000 * 0.3 + 10_000 * 3.75) / 1e6;
    assert.equal(cost, Math.round(expected * 1e10) / 1e10);
    // Counting cache reads as input too (the common bug) would be ~10x more for the cached part.
    assert.ok(cost! < (50_100 * 3 + 200 * 15) / 1e6);
  });

  it('OpenAI: cached_tokens are inside prompt_tokens and priced at the cache rate', () => {
    const usage = { inputTokens: 10_000, outputTokens: 100, cacheReadTokens: 8_000, cacheWriteTokens: null };
    const cost = costOf(usage, book.priceOf('gpt-4.1'), 'openai');
    assert.equal(cost, Math.round(((2_000 * 2 + 8_000 * 0.5 + 100 * 8) / 1e6) * 1e10) / 1e10);
  });

  it('OpenAI shape with cache writes (an OpenAI-compatible server in front of Claude): writes are inside prompt_tokens too', () => {
    const usage = { inputTokens: 10_000, outputTokens: 100, cacheReadTokens: 6_000, cacheWriteTokens: 3_000 };
    const price = book.priceOf('claude-sonnet-4-5')!;
    assert.ok(price.cache_write, 'the model prices cache writes');
    const cost = costOf(usage, price, 'openai');
    const expected = (1_000 * price.input + 6_000 * price.cache_read! + 3_000 * price.cache_write + 100 * price.output) / 1e6;
    assert.equal(cost, Math.round(expected * 1e10) / 1e10);
  });

  it('config overrides win, with globs', () => {
    const custom = new PriceBook({ 'my-*': { input: 1, output: 2 }, 'gpt-4o': { input: 9, output: 9 } });
    assert.equal(custom.priceOf('my-finetune-7b')?.output, 2);
    assert.equal(custom.priceOf('gpt-4o-2024-08-06')?.input, 9);
  });

  it('maximum cost uses the output cap of the request', () => {
    assert.equal(maxOutputTokens({ max_tokens: 100 }), 100);
    assert.equal(maxOutputTokens({ max_output_tokens: 7 }), 7);
    assert.equal(maxOutputTokens({}), DEFAULT_MAX_OUTPUT_TOKENS);
    // Any input token may become a 1-hour cache write (2x input): the hold prices input at that.
    const p = { input: 3, output: 15, cache_write: 3.75 };
    assert.equal(maxCostOf(p, 300, { max_tokens: 1000 }), (100 * 6 + 1000 * 15) / 1e6);
    assert.equal(maxCostOf({ input: 1, output: 2 }, 300, { max_tokens: 10 }), (100 * 1 + 10 * 2) / 1e6, 'no cache writes: input price');
    assert.equal(maxCostOf(p, 300, { max_tokens: 1000 }, true), (100 * 6) / 1e6, 'embeddings: input only');
  });

  it('Anthropic 1-hour cache writes are priced at 2x input, 5-minute ones at the cache-write price', () => {
    // claude-sonnet-4-5: 5-minute writes $3.75, 1-hour writes 2 x $3 = $6 per million.
    const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 10_000, cacheWrite1hTokens: 4_000 };
    const cost = costOf(usage, book.priceOf('claude-sonnet-4-5'), 'anthropic');
    assert.equal(cost, Math.round(((6_000 * 3.75 + 4_000 * 6) / 1e6) * 1e10) / 1e10);
    const configured = costOf(usage, { input: 3, output: 15, cache_write: 3.75, cache_write_1h: 7 }, 'anthropic');
    assert.equal(configured, Math.round(((6_000 * 3.75 + 4_000 * 7) / 1e6) * 1e10) / 1e10);
    assert.equal(costOf({ ...usage, cacheWrite1hTokens: null }, book.priceOf('claude-sonnet-4-5'), 'anthropic'), (10_000 * 3.75) / 1e6);
  });

  it('a configured fallback prices unknown models; known ones keep their own price', () => {
    const withFallback = new PriceBook({}, { input: 1, output: 1 });
    assert.deepEqual(withFallback.priceOf('my-finetune-7b'), { input: 1, output: 1 });
    assert.equal(withFallback.usesFallback('my-finetune-7b'), true);
    assert.equal(withFallback.priceOf('gpt-4o')?.input, 2.5);
    assert.equal(withFallback.priceOf('anything', 'ollama')?.input, 0, 'free providers stay free');
  });

  it('periods start and end in UTC', () => {
    const t = Date.parse('2026-11-19T15:00:00Z'); // a Thursday
    assert.equal(periodStart('day', t).toISOString(), '2026-11-19T00:00:00.000Z');
    assert.equal(periodStart('week', t).toISOString(), '2026-11-16T00:00:00.000Z');
    assert.equal(periodEnd('week', t).toISOString(), '2026-11-23T00:00:00.000Z');
    assert.equal(periodEnd('month', t).toISOString(), '2026-12-01T00:00:00.000Z');
  });

  it('the hold covers the dearest planned target; count_tokens and free targets hold nothing; unpriced ones are listed', () => {
    const body = { model: 'alias', max_tokens: 100, messages: [] };
    const base = { model: 'alias', rawBody: Buffer.from(JSON.stringify(body)), body, dialect: 'openai-chat' as const };
    const t = (id: string, provider: string, model: string) => ({ id, provider, model, format: 'openai' as const });
    const both = planHold(book, { ...base, candidates: [t('a', 'openai', 'gpt-4o-mini'), t('b', 'openai', 'gpt-5')] });
    assert.equal(both.amountUsd, maxCostOf(book.priceOf('gpt-5')!, base.rawBody.length, body));
    assert.equal(both.free, false);
    assert.deepEqual(planHold(book, { ...base, candidates: [t('l', 'ollama', 'llama3')] }), { amountUsd: 0, free: true, unpriced: [] });
    assert.equal(planHold(book, { ...base, dialect: 'anthropic-count-tokens', candidates: [t('c', 'anthropic', 'claude-sonnet-4-5')] }).free, true);
    assert.equal(planHold(book, { ...base, candidates: [] }).free, true, 'no target: nothing will be called');
    assert.deepEqual(planHold(book, { ...base, candidates: [t('m', 'openai', 'mystery')] }).unpriced, [{ model: 'mystery', target: 'm', provider: 'openai' }]);
  });
});
