import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSseParser, type SseEvent } from './parser.js';
import { formatSse } from './writer.js';

function parseAll(chunks: (string | Uint8Array)[], max?: number): { events: SseEvent[]; errors: Error[] } {
  const events: SseEvent[] = [];
  const errors: Error[] = [];
  const p = createSseParser({ onEvent: (e) => events.push(e), onError: (e) => errors.push(e), maxEventBytes: max });
  for (const c of chunks) p.feed(c);
  p.end();
  return { events, errors };
}

const fixture =
  '\uFEFFevent: message_start\r\ndata: {"a":1}\r\n\r\n: keep-alive comment\n\nevent: delta\ndata: line1\ndata: line2\n\ndata: {"x":"é€😀"}\r\r';

test('parses LF, CR, CRLF, BOM, comments and multi-line data', () => {
  const { events } = parseAll([fixture]);
  assert.deepEqual(events, [
    { event: 'message_start', data: '{"a":1}', id: undefined },
    { event: 'delta', data: 'line1\nline2', id: undefined },
    { event: undefined, data: '{"x":"é€😀"}', id: undefined },
  ]);
});

test('split at every byte boundary yields the same events (UTF-8 safe)', () => {
  const bytes = Buffer.from(fixture, 'utf8');
  const whole = parseAll([bytes]).events;
  for (let i = 1; i < bytes.length; i++) {
    assert.deepEqual(parseAll([bytes.subarray(0, i), bytes.subarray(i)]).events, whole, `split at ${i}`);
  }
});

test('split into three chunks at every pair of byte offsets (characters carried across chunks)', () => {
  const bytes = Buffer.from(fixture, 'utf8');
  const whole = parseAll([bytes]).events;
  for (let i = 1; i < bytes.length; i++) {
    for (let j = i + 1; j < bytes.length; j++) {
      assert.deepEqual(parseAll([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]).events, whole, `split at ${i}, ${j}`);
    }
  }
});

test('a final event without its blank line is still delivered', () => {
  assert.deepEqual(parseAll(['data: last']).events, [{ event: undefined, data: 'last', id: undefined }]);
});

test('an oversize event is reported once and stops parsing', () => {
  const { events, errors } = parseAll(['data: ' + 'x'.repeat(100), '\n\ndata: y\n\n'], 50);
  assert.equal(events.length, 0);
  assert.equal(errors.length, 1);
});

test('writer round-trips through the parser', () => {
  const evs: SseEvent[] = [{ event: 'content_block_delta', data: '{"t":"a\\nb"}' }, { data: 'multi\nline' }];
  assert.deepEqual(parseAll([evs.map(formatSse).join('')]).events, evs.map((e) => ({ event: e.event, data: e.data, id: undefined })));
});
