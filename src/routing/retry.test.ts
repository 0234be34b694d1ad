import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, retryAfterMs, DEFAULT_RETRY } from './retry.js';

test('Retry-After in seconds, as an HTTP date, and retry-after-ms', () => {
  assert.equal(retryAfterMs({ 'retry-after': '2' }), 2000);
  assert.equal(retryAfterMs({ 'retry-after-ms': '150', 'retry-after': '9' }), 150);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now), 5000);
  assert.equal(retryAfterMs({ 'retry-after': 'soon' }), undefined);
  assert.equal(retryAfterMs({}), undefined);
});

test('backoff grows exponentially with jitter and is capped', () => {
  const p = { ...DEFAULT_RETRY, initialBackoffMs: 100, maxBackoffMs: 1000 };
  assert.equal(backoffMs(p, 0, () => 1), 100);
  assert.equal(backoffMs(p, 0, () => 0), 50);
  assert.equal(backoffMs(p, 2, () => 1), 400);
  assert.equal(backoffMs(p, 10, () => 1), 1000);
});
