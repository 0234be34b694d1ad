/**
 * Retry timing: exponential backoff with jitter, or what the provider asked for (`retry-after-ms`,
 * `Retry-After` in seconds or as an HTTP date). A wait longer than the cap means "don't retry here".
 */
import type { Cancel } from './cancel.js';

export interface RetryPolicy {
  /** Extra attempts on the same target after the first. */
  maxRetries: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Longest Retry-After the gateway waits out itself; longer ones are relayed to the client. */
  maxRetryAfterMs: number;
}

/** Defaults documented in docs/CONFIG.md (providers.retry). */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, initialBackoffMs: 200, maxBackoffMs: 5000, maxRetryAfterMs: 30_000 };

export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Milliseconds the provider asked to wait, or undefined when it said nothing usable. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const ra = first(headers['retry-after']);
  if (ra === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.round(Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: Cancel): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeListener('abort', done);
      resolve();
    }
    signal?.once('abort', done);
  });
}
