/**
 * Which targets serve a request, in the order they are tried.
 *
 * Matching (documented in docs/CONFIG.md): a lone target serves every model name. With several, a
 * target serves a model when one of its `models` (exact or `*` glob) matches, else when its `model`
 * equals the requested name; when none match, targets without a `models` list serve it (first one
 * first), so a catch-all target can sit beside specific ones.
 *
 * Order: `single` — the first match only; `fallback` — matches in config order; `loadbalance` — one
 * match drawn by `weight`, then the rest by descending weight as fallbacks.
 */
import type { DialectName } from '../dialects/types.js';
import type { ResolvedTarget } from '../providers/types.js';

export type Strategy = 'single' | 'fallback' | 'loadbalance';

const globCache = new Map<string, RegExp>();
function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
    globCache.set(pattern, re);
  }
  return re.test(name);
}
const escapeRe = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

export function matchTargets(targets: readonly ResolvedTarget[], model: string | undefined): ResolvedTarget[] {
  if (targets.length <= 1) return [...targets];
  if (model !== undefined) {
    const listed = targets.filter((t) => t.models?.some((p) => globMatch(p, model)));
    if (listed.length) return listed;
    const exact = targets.filter((t) => t.model === model);
    if (exact.length) return exact;
  }
  return targets.filter((t) => !t.models?.length);
}

export function orderTargets(matched: ResolvedTarget[], strategy: Strategy, random: () => number = Math.random): ResolvedTarget[] {
  if (matched.length <= 1) return matched;
  if (strategy === 'single') return matched.slice(0, 1);
  if (strategy === 'fallback') return matched;
  const total = matched.reduce((s, t) => s + Math.max(0, t.weight), 0);
  let pick = 0;
  if (total > 0) {
    let r = random() * total;
    for (; pick < matched.length - 1; pick++) {
      r -= Math.max(0, matched[pick].weight);
      if (r < 0) break;
    }
  }
  const rest = matched.filter((_, i) => i !== pick).sort((a, b) => b.weight - a.weight);
  return [matched[pick], ...rest];
}

/** Ordered targets for one request; `accepts` filters nothing here (translation decides later). */
export function planTargets(targets: readonly ResolvedTarget[], model: string | undefined, strategy: Strategy, random: () => number = Math.random): ResolvedTarget[] {
  return orderTargets(matchTargets(targets, model), strategy, random);
}

export type { DialectName };
