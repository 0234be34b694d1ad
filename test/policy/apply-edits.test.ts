import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, applyTextEdits, normalizeEdits } from '../../src/policy/apply-edits.js';

test('applies edits to nested strings copy-on-write', () => {
  const body = { messages: [{ role: 'user', content: 'a SECRET b' }, { role: 'user', content: [{ type: 'text', text: 'x SECRET' }] }], model: 'm' };
  const { body: out, changed } = applyEdits(body, [
    { path: ['messages', 0, 'content'], start: 2, end: 8, replacement: '[R]' },
    { path: ['messages', 1, 'content', 0, 'text'], start: 2, end: 8, replacement: '[R]' },
  ]);
  assert.equal(changed, true);
  assert.deepEqual(out.messages[0], { role: 'user', content: 'a [R] b' });
  assert.equal((out.messages[1].content as { text: string }[])[0].text, 'x [R]');
  assert.equal(body.messages[0].content, 'a SECRET b', 'original untouched');
  assert.notEqual(out, body);
});

test('no change when replacement equals text, and empty edit list', () => {
  const body = { a: 'abc' };
  assert.equal(applyEdits(body, []).body, body);
  const r = applyEdits(body, [{ path: ['a'], start: 0, end: 1, replacement: 'a' }]);
  assert.equal(r.changed, false);
  assert.equal(r.body, body);
});

test('overlapping edits merge, first in order wins the replacement', () => {
  const merged = normalizeEdits([
    { path: ['a'], start: 4, end: 10, replacement: 'X' },
    { path: ['a'], start: 2, end: 6, replacement: 'Y' },
  ]);
  assert.deepEqual(merged.map((e) => [e.start, e.end, e.replacement]), [[2, 10, 'X']]);
  assert.equal(applyTextEdits('0123456789AB', [{ path: [], start: 10, end: 12, replacement: '!' }, { path: [], start: 0, end: 1, replacement: '' }]), '123456789!');
});

test('a path that does not reach a string throws', () => {
  assert.throws(() => applyEdits({ a: { b: 1 } }, [{ path: ['a', 'b'], start: 0, end: 1, replacement: '' }]), TypeError);
});
