/**
 * Scope resolution as part of the identify hook: once the principal is known, record `ex.scope`; a
 * request under a route prefix that none of the prefix's scopes accepts is refused here (404).
 */
import type { Exchange } from '../gateway/exchange.js';
import type { GatewayHooks } from '../gateway/hooks.js';
import { GatewayError } from '../errors.js';
import { scopeFor, type ScopeConfig } from './resolve.js';

export function withScopes(identify: GatewayHooks['identify'], scopes: readonly ScopeConfig[] | undefined): GatewayHooks['identify'] {
  if (!scopes?.length) return identify;
  return async (ex: Exchange) => {
    const err = await identify(ex);
    if (err) return err;
    const s = scopeFor(scopes, ex);
    if (s instanceof GatewayError) return s;
    if (s) ex.scope = s;
    return undefined;
  };
}
