import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limit.js';

describe('rate limits', () => {
  const alice = { kind: 'anonymous' as const, userId: 'alice' };
  const bob = { kind: 'anonymous' as const, userId: 'bob' };

  it('rpm counts per user and says when to retry', () => {
    const rl = new RateLimiter([{ scope: 'user', rpm: 2 }]);
    const t = 1_000_000;
    assert.equal(rl.admit(alice, t).ok, true);
    assert.equal(rl.admit(alice, t + 10_000).ok, true);
    const r = rl.admit(alice, t + 20_000);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.refusal.retryAfterSeconds, 40);
    assert.equal(rl.admit(bob, t + 20_000).ok, true, 'another user has its own window');
    assert.equal(rl.admit(alice, t + 60_001).ok, true, 'the window slid');
  });

  it('tpm counts the tokens requests used', () => {
    const rl = new RateLimiter([{ scope: 'user', match: 'alice', tpm: 1000 }]);
    const t = 5_000_000;
    const a = rl.admit(alice, t);
    assert.ok(a.ok);
    if (a.ok) rl.addTokens(a.ids, t, 1500);
    const r = rl.admit(alice, t + 1000);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.refusal.kind, 'tpm');
      assert.equal(r.refusal.retryAfterSeconds, 59);
    }
    assert.equal(rl.admit(bob, t + 1000).ok, true, 'the rule matches alice only');
  });

  it('a principal without the scoped id is not limited by that rule', () => {
    const rl = new RateLimiter([{ scope: 'team', rpm: 1 }]);
    assert.ok(rl.admit(alice).ok);
    assert.ok(rl.admit(alice).ok);
  });
});
