/**
 * Headers sent upstream: the client's own (unknown ones included: `anthropic-beta`, `x-stainless-*`,
 * session ids) minus hop-by-hop headers (RFC 9110 §7.6.1), length/encoding that we recompute, and the
 * client's credentials when the target brings its own key. A kt access key (`kt_…`) never leaves.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedTarget } from './types.js';

export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** Upstream responses are read and sometimes parsed, so ask for identity encoding. */
const DROP_UPSTREAM = new Set([...HOP_BY_HOP, 'accept-encoding']);
const CREDENTIALS = ['authorization', 'x-api-key', 'api-key'];

export function isGatewayKey(v: string | undefined): boolean { // exported (marked edit: proxy): passthrough drops kt keys too
  return v !== undefined && /^(Bearer\s+)?kt_/i.test(v.trim());
}

export function clientHasProviderKey(h: IncomingHttpHeaders): boolean {
  return CREDENTIALS.some((name) => {
    const v = h[name];
    return typeof v === 'string' && v.length > 0 && !isGatewayKey(v);
  });
}

export function upstreamHeaders(
  client: IncomingHttpHeaders,
  target: ResolvedTarget,
  contentLength: number,
  extra?: Record<string, string>,
  /** (marked edit: evidence) auth mode passthrough: the client's own provider key goes upstream, never the target's. */
  clientKeyOnly = false,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionListed = typeof client.connection === 'string' ? client.connection.toLowerCase().split(/\s*,\s*/) : [];
  for (const name in client) {
    const v = client[name];
    if (v === undefined || DROP_UPSTREAM.has(name) || connectionListed.includes(name)) continue;
    out[name] = v;
  }
  // The target's own key wins; without one, the client's provider key passes through untouched.
  const useTargetKey = target.auth.key !== undefined && !clientKeyOnly && !(target.auth.fromDefault && clientHasProviderKey(client));
  for (const c of CREDENTIALS) {
    const v = out[c];
    if (useTargetKey || (typeof v === 'string' && isGatewayKey(v))) delete out[c];
  }
  if (useTargetKey) out[target.auth.header] = target.auth.prefix + target.auth.key;
  const fixed = target.config.headers;
  if (fixed) for (const k in fixed) out[k.toLowerCase()] = fixed[k];
  if (extra) for (const k in extra) if (out[k] === undefined) out[k] = extra[k];
  out['content-length'] = String(contentLength);
  return out;
}

/** Response headers relayed to the client: upstream's minus hop-by-hop and the ones we recompute. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>, dropContentType: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const v = upstream[name];
    if (v === undefined || HOP_BY_HOP.has(name) || name === 'content-encoding' || name === 'date') continue;
    if (dropContentType && name === 'content-type') continue;
    // The gateway's request id is the one on every answer; the provider's stays visible beside it.
    if (name === 'x-request-id') out['x-upstream-request-id'] = v;
    else out[name] = v;
  }
  return out;
}
