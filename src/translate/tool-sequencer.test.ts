import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createToolSequencer } from './tool-sequencer.js';

/** Records the sink calls as `open A`, `A+{"x"`, `close A`. */
function recorder() {
  const log: string[] = [];
  const seq = createToolSequencer({
    open: (c) => log.push(`open ${c.key}`),
    delta: (c, d) => log.push(`${c.key}+${d}`),
    close: (c) => log.push(`close ${c.key}`),
  });
  return { log, seq };
}

describe('tool sequencer', () => {
  it('sequential calls stream live: the next opens as soon as it starts, the previous being complete', () => {
    const { log, seq } = recorder();
    seq.start('A', 'a', 'read');
    seq.args('A', '{"p":');
    seq.args('A', '1}');
    seq.start('B', 'b', 'grep');
    seq.args('B', '{}');
    seq.flush();
    assert.deepEqual(log, ['open A', 'A+{"p":', 'A+1}', 'close A', 'open B', 'B+{}', 'close B']);
  });

  it('a call started while another is unfinished waits, its pieces buffered, and opens when that one completes', () => {
    const { log, seq } = recorder();
    seq.start('A', 'a', 'read');
    seq.start('B', 'b', 'grep');
    seq.args('B', '{"q":');
    seq.args('A', '{"p":1');
    assert.deepEqual(log, ['open A', 'A+{"p":1']);
    seq.args('A', '}');
    assert.deepEqual(log.slice(2), ['A+}', 'close A', 'open B', 'B+{"q":']);
    seq.args('B', '2}');
    seq.flush();
    assert.deepEqual(log.slice(6), ['B+2}', 'close B']);
  });

  it('keeps the upstream start order for three calls whatever order their pieces arrive in', () => {
    const { log, seq } = recorder();
    for (const k of ['A', 'B', 'C']) seq.start(k, k, 'f');
    seq.args('C', '{"c":3}');
    seq.args('B', '{"b":2}');
    seq.args('A', '{"a":1}');
    seq.flush();
    assert.deepEqual(log, ['open A', 'A+{"a":1}', 'close A', 'open B', 'B+{"b":2}', 'close B', 'open C', 'C+{"c":3}', 'close C']);
  });

  it('arguments that never become valid JSON hold later calls until the end, then everything is sent whole', () => {
    const { log, seq } = recorder();
    seq.start('A', 'a', 'f');
    seq.args('A', '{"cut');
    seq.start('B', 'b', 'g');
    seq.args('B', '{}');
    assert.deepEqual(log, ['open A', 'A+{"cut']);
    seq.flush();
    assert.deepEqual(log.slice(2), ['close A', 'open B', 'B+{}', 'close B']);
  });

  it('busy while the open call is unfinished, so writers know to hold text back', () => {
    const { seq } = recorder();
    assert.equal(seq.busy, false, 'nothing open');
    seq.start('A', 'a', 'f');
    assert.equal(seq.busy, true, 'open, no arguments yet');
    seq.args('A', '{"p":[1,');
    assert.equal(seq.busy, true);
    seq.args('A', '2]} ');
    assert.equal(seq.busy, false, 'complete JSON object');
    seq.start('B', 'b', 'g');
    assert.equal(seq.busy, true, 'the next call opened at once and is unfinished');
    seq.flush();
    assert.equal(seq.busy, false);
  });

  it('closeOpen (text in between) closes the open call; a waiting call opens on its next piece', () => {
    const { log, seq } = recorder();
    seq.start('A', 'a', 'f');
    seq.start('B', 'b', 'g');
    seq.closeOpen();
    assert.equal(seq.current, undefined);
    seq.args('B', '{"x":1}');
    seq.args('A', 'late');
    seq.flush();
    assert.deepEqual(log, ['open A', 'close A', 'open B', 'B+{"x":1}', 'close B']);
  });
});
