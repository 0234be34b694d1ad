/**
 * Shared contract every translator pair passes (STYLE #11): the route it targets, stream output that
 * does not depend on how the upstream bytes were chunked, closing events exactly once, a cut stream
 * reported as an error rather than a finished answer, and upstream errors re-rendered with their status.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertSplitInvariant, runStream } from './stream-harness.js';
import type { TranslatorPair } from './types.js';

export interface ContractOptions {
  pair: TranslatorPair;
  route: string;
  /** A streaming client request in the pair's client dialect. */
  request: Record<string, unknown>;
  /** A full upstream stream in the pair's target dialect. */
  upstreamStream: string;
  /** Where to cut that stream to simulate a dropped connection (before its final events). */
  cutMarker: string;
  /** An upstream error body and the status to send it with. */
  upstreamError: { status: number; body: unknown };
  /** Checks the client-dialect error body. */
  isClientError(body: any): boolean;
}

export function runTranslatorContract(o: ContractOptions): void {
  const make = () => {
    const tr = o.pair.create();
    tr.request(o.request);
    return tr;
  };
  it(`contract: targets ${o.route}`, () => {
    assert.equal(o.pair.create().request(o.request).route, o.route);
  });
  it('contract: stream output is identical whole and split at random boundaries', () => {
    // Every-byte splitting of the same fixture is done by each pair's own stream test.
    const events = assertSplitInvariant(make, o.upstreamStream, { everyByte: false, rounds: 30, seed: 7 });
    assert.ok(events.length > 3);
  });
  it('contract: closing events are emitted once; nothing after streamEnd', () => {
    const tr = make();
    const first = runStream(tr, o.upstreamStream);
    assert.deepEqual(tr.streamEnd(), []);
    assert.ok(first.length > 0);
  });
  it('contract: a cut upstream stream ends in an error event, not a finished answer', () => {
    const at = o.upstreamStream.indexOf(o.cutMarker);
    assert.ok(at > 0, 'cut marker present');
    const events = runStream(make(), o.upstreamStream.slice(0, at));
    const last = events.at(-1)!;
    assert.match(last.data, /error|failed/);
    assert.ok(!events.some((e) => e.data === '[DONE]'));
  });
  it('contract: upstream errors keep their status and take the client envelope', () => {
    const r = o.pair.create().error(o.upstreamError.status, o.upstreamError.body);
    assert.equal(r.status, o.upstreamError.status);
    assert.ok(o.isClientError(r.body), JSON.stringify(r.body));
    const text = o.pair.create().error(503, 'Service Unavailable');
    assert.equal(text.status, 503);
    assert.ok(o.isClientError(text.body));
  });
}

export const isOpenAIError = (b: any) => typeof b?.error?.message === 'string' && typeof b.error.type === 'string';
export const isAnthropicError = (b: any) => b?.type === 'error' && typeof b.error?.type === 'string' && typeof b.error.message === 'string';
