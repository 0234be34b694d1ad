/**
 * The policy engine per scope: one set of policy hooks for the base chain and one per scope (its own
 * chain, or the base chain with the scope's `policy` blocks laid over the base ones). Each request runs
 * the set of the scope identify resolved; flag mode is carried on `ex.scope.mode` and read by the
 * engine, so a flag-mode scope records what it would have done and changes nothing.
 */
import type { Exchange } from '../gateway/exchange.js';
import { createPolicyHooks, type PolicyHooks, type PolicyHooksOptions } from '../policy/hooks.js';
import type { PolicyConfigView } from '../policy/registry.js';
import type { ScopeConfig } from './resolve.js';

export interface ScopedConfigView extends PolicyConfigView {
  scopes?: readonly ScopeConfig[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The policy config a scope runs: its chain (or the base one) and its blocks over the base blocks. */
export function scopeConfig(base: PolicyConfigView, scope: ScopeConfig): PolicyConfigView {
  const policy: Record<string, unknown> = { ...(base.policy ?? {}) };
  for (const [kind, block] of Object.entries(scope.policy ?? {})) {
    const under = policy[kind];
    // One level deep: a scope that sets `action` keeps the base block's rules and redaction settings.
    policy[kind] = isObj(under) && isObj(block) ? { ...under, ...block } : block;
  }
  return { ...base, policies: { ...(base.policies ?? {}), chain: scope.chain ?? base.policies?.chain }, policy };
}

export function createScopedPolicyHooks(config: ScopedConfigView, opts: PolicyHooksOptions = {}): PolicyHooks & { warnings: string[] } {
  const base = createPolicyHooks(config, opts);
  const byScope = new Map<string, PolicyHooks>();
  const warnings = [...base.warnings];
  for (const s of config.scopes ?? []) {
    if (byScope.has(s.name)) continue; // first definition wins, like matching
    const h = createPolicyHooks(scopeConfig(config, s), opts);
    warnings.push(...h.warnings.map((w) => `scope ${s.name}: ${w}`));
    byScope.set(s.name, h);
  }
  const pick = (ex: Exchange): PolicyHooks => (ex.scope && byScope.get(ex.scope.name)) || base;
  return {
    warnings,
    inspectRequest: (ex) => pick(ex).inspectRequest(ex),
    inspectResponse: (ex, body) => pick(ex).inspectResponse(ex, body),
    streamGuard: (ex) => pick(ex).streamGuard(ex),
  };
}
