/** The scan cache: what a resent history costs, what is scanned again, and that it stays out of the body. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Detection } from '../detect/types.js';
import { createScanCache } from './scan-cache.js';

const seg = (pointer: string, text: string) => ({ path: [pointer], pointer, role: 'user', text });
const found: readonly Detection[] = [{ rule: 'r', type: 't', category: 'secret', start: 0, end: 1 }];

/** Scans a turn through the cache the way detector-policy does; returns the texts that were scanned. */
function turn(cache: ReturnType<typeof createScanCache>, segments: ReturnType<typeof seg>[], conversation?: string): string[] {
  cache.attach(segments, conversation);
  const scanned: string[] = [];
  for (const s of segments) {
    if (cache.get('p\0d\0user', s.text, s) !== undefined) continue;
    scanned.push(s.text);
    cache.set('p\0d\0user', s.text, found, s);
  }
  return scanned;
}

describe('scan cache', () => {
  it('scans only what the next turn adds, matching segments by position', () => {
    const cache = createScanCache();
    const history = Array.from({ length: 50 }, (_, i) => seg(`messages[${i}].content`, `message ${i} ${'x'.repeat(i)}`));
    assert.equal(turn(cache, history, 'c').length, 50);
    // A new request: fresh objects and fresh (equal) strings, as JSON.parse of the resent body gives.
    const next = [...history.map((s) => seg(s.pointer, `${s.text}`)), seg('messages[50].content', 'the new question')];
    assert.deepEqual(turn(cache, next, 'c'), ['the new question']);
  });

  it('finds moved segments by their text, and rescans a changed text at the same place', () => {
    const cache = createScanCache();
    turn(cache, [seg('a', 'one'), seg('b', 'two'), seg('c', 'three')], 'c');
    // `two` was removed (the client compacted its history) and `three` edited: positions no longer line up.
    assert.deepEqual(turn(cache, [seg('a', 'one'), seg('c', 'three, edited'), seg('d', 'two')], 'c'), ['three, edited']);
  });

  it('shares results across conversations and requests without an id, by text', () => {
    const cache = createScanCache();
    turn(cache, [seg('a', 'shared system prompt')], 'c1');
    assert.deepEqual(turn(cache, [seg('x', 'shared system prompt')], 'c2'), []);
    assert.deepEqual(turn(cache, [seg('y', 'shared system prompt'), seg('z', 'new')]), ['new']);
  });

  it('keeps its binding off the segment’s own keys and JSON', () => {
    const cache = createScanCache();
    const s = seg('a', 'text');
    turn(cache, [s], 'c');
    assert.deepEqual(Object.keys(s), ['path', 'pointer', 'role', 'text']);
    assert.equal(JSON.stringify(s), JSON.stringify(seg('a', 'text')));
  });

  it('is bounded by total characters, oldest first out', () => {
    const cache = createScanCache(100);
    for (let i = 0; i < 10; i++) turn(cache, [seg('a', `${i}`.repeat(30))]);
    assert.ok(cache.size <= 4, `size ${cache.size}`);
    assert.deepEqual(turn(cache, [seg('a', '0'.repeat(30))]), ['0'.repeat(30)], 'the oldest text was evicted');
    assert.deepEqual(turn(cache, [seg('a', '9'.repeat(30))]), [], 'the newest is still there');
  });
});
