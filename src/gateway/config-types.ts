/**
 * The view of the loaded configuration the gateway core reads. Structural on purpose: the config module
 * (src/config) owns the schema and the loader; this file names only the members the request path uses,
 * so the core compiles against any LoadedConfig that has them.
 */

export interface TargetConfig {
  id: string;
  provider: string;
  model?: string;
  /** Client model names (or globs like `claude-*`) this target serves. */
  models?: string[];
  base_url?: string;
  secret_key_ref?: { env?: string; store?: string };
  format?: 'openai' | 'anthropic';
  /** Endpoints the target serves (`chat`, `responses` …); unset: the provider's default. (marked edit: translate) */
  endpoints?: readonly string[];
  stream_timeout_seconds?: number;
  /** Ask for `stream_options.include_usage` on chat/completions streams (default per provider kind). (marked edit: gateway core) */
  stream_usage?: boolean;
  timeout_seconds?: number;
  max_retries?: number;
  api_key_header?: string;
  api_key_prefix?: string;
  weight?: number;
  api_version?: string;
  deployment?: string;
  /** Extra headers sent upstream. */
  headers?: Record<string, string>;
}

export interface ProvidersConfig {
  strategy?: 'single' | 'fallback' | 'loadbalance';
  targets?: TargetConfig[];
  /** `attempts`: retries after the first try, per target, before the first byte reached the client. */
  retry?: { attempts?: number; backoff_ms?: number; max_backoff_ms?: number; max_retry_after_seconds?: number };
  circuit_breaker?: { failure_threshold?: number; cooldown_seconds?: number };
}

export interface GatewaySectionView {
  listen?: string;
  max_body_bytes?: number;
  fail_mode?: 'block' | 'allow';
  log_level?: string;
  data_dir?: string;
  auth?: { mode?: 'none' | 'keys' | 'passthrough' };
}

export interface KtConfigView {
  pack?: { name?: string; version?: string; enabled?: boolean };
  policies?: { chain?: string[] };
  providers?: ProvidersConfig;
  gateway?: GatewaySectionView;
}

export interface LoadedConfigView {
  config: KtConfigView;
  version: string;
  files: string[];
  warnings: string[];
}
