/** What the evidence side reads from a loaded config: store, auth mode, keys, rbac, budgets, limits, prices, retention. */
import { join } from 'node:path';
import type { RbacConfig } from '../identity/rbac.js';
import type { AuthMode } from '../identity/identify.js';
import type { BudgetRule } from '../cost/budgets.js';
import type { RateLimitRule } from '../cost/rate-limit.js';
import type { Price } from '../cost/pricing.js';
import { resolveDataDir, type StoreOptions } from './open-store.js';

export type EventDetail = 'summary' | 'findings';

export interface EvidenceSettings {
  dataDir: string;
  store: StoreOptions;
  authMode: AuthMode;
  keysSecret?: string;
  rbac?: RbacConfig & { role_header?: string };
  budgets: BudgetRule[];
  rateLimits: RateLimitRule[];
  prices: Record<string, Price>;
  /** `pricing.fallback`: the price of models nobody knows. */
  fallbackPrice?: Price;
  /** Days to keep events; undefined keeps them forever. Only when audit-logger is in the chain. */
  retentionDays?: number;
  /** `summary`: per-policy finding counts only; `findings` (default): each finding's rule, type and path. */
  eventDetail: EventDetail;
  /** Per-scope event detail (`scopes[].logging.detail`), overriding eventDetail for that scope's requests. */
  scopeDetail: Record<string, EventDetail>;
}

interface ScopeShape {
  name: string;
  logging?: { detail?: EventDetail };
  budget?: { period: BudgetRule['period']; limit_usd: number; mode?: BudgetRule['mode']; per?: 'key' | 'user' | 'team' | 'project' };
}

interface ConfigShape {
  gateway?: { data_dir?: string; auth?: { mode?: AuthMode } };
  store?: { url?: string; url_env?: string; path?: string; schema?: string; chain_key_file?: string; chain_key_env?: string };
  keys?: { hash_secret_env?: string };
  budgets?: BudgetRule[];
  rate_limits?: RateLimitRule[];
  pricing?: { models?: Record<string, Price>; fallback?: Price };
  policies?: { chain?: string[] };
  policy?: Record<string, unknown>;
  scopes?: ScopeShape[];
}

/** A scope's own `budget` block as a budget rule counted only for that scope's requests. */
function scopeBudget(s: ScopeShape): BudgetRule | undefined {
  const b = s.budget;
  if (!b) return undefined;
  const base = { name: `scope ${s.name}`, period: b.period, limit_usd: b.limit_usd, mode: b.mode ?? 'enforce' } as const;
  return b.per ? { ...base, scope: b.per, within_scope: s.name } : { ...base, scope: 'scope', match: s.name };
}

export function evidenceSettings(config: unknown, env: NodeJS.ProcessEnv = process.env): EvidenceSettings {
  const c = (config ?? {}) as ConfigShape;
  const dataDir = resolveDataDir(c.gateway?.data_dir);
  const url = c.store?.url ?? (c.store?.url_env ? env[c.store.url_env] : undefined);
  const chain = c.policies?.chain ?? [];
  const rbacCfg = c.policy?.rbac as (RbacConfig & { enabled?: boolean }) | undefined;
  const rbacOn = chain.includes('rbac') && rbacCfg?.enabled !== false;
  const audit = c.policy?.['audit-logger'] as { retention_days?: number; enabled?: boolean; detail?: EventDetail } | undefined;
  // Like every policy kind, audit-logger's settings apply only when it is in the chain (lint W002 says so).
  const auditOn = chain.includes('audit-logger') && audit?.enabled !== false;
  const scopeDetail: Record<string, EventDetail> = {};
  for (const s of c.scopes ?? []) if (s.logging?.detail && !(s.name in scopeDetail)) scopeDetail[s.name] = s.logging.detail;
  const chainKeyEnv = c.store?.chain_key_env ?? 'KT_CHAIN_KEY';
  return {
    dataDir,
    store: {
      url,
      path: c.store?.path ? c.store.path : join(dataDir, 'events.db'),
      schema: c.store?.schema,
      chainKey: env[chainKeyEnv] || undefined,
      chainKeyFile: c.store?.chain_key_file,
    },
    authMode: c.gateway?.auth?.mode ?? 'none',
    keysSecret: c.keys?.hash_secret_env ? env[c.keys.hash_secret_env] : undefined,
    rbac: rbacOn ? (rbacCfg ?? {}) : undefined,
    budgets: [
      ...(c.budgets ?? []).map((b) => ({ ...b, mode: b.mode ?? 'enforce' })),
      ...(c.scopes ?? []).map(scopeBudget).filter((b): b is BudgetRule => !!b),
    ],
    rateLimits: c.rate_limits ?? [],
    prices: c.pricing?.models ?? {},
    fallbackPrice: c.pricing?.fallback,
    retentionDays: auditOn ? (audit?.retention_days ?? 90) : undefined, // 90: the schema's default
    eventDetail: (auditOn ? audit?.detail : undefined) ?? 'findings',
    scopeDetail,
  };
}
