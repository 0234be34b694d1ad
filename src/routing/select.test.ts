import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResolvedTarget } from '../providers/types.js';
import { matchTargets, orderTargets } from './select.js';

const t = (id: string, extra: Partial<ResolvedTarget> = {}) => ({ id, weight: 1, ...extra }) as ResolvedTarget;

test('a lone target serves every model name', () => {
  assert.deepEqual(matchTargets([t('a', { model: 'm' })], 'anything').map((x) => x.id), ['a']);
});

test('with several targets: models globs, then exact model, then the catch-alls', () => {
  const targets = [t('claude', { models: ['claude-*'] }), t('gpt', { model: 'gpt-4o' }), t('rest')];
  assert.deepEqual(matchTargets(targets, 'claude-sonnet-4').map((x) => x.id), ['claude']);
  assert.deepEqual(matchTargets(targets, 'gpt-4o').map((x) => x.id), ['gpt']);
  assert.deepEqual(matchTargets(targets, 'llama').map((x) => x.id), ['gpt', 'rest']);
  assert.deepEqual(matchTargets([t('a', { models: ['x'] }), t('b', { models: ['y'] })], 'z'), []);
});

test('glob patterns escape regex characters', () => {
  assert.deepEqual(matchTargets([t('a', { models: ['gpt-4.1*'] }), t('b', { models: ['x'] })], 'gpt-4x1').map((x) => x.id), []);
  assert.deepEqual(matchTargets([t('a', { models: ['gpt-4.1*'] }), t('b', { models: ['x'] })], 'gpt-4.1-mini').map((x) => x.id), ['a']);
});

test('strategies order the matches', () => {
  const m = [t('a', { weight: 1 }), t('b', { weight: 3 }), t('c', { weight: 2 })];
  assert.deepEqual(orderTargets(m, 'single').map((x) => x.id), ['a']);
  assert.deepEqual(orderTargets(m, 'fallback').map((x) => x.id), ['a', 'b', 'c']);
  // random 0.5 of total 6 = 3 → falls in b's share [1, 4); the rest by descending weight.
  assert.deepEqual(orderTargets(m, 'loadbalance', () => 0.5).map((x) => x.id), ['b', 'c', 'a']);
  assert.deepEqual(orderTargets(m, 'loadbalance', () => 0).map((x) => x.id), ['a', 'b', 'c']);
  assert.deepEqual(orderTargets(m, 'loadbalance', () => 0.99).map((x) => x.id), ['c', 'b', 'a']);
});
