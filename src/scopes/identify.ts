/** Scope resolution as part of the identify hook: once the principal is known, record `ex.scope`. */
import type { Exchange } from '../gateway/exchange.js';
import type { GatewayHooks } from '../gateway/hooks.js';
import { resolveScope, type ScopeConfig } from './resolve.js';

export function withScopes(identify: GatewayHooks['identify'], scopes: readonly ScopeConfig[] | undefined): GatewayHooks['identify'] {
  if (!scopes?.length) return identify;
  return async (ex: Exchange) => {
    const err = await identify(ex);
    if (err) return err;
    const s = resolveScope(scopes, ex);
    if (s) ex.scope = s;
    return undefined;
  };
}
