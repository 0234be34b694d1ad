/**
 * A provider kind knows its defaults (origin, key env var, auth header, wire format), which client
 * dialects it accepts natively, and how a dialect maps to an upstream path. A ResolvedTarget is one
 * configured target with all of that settled at load time, so the request path only reads fields.
 */
import type { Dialect } from '../dialects/dialect.js';
import type { DialectName, TargetFormat } from '../dialects/types.js';
import type { TargetConfig } from '../gateway/config-types.js';

export interface ProviderKind {
  name: string;
  defaultFormat: TargetFormat;
  /** Origin (and optional path prefix) used when the target has no `base_url`. */
  defaultBaseUrl?: string;
  /** Env var read when the target has no `secret_key_ref` and the client brought no key. */
  defaultKeyEnv?: string;
  authHeader: string;
  authPrefix: string;
  /** Dialects the provider serves natively for a wire format. */
  accepts(format: TargetFormat): readonly DialectName[];
  /** Upstream path (with query, if any) for a dialect, given the base path from `base_url`. */
  path(target: ResolvedTarget, d: Dialect, clientQuery: string): string;
  /** Headers this provider needs that a client of another dialect would not send. */
  defaultHeaders?(d: Dialect): Record<string, string>;
  /** Takes `stream_options.include_usage` on chat/completions streams (default for `stream_usage`). */
  streamUsage?: boolean;
}

export interface ResolvedTarget {
  id: string;
  provider: string;
  kind: ProviderKind;
  format: TargetFormat;
  /** Model asked upstream; undefined keeps the client's. */
  model?: string;
  /** Client model names or globs this target serves (undefined: decided by the routing rule). */
  models?: string[];
  weight: number;
  /** `http(s)://host:port`; for `demo`, filled when the in-process demo server first starts. */
  origin: string;
  /** Path prefix from `base_url` without a trailing `/v1` (usually ''). */
  basePath: string;
  accepts: ReadonlySet<DialectName>;
  auth: {
    header: string;
    prefix: string;
    /** Resolved secret (from `secret_key_ref.env` or the provider's default env var). Never logged. */
    key?: string;
    /** Name of the env var the key came from, for logs and /health. */
    env?: string;
    /** True when `secret_key_ref.env` names a variable that is not set: the target is unavailable. */
    missing: boolean;
    /** True when the key came from the provider's default env var rather than `secret_key_ref`. */
    fromDefault: boolean;
  };
  /** Idle time between response chunks (and to response headers for streams), ms. */
  streamTimeoutMs: number;
  /** Time to response headers for non-streaming requests, ms. */
  timeoutMs: number;
  maxRetries?: number;
  /** Ask for usage on chat/completions streams the client did not ask it for (`stream_usage`). */
  streamUsage: boolean;
  config: TargetConfig;
}
