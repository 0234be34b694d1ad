/**
 * Which scope (class of traffic) a request belongs to. Scopes are tried in config order and the first
 * one whose every condition holds applies; the reason names the conditions that matched, so an event
 * says why a request got the stricter bundle. Runs in identify, after the principal is known. A request
 * that arrived under a scope's route prefix can only match the scopes naming that prefix.
 */
import { GatewayError } from '../errors.js';
import type { Exchange } from '../gateway/exchange.js';

export type ScopeMode = 'flag' | 'enforce';

export interface ScopeMatch {
  key_tags?: readonly string[];
  keys?: readonly string[];
  clients?: readonly string[];
  header?: { name: string; value?: string };
  route_prefix?: string;
}

export interface ScopeConfig {
  name: string;
  match: ScopeMatch;
  chain?: readonly string[];
  policy?: Record<string, unknown>;
  mode?: ScopeMode;
}

export interface ResolvedScope {
  name: string;
  reason: string;
  mode: ScopeMode;
}

/** The facts a scope is matched on (a subset of the Exchange, so tests and replay can build one). */
export type ScopeSubject = Pick<Exchange, 'principal' | 'client' | 'headers'> & { routePrefix?: string };

function headerValue(headers: Exchange['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Why `scope` matches `sub`, or undefined when one of its conditions does not hold. */
export function matchScope(scope: ScopeConfig, sub: ScopeSubject): string | undefined {
  const m = scope.match;
  const why: string[] = [];
  if (m.keys?.length) {
    const p = sub.principal;
    const hit = m.keys.find((k) => k === p.keyName || k === p.keyId);
    if (!hit) return undefined;
    why.push(`key=${hit}`);
  }
  if (m.key_tags?.length) {
    const tags = sub.principal.keyTags ?? [];
    const hit = m.key_tags.find((t) => tags.includes(t));
    if (!hit) return undefined;
    why.push(`key_tag=${hit}`);
  }
  if (m.clients?.length) {
    if (!m.clients.includes(sub.client)) return undefined;
    why.push(`client=${sub.client}`);
  }
  if (m.header) {
    const v = headerValue(sub.headers, m.header.name);
    if (v === undefined || (m.header.value !== undefined && v.trim() !== m.header.value)) return undefined;
    why.push(`header=${m.header.name.toLowerCase()}`);
  }
  if (m.route_prefix) {
    if (sub.routePrefix !== normalisePrefix(m.route_prefix)) return undefined;
    why.push(`route_prefix=${sub.routePrefix}`);
  } else if (sub.routePrefix) {
    // A request under a prefix is addressed to the scopes that name it; it never falls into another one.
    return undefined;
  }
  // A scope with no condition matches everything: say so rather than leave the reason empty.
  return why.length ? why.join(',') : 'default';
}

/** The first scope that matches, with its reason and mode (enforce unless the scope says flag). */
export function resolveScope(scopes: readonly ScopeConfig[] | undefined, sub: ScopeSubject): ResolvedScope | undefined {
  for (const s of scopes ?? []) {
    const reason = matchScope(s, sub);
    if (reason) return { name: s.name, reason, mode: s.mode ?? 'enforce' };
  }
  return undefined;
}

/** What a scope requires, in words (for the error a prefixed request gets when it matches none). */
export function describeMatch(m: ScopeMatch): string {
  const parts: string[] = [];
  if (m.keys?.length) parts.push(`key ${m.keys.join(' or ')}`);
  if (m.key_tags?.length) parts.push(`key tag ${m.key_tags.join(' or ')}`);
  if (m.clients?.length) parts.push(`client ${m.clients.join(' or ')}`);
  if (m.header) parts.push(`header ${m.header.name}${m.header.value !== undefined ? `: ${m.header.value}` : ''}`);
  return parts.join(' and ') || 'nothing else';
}

/**
 * A route prefix belongs to the scopes that name it. A request that arrived under one but matches none
 * of them is refused (404 naming the prefix) rather than served on the general path, where it would
 * quietly miss the stricter bundle its base URL asked for.
 */
export function unmatchedPrefixError(scopes: readonly ScopeConfig[], prefix: string): GatewayError {
  const owners = scopes.filter((s) => s.match.route_prefix && normalisePrefix(s.match.route_prefix) === prefix);
  const needs = owners.map((s) => `scope ${s.name} needs ${describeMatch(s.match)}`).join('; ');
  return new GatewayError(
    'KT_ERR_NOT_FOUND',
    `kt: requests under ${prefix} are for ${owners.length === 1 ? 'a scope' : 'scopes'} this request does not match (${needs}). Use the access key or settings issued for that integration, or drop ${prefix} from the base URL to use the general path.`,
  );
}

/** The scope identify records, or the refusal for a prefixed request that fits none of its scopes. */
export function scopeFor(scopes: readonly ScopeConfig[] | undefined, sub: ScopeSubject): ResolvedScope | GatewayError | undefined {
  const s = resolveScope(scopes, sub);
  if (!s && sub.routePrefix && scopes?.length) return unmatchedPrefixError(scopes, sub.routePrefix);
  return s;
}

export function normalisePrefix(prefix: string): string {
  const p = prefix.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

/**
 * Splits a configured route prefix off a request path: `/assistants/v1/messages` with the prefix
 * `/assistants` routes as `/v1/messages`. Only whole path segments match; the longest prefix wins.
 */
export function stripRoutePrefix(path: string, scopes: readonly ScopeConfig[] | undefined): { path: string; prefix?: string } {
  let best: string | undefined;
  for (const s of scopes ?? []) {
    const raw = s.match.route_prefix;
    if (!raw) continue;
    const p = normalisePrefix(raw);
    if (p === '/') continue;
    if ((path === p || path.startsWith(p + '/')) && (!best || p.length > best.length)) best = p;
  }
  if (!best) return { path };
  return { path: path.slice(best.length) || '/', prefix: best };
}
