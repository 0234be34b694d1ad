/**
 * Cost of translated requests follows the provider's way of counting, not the client's: an Anthropic
 * client on an OpenAI target gets OpenAI usage (prompt_tokens includes cached tokens), an OpenAI client
 * on an Anthropic target gets Anthropic usage (input_tokens excludes them). Pricing one with the other's
 * rule charges cached tokens twice, or not at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { costOf, PriceBook } from '../../src/cost/pricing.js';
import { evidenceRig, post, type EvidenceRig } from './gateway-fixture.js';

const USAGE = { input_tokens: 200, output_tokens: 50, cache_read_input_tokens: 4_000, cache_creation_input_tokens: 1_000 };

describe('cost of translated requests', () => {
  let rig: EvidenceRig;
  const book = new PriceBook();
  before(async () => {
    rig = await evidenceRig(
      'sqlite',
      ({ demo, dataDir }) => `
pack: { name: xcost, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: single
  targets:
    - { id: oai, provider: openai, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["gpt-4o"] }
    - { id: claude, provider: anthropic, base_url: ${demo}, secret_key_ref: { env: PAID_KEY }, models: ["claude-sonnet-4-5"] }
gateway: { data_dir: ${dataDir} }
`,
    );
  });
  after(() => rig?.close());

  for (const stream of [false, true]) {
    it(`Anthropic client → OpenAI target${stream ? ', streamed' : ''}: priced as OpenAI counts (cached inside prompt_tokens)`, async () => {
      rig.demo.script({ text: 'ok', usage: USAGE });
      const id = `x-a2o-${stream}`;
      const r = await post(`${rig.gw.url}/v1/messages`, { model: 'gpt-4o', max_tokens: 100, stream, messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': id });
      assert.equal(r.status, 200, r.text);
      const ev = (await rig.byRequest(id))!;
      assert.equal(ev.dialect, 'anthropic-messages');
      // The demo's OpenAI usage: prompt_tokens = 200 + 4000 + 1000, cached_tokens = 4000.
      assert.deepEqual([ev.input_tokens, ev.cache_read_tokens, ev.output_tokens], [5_200, 4_000, 50]);
      const u = { inputTokens: 5_200, outputTokens: 50, cacheReadTokens: 4_000, cacheWriteTokens: ev.cache_write_tokens };
      assert.equal(ev.cost_usd, costOf(u, book.priceOf('gpt-4o', 'openai'), 'openai'));
      assert.notEqual(ev.cost_usd, costOf(u, book.priceOf('gpt-4o', 'openai'), 'anthropic'), 'the cached part is not charged twice');
    });

    it(`OpenAI client → Anthropic target${stream ? ', streamed' : ''}: priced as Anthropic counts (cache beside input_tokens)`, async () => {
      rig.demo.script({ text: 'ok', usage: USAGE });
      const id = `x-o2a-${stream}`;
      const r = await post(`${rig.gw.url}/v1/chat/completions`, { model: 'claude-sonnet-4-5', stream, messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': id });
      assert.equal(r.status, 200, r.text);
      const ev = (await rig.byRequest(id))!;
      assert.equal(ev.dialect, 'openai-chat');
      assert.deepEqual([ev.input_tokens, ev.cache_read_tokens, ev.cache_write_tokens, ev.output_tokens], [200, 4_000, 1_000, 50]);
      const price = book.priceOf('claude-sonnet-4-5', 'anthropic')!;
      const expected = (200 * price.input + 4_000 * price.cache_read! + 1_000 * price.cache_write! + 50 * price.output) / 1e6;
      assert.equal(ev.cost_usd, Math.round(expected * 1e10) / 1e10);
    });
  }
});
