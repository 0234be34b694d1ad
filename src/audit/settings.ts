/** What the evidence side reads from a loaded config: store, auth mode, keys, rbac, budgets, limits, prices, retention. */
import { join } from 'node:path';
import type { RbacConfig } from '../identity/rbac.js';
import type { AuthMode } from '../identity/identify.js';
import type { BudgetRule } from '../cost/budgets.js';
import type { RateLimitRule } from '../cost/rate-limit.js';
import type { Price } from '../cost/pricing.js';
import { resolveDataDir, type StoreOptions } from './open-store.js';

export interface EvidenceSettings {
  dataDir: string;
  store: StoreOptions;
  authMode: AuthMode;
  keysSecret?: string;
  rbac?: RbacConfig & { role_header?: string };
  budgets: BudgetRule[];
  rateLimits: RateLimitRule[];
  prices: Record<string, Price>;
  /** Days to keep events; undefined keeps them forever. */
  retentionDays?: number;
  /** `summary`: per-policy finding counts only; `findings` (default): each finding's rule, type and path. */
  eventDetail: 'summary' | 'findings';
}

interface ConfigShape {
  gateway?: { data_dir?: string; auth?: { mode?: AuthMode } };
  store?: { url?: string; url_env?: string; path?: string; schema?: string };
  keys?: { hash_secret_env?: string };
  budgets?: BudgetRule[];
  rate_limits?: RateLimitRule[];
  pricing?: { models?: Record<string, Price> };
  policies?: { chain?: string[] };
  policy?: Record<string, unknown>;
}

export function evidenceSettings(config: unknown, env: NodeJS.ProcessEnv = process.env): EvidenceSettings {
  const c = (config ?? {}) as ConfigShape;
  const dataDir = resolveDataDir(c.gateway?.data_dir);
  const url = c.store?.url ?? (c.store?.url_env ? env[c.store.url_env] : undefined);
  const chain = c.policies?.chain ?? [];
  const rbacCfg = c.policy?.rbac as (RbacConfig & { enabled?: boolean }) | undefined;
  const rbacOn = chain.includes('rbac') && rbacCfg?.enabled !== false;
  const audit = c.policy?.['audit-logger'] as { retention_days?: number; enabled?: boolean; detail?: 'summary' | 'findings' } | undefined;
  return {
    dataDir,
    store: { url, path: c.store?.path ? c.store.path : join(dataDir, 'events.db'), schema: c.store?.schema },
    authMode: c.gateway?.auth?.mode ?? 'none',
    keysSecret: c.keys?.hash_secret_env ? env[c.keys.hash_secret_env] : undefined,
    rbac: rbacOn ? (rbacCfg ?? {}) : undefined,
    budgets: (c.budgets ?? []).map((b) => ({ ...b, mode: b.mode ?? 'enforce' })),
    rateLimits: c.rate_limits ?? [],
    prices: c.pricing?.models ?? {},
    retentionDays: audit && audit.enabled !== false ? audit.retention_days : undefined,
    eventDetail: audit?.detail ?? 'findings',
  };
}
