import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreakers } from './circuit-breaker.js';

test('opens after the threshold, admits one trial after the cooldown, closes on success', () => {
  let now = 0;
  const b = new CircuitBreakers({ failureThreshold: 2, cooldownMs: 1000 }, () => now);
  b.failure('t');
  assert.equal(b.allow('t'), true);
  b.failure('t');
  assert.equal(b.state('t'), 'open');
  assert.equal(b.allow('t'), false);
  now = 1000;
  assert.equal(b.state('t'), 'half-open');
  assert.equal(b.allow('t'), true, 'one trial');
  assert.equal(b.allow('t'), false, 'only one');
  b.success('t');
  assert.equal(b.state('t'), 'closed');
  assert.equal(b.allow('t'), true);
});

test('a failed trial opens the breaker again for a full cooldown', () => {
  let now = 0;
  const b = new CircuitBreakers({ failureThreshold: 1, cooldownMs: 100 }, () => now);
  b.failure('t');
  now = 100;
  assert.equal(b.allow('t'), true);
  b.failure('t');
  now = 150;
  assert.equal(b.allow('t'), false);
  now = 200;
  assert.equal(b.allow('t'), true);
});
