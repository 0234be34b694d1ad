/**
 * `loadbalance` through the gateway: over many requests each target gets about its `weight` share.
 * The draws come from a seeded generator, so the counts are the same on every run (no flaky statistics).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_ENV, postJson, rig } from './helpers.js';

/** mulberry32: a small seeded PRNG with uniform output in [0, 1). */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LB = `
pack: { name: lb, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: loadbalance
  targets:
    - { id: big, provider: openai, model: big, weight: 3, secret_key_ref: { env: TEST_KEY } }
    - { id: small, provider: openai, model: small, weight: 1, secret_key_ref: { env: TEST_KEY } }
    - { id: tiny, provider: openai, model: tiny, weight: 0.5, secret_key_ref: { env: TEST_KEY } }
`;

describe('loadbalance', () => {
  it('spreads requests by weight (3 : 1 : 0.5 over 450 requests)', async (t) => {
    const { demo, gw } = await rig(t, LB, { env: TEST_ENV, random: seeded(20261121) });
    const N = 450;
    for (let i = 0; i < N; i++) {
      const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: `n${i}` }] });
      assert.equal(res.status, 200, res.text);
    }
    const count: Record<string, number> = {};
    for (const q of demo.requests) {
      const m = (q.json as { model: string }).model;
      count[m] = (count[m] ?? 0) + 1;
    }
    assert.equal(demo.requests.length, N, 'one upstream request each: the draw picks, the others stay fallbacks');
    // Expected shares 3/4.5, 1/4.5, 0.5/4.5 = 300, 100, 50 requests; within 5 points of N.
    for (const [id, want] of [['big', 300], ['small', 100], ['tiny', 50]] as const) {
      assert.ok(Math.abs((count[id] ?? 0) - want) <= N * 0.05, `${id}: ${count[id]} of ${N}, expected about ${want} (${JSON.stringify(count)})`);
    }
  });

  it('a failing pick falls back to the others in weight order', async (t) => {
    const { demo, gw } = await rig(t, LB.replace('loadbalance', 'loadbalance\n  retry: { attempts: 0 }'), { env: TEST_ENV, random: () => 0.99 });
    demo.faults.add({ kind: 'status', status: 503, when: { model: 'tiny' } });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      demo.requests.map((q) => (q.json as { model: string }).model),
      ['tiny', 'big'],
    );
  });
});
