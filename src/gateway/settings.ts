/** The gateway's own settings (`gateway:` section) with their defaults, read once per loaded config. */
import { DEFAULT_BREAKER, type BreakerOptions } from '../routing/circuit-breaker.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../routing/retry.js';
import type { Strategy } from '../routing/select.js';
import type { KtConfigView } from './config-types.js';

export const DEFAULT_LISTEN = '127.0.0.1:41002';
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface GatewaySettings {
  listen: string;
  maxBodyBytes: number;
  failMode: 'block' | 'allow';
  logLevel: string;
  /** True when clients must authenticate (access keys), which allows a non-loopback listen. */
  clientAuth: boolean;
  strategy: Strategy;
  retry: RetryPolicy;
  breaker: BreakerOptions;
}

export function readSettings(config: KtConfigView): GatewaySettings {
  const g = config.gateway ?? {};
  const r = config.providers?.retry ?? {};
  const cb = config.providers?.circuit_breaker ?? {};
  return {
    listen: g.listen ?? DEFAULT_LISTEN,
    maxBodyBytes: g.max_body_bytes ?? DEFAULT_MAX_BODY_BYTES,
    failMode: g.fail_mode ?? 'block',
    logLevel: g.log_level ?? 'info',
    clientAuth: g.auth?.mode === 'keys',
    strategy: config.providers?.strategy ?? 'single',
    retry: {
      maxRetries: r.attempts ?? DEFAULT_RETRY.maxRetries,
      initialBackoffMs: r.backoff_ms ?? DEFAULT_RETRY.initialBackoffMs,
      maxBackoffMs: r.max_backoff_ms ?? DEFAULT_RETRY.maxBackoffMs,
      maxRetryAfterMs: r.max_retry_after_seconds !== undefined ? r.max_retry_after_seconds * 1000 : DEFAULT_RETRY.maxRetryAfterMs,
    },
    breaker: {
      failureThreshold: cb.failure_threshold ?? DEFAULT_BREAKER.failureThreshold,
      cooldownMs: cb.cooldown_seconds !== undefined ? cb.cooldown_seconds * 1000 : DEFAULT_BREAKER.cooldownMs,
    },
  };
}
