/**
 * Who may use the gateway's own operational endpoints that reveal or change it (`GET /keeptrusts/config`,
 * `POST /keeptrusts/config/reload`, `GET /keeptrusts/events/stream`). Auth mode `keys`: an access key
 * with the role or tag `admin`. Other modes: loopback peers only (the listener is loopback-only then).
 * `/health`, `/healthz`, `/readyz` and `/metrics` stay open (docs/KEYS.md says what they expose).
 */
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors.js';
import type { AccessKeys } from './access-keys.js';
import { looksLikeAccessKey } from './access-keys.js';
import type { AuthMode } from './identify.js';
import { isLoopback, presentedCredential } from './identify.js';

export const ADMIN = 'admin';

export async function authorizeOps(req: IncomingMessage, mode: AuthMode, keys: AccessKeys): Promise<GatewayError | undefined> {
  if (mode !== 'keys') {
    if (isLoopback(req.socket?.remoteAddress)) return undefined;
    return new GatewayError('KT_ERR_UNAUTHENTICATED', 'kt: this endpoint answers callers on the gateway machine only.', { headers: { 'x-should-retry': 'false' } });
  }
  const cred = presentedCredential(req.headers);
  if (!cred || !looksLikeAccessKey(cred))
    return new GatewayError('KT_ERR_UNAUTHENTICATED', `kt: this endpoint needs an access key with the ${ADMIN} role: send Authorization: Bearer kt_… (create one with kt keys create --roles ${ADMIN}).`, {
      headers: { 'x-should-retry': 'false' },
    });
  let r: Awaited<ReturnType<AccessKeys['check']>>;
  try {
    r = await keys.check(cred);
  } catch {
    return new GatewayError('KT_ERR_NOT_READY', 'kt: access keys cannot be checked right now (the key store is unavailable); retry shortly.', { headers: { 'retry-after': '2' } });
  }
  if (!r.ok) return new GatewayError('KT_ERR_UNAUTHENTICATED', `kt: the access key is ${r.reason === 'unknown' ? 'not valid' : r.reason}.`, { headers: { 'x-should-retry': 'false' } });
  if (!r.key.roles.includes(ADMIN) && !r.key.tags.includes(ADMIN))
    return new GatewayError('KT_ERR_UNAUTHENTICATED', `kt: key ${r.key.id} may call the model API but not this endpoint: it needs the ${ADMIN} role (kt keys create --roles ${ADMIN}).`, {
      status: 403,
      headers: { 'x-should-retry': 'false' },
    });
  return undefined;
}
