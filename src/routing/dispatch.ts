/**
 * Sends one request to its planned targets until one answers: connect errors, timeouts, 429 and 5xx
 * move on (next target first, then retries with backoff or the provider's Retry-After). Nothing has
 * reached the client while this runs: a streamed answer is committed only once its first body chunk
 * arrived, so a reset before that still fails over, and after it never does.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';
import type { UpstreamPools } from '../providers/upstream-pool.js';
import type { ResolvedTarget } from '../providers/types.js';
import type { Cancel } from './cancel.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import { backoffMs, retryAfterMs, sleep, type RetryPolicy } from './retry.js';

export interface UpstreamCall {
  origin: string;
  method: 'POST' | 'GET' | 'PUT' | 'PATCH';
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
  /** Streamed answer expected: commit on the first chunk instead of buffering the whole body. */
  stream: boolean;
}

export type Headers = Record<string, string | string[] | undefined>;

export interface UpstreamAnswer<P> {
  target: ResolvedTarget;
  prepared: P;
  statusCode: number;
  headers: Headers;
  /** Whole body (non-streamed answers and every error status). */
  body?: Buffer;
  /** Streamed 2xx answer: first chunk already read, the rest to come from `rest`. */
  first?: Buffer;
  rest?: AsyncIterator<Buffer>;
  /** Abort the rest of a streamed body (client went away). */
  abort?: () => void;
  attempts: number;
}

export interface DispatchOptions<P> {
  plan: ResolvedTarget[];
  /** Builds the upstream call for a target (body translated or not), or refuses the target. */
  prepare(target: ResolvedTarget): Promise<{ call: UpstreamCall; prepared: P } | GatewayError>;
  pools: UpstreamPools;
  breakers: CircuitBreakers;
  retry: RetryPolicy;
  /** Aborted when the client goes away; also passed to undici, so it ends an attempt in flight. */
  signal: Cancel;
  onAttempt?(target: ResolvedTarget, attempt: number): void;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504, 529]);

type Failure = { kind: 'error'; error: GatewayError } | { kind: 'response'; answer: UpstreamAnswer<unknown> };

export async function dispatch<P>(o: DispatchOptions<P>): Promise<UpstreamAnswer<P> | GatewayError> {
  let attempts = 0;
  let last: Failure | undefined;
  const skip = new Set<string>(); // targets whose Retry-After exceeded the cap
  const maxRounds = 1 + Math.max(0, ...o.plan.map((t) => t.maxRetries ?? o.retry.maxRetries));
  // When each target may be asked again (performance.now()), from its own Retry-After: a hint belongs to
  // the target that sent it, so trying another target in between neither drops nor borrows it.
  const notBefore = new Map<string, number>();
  for (let round = 0; round < maxRounds; round++) {
    for (const target of o.plan) {
      if (o.signal.aborted) return clientGone();
      if (round > (target.maxRetries ?? o.retry.maxRetries) || skip.has(target.id)) continue;
      if (!o.breakers.allow(breakerKey(target))) {
        last ??= { kind: 'error', error: new GatewayError('KT_ERR_UPSTREAM_UNREACHABLE', `Target ${target.id} is failing repeatedly (circuit open); try again shortly.`) };
        continue;
      }
      if (attempts > 0 && round > 0) {
        const until = notBefore.get(target.id);
        await sleep(until !== undefined ? until - performance.now() : backoffMs(o.retry, round - 1), o.signal);
        notBefore.delete(target.id);
        if (o.signal.aborted) return clientGone();
      }
      attempts++;
      o.onAttempt?.(target, attempts);
      const prep = await o.prepare(target);
      if (prep instanceof GatewayError) {
        o.breakers.success(breakerKey(target)); // releases a half-open trial; the target is not at fault
        last = { kind: 'error', error: prep };
        continue;
      }
      const out = await attempt(o, target, prep.call, prep.prepared, attempts);
      if (!('kind' in out)) {
        o.breakers.success(breakerKey(target));
        return out;
      }
      last = out;
      if (out.kind === 'error') {
        o.breakers.failure(breakerKey(target));
        if (o.signal.aborted) return clientGone();
        continue;
      }
      const status = out.answer.statusCode;
      if (status === 429) o.breakers.success(breakerKey(target));
      else o.breakers.failure(breakerKey(target));
      const wait = retryAfterMs(out.answer.headers);
      if (wait !== undefined) {
        if (wait > o.retry.maxRetryAfterMs) skip.add(target.id);
        else notBefore.set(target.id, performance.now() + wait);
      }
    }
  }
  if (!last) return new GatewayError('KT_ERR_NO_TARGET', 'No provider target is available for this request.');
  if (last.kind === 'error') return last.error;
  return last.answer as UpstreamAnswer<P>;
}

function breakerKey(t: ResolvedTarget): string {
  return `${t.id}|${t.origin}${t.basePath}`;
}

function clientGone(): GatewayError {
  return new GatewayError('KT_ERR_UPSTREAM_UNREACHABLE', 'The client closed the connection.');
}

/** One try: either a usable answer, or a failure that may be retried elsewhere. */
async function attempt<P>(o: DispatchOptions<P>, target: ResolvedTarget, call: UpstreamCall, prepared: P, attempts: number): Promise<UpstreamAnswer<P> | Failure> {
  let res: Dispatcher.ResponseData;
  try {
    res = await o.pools.get(call.origin).request({
      method: call.method,
      path: call.path,
      headers: call.headers,
      body: call.body,
      signal: o.signal,
      headersTimeout: call.stream ? target.streamTimeoutMs : target.timeoutMs,
      bodyTimeout: target.streamTimeoutMs,
    });
  } catch (err) {
    return { kind: 'error', error: upstreamError(err, target, call.stream ? target.streamTimeoutMs : target.timeoutMs) };
  }
  const { statusCode, headers, body } = res;
  const ct = headers['content-type'];
  const type = Array.isArray(ct) ? ct[0] : ct;
  try {
    if (statusCode >= 200 && statusCode < 300 && call.stream && typeof type === 'string' && type.startsWith('text/event-stream')) {
      const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await it.next();
      // The body stays tied to the client's signal until the relay finishes; destroying it ends the request.
      return {
        target,
        prepared,
        statusCode,
        headers: headers as Headers,
        attempts,
        first: first.done ? Buffer.alloc(0) : first.value,
        rest: first.done ? emptyIterator() : it,
        abort: () => body.destroy(),
      };
    }
    const answer: UpstreamAnswer<P> = { target, prepared, statusCode, headers: headers as Headers, attempts, body: Buffer.from(await body.arrayBuffer()) };
    if (RETRYABLE_STATUS.has(statusCode)) return { kind: 'response', answer };
    return answer;
  } catch (err) {
    body.destroy();
    return { kind: 'error', error: upstreamError(err, target, target.streamTimeoutMs) };
  }
}

function emptyIterator(): AsyncIterator<Buffer> {
  return { next: async () => ({ done: true, value: undefined }) };
}

/** Maps an undici/socket failure to a gateway error that says what happened and what to do. */
export function upstreamError(err: unknown, target: { id: string }, timeoutMs: number): GatewayError {
  const code = (err as { code?: string })?.code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError(
      'KT_ERR_UPSTREAM_TIMEOUT',
      `Provider target ${target.id} did not answer in time (${code === 'UND_ERR_BODY_TIMEOUT' ? 'no data for' : 'no response within'} ${Math.round(timeoutMs / 100) / 10}s). Raise stream_timeout_seconds / timeout_seconds on the target if the model is slow.`,
    );
  }
  const why = code || (err as Error)?.message || 'connection failed';
  return new GatewayError(
    'KT_ERR_UPSTREAM_UNREACHABLE',
    `Provider target ${target.id} could not be reached (${why}). Check its base_url and your network, then retry.`,
  );
}
