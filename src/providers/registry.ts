/**
 * Provider kinds by name, and `resolveTargets`: turns `providers.targets[]` into ResolvedTargets,
 * reading secrets from the environment once per load. A missing env var makes the target unavailable
 * with a warning (never an error: the rest of the config still serves).
 */
import { endpointDialects } from '../config/sections/providers.js'; // (marked edit: translate) targets[].endpoints
import type { DialectName } from '../dialects/types.js';
import type { ProvidersConfig, TargetConfig } from '../gateway/config-types.js';
import type { ProviderKind, ResolvedTarget } from './types.js';
import { anthropicProvider } from './anthropic.js';
import { azureOpenaiProvider } from './azure-openai.js';
import { splitBaseUrl } from './base-url.js';
import { demoProvider } from './demo-target.js';
import { openaiProvider } from './openai.js';
import { googleProvider, groqProvider, ollamaProvider, openaiCompatibleProvider } from './openai-compatible.js';

const KINDS = new Map<string, ProviderKind>(
  [openaiProvider, anthropicProvider, azureOpenaiProvider, openaiCompatibleProvider, ollamaProvider, groqProvider, googleProvider, demoProvider].map(
    (k) => [k.name, k],
  ),
);

export function providerKind(name: string): ProviderKind | undefined {
  return KINDS.get(name);
}

export interface ResolvedTargets {
  targets: ResolvedTarget[];
  /** Targets that cannot serve (missing key, unknown provider, no base_url), with why. */
  unavailable: { id: string; reason: string }[];
  warnings: string[];
}

const DEFAULT_TIMEOUT_S = 600;

export function resolveTargets(providers: ProvidersConfig | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedTargets {
  const out: ResolvedTargets = { targets: [], unavailable: [], warnings: [] };
  for (const cfg of providers?.targets ?? []) {
    const r = resolveTarget(cfg, env);
    if (typeof r === 'string') {
      out.unavailable.push({ id: cfg.id, reason: r });
      out.warnings.push(`target ${cfg.id} is unavailable: ${r}`);
    } else out.targets.push(r);
  }
  return out;
}

function resolveTarget(cfg: TargetConfig, env: NodeJS.ProcessEnv): ResolvedTarget | string {
  const kind = KINDS.get(cfg.provider);
  if (!kind) return `provider "${cfg.provider}" is not supported (supported: ${[...KINDS.keys()].join(', ')})`;
  const base = cfg.base_url ?? kind.defaultBaseUrl;
  let origin = '';
  let basePath = '';
  if (base) {
    try {
      ({ origin, basePath } = splitBaseUrl(base));
    } catch {
      return `base_url "${base}" is not a valid URL`;
    }
  } else if (kind.name !== 'demo') return `provider "${cfg.provider}" needs a base_url`;

  const refEnv = cfg.secret_key_ref?.env;
  let key: string | undefined;
  let missing = false;
  let fromDefault = false;
  let envName: string | undefined;
  if (refEnv) {
    envName = refEnv;
    key = env[refEnv] || undefined;
    missing = key === undefined;
    if (missing) return `secret_key_ref.env ${refEnv} is not set`;
  } else if (kind.defaultKeyEnv && env[kind.defaultKeyEnv]) {
    envName = kind.defaultKeyEnv;
    key = env[kind.defaultKeyEnv];
    fromDefault = true;
  }
  const format = cfg.format ?? kind.defaultFormat;
  const streamTimeoutS = cfg.stream_timeout_seconds ?? cfg.timeout_seconds ?? DEFAULT_TIMEOUT_S;
  return {
    id: cfg.id,
    provider: cfg.provider,
    kind,
    format,
    model: cfg.model,
    models: cfg.models,
    weight: cfg.weight ?? 1,
    origin,
    basePath,
    accepts: new Set<DialectName>(endpointDialects({ ...cfg, format }) ?? kind.accepts(format)), // (marked edit: translate) targets[].endpoints
    auth: {
      header: (cfg.api_key_header ?? kind.authHeader).toLowerCase(),
      prefix: cfg.api_key_prefix ?? (cfg.api_key_header ? '' : kind.authPrefix),
      key,
      env: envName,
      missing,
      fromDefault,
    },
    streamTimeoutMs: Math.max(1, Math.round(streamTimeoutS * 1000)),
    timeoutMs: Math.max(1, Math.round((cfg.timeout_seconds ?? DEFAULT_TIMEOUT_S) * 1000)),
    maxRetries: cfg.max_retries,
    streamUsage: cfg.stream_usage ?? kind.streamUsage ?? false,
    config: cfg,
  };
}
