/**
 * The identify hook: who is calling (access key > identity headers), with which client and in which
 * conversation, and whether the auth mode lets them in. Modes: `none` — loopback callers only, no
 * key needed; `keys` — a valid `kt_` key is required; `passthrough` — the client brings its own
 * provider key and identity comes from headers. A `kt_` key, when presented, is always checked.
 */
import { GatewayError } from '../errors.js';
import type { Exchange, Principal } from '../gateway/exchange.js';
import type { AccessKeys } from './access-keys.js';
import { looksLikeAccessKey } from './access-keys.js';
import { conversationIdOf, detectClient, header } from './client-detect.js';

export type AuthMode = 'none' | 'keys' | 'passthrough';

export interface IdentifyOptions {
  mode: AuthMode;
  keys?: AccessKeys;
  /** Header naming the caller's roles when no key says (rbac `role_header`; default `X-User-Role`). */
  roleHeader?: string;
}

/** The credential a client sent, in the header it already uses. */
export function presentedCredential(headers: Exchange['headers']): string | undefined {
  const auth = header(headers, 'authorization');
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  return header(headers, 'x-api-key') ?? header(headers, 'api-key');
}

export function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true; // in-process callers (tests, the forward proxy) have no socket address
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

function fromHeaders(h: Exchange['headers'], roleHeader = 'x-user-role'): Omit<Principal, 'kind'> {
  const roles = header(h, roleHeader);
  return {
    userId: header(h, 'x-user-id'),
    teamId: header(h, 'x-team-id'),
    projectId: header(h, 'x-project-id'),
    agentId: header(h, 'x-keeptrusts-agent-id'),
    roles: roles ? roles.split(',').map((r) => r.trim()).filter(Boolean) : undefined,
  };
}

const unauthenticated = (message: string) => new GatewayError('KT_ERR_UNAUTHENTICATED', message, { headers: { 'x-should-retry': 'false' } });

export function createIdentify(opts: IdentifyOptions): (ex: Exchange) => Promise<GatewayError | undefined> {
  return async (ex) => {
    const h = ex.headers;
    ex.userAgent ??= header(h, 'user-agent');
    ex.client = detectClient(ex.userAgent);
    ex.conversationId ??= conversationIdOf(h);
    ex.traceparent ??= header(h, 'traceparent');

    const cred = ex.proxyCredential ?? presentedCredential(h); // proxy (marked edit): the proxy's kt key wins
    const hdr = fromHeaders(h, opts.roleHeader);
    if (cred && looksLikeAccessKey(cred)) {
      if (!opts.keys) return unauthenticated('kt: access keys are not enabled on this gateway; remove the kt_ key or configure keys.');
      const r = await opts.keys.check(cred);
      if (!r.ok) return unauthenticated(`kt: the access key is ${r.reason === 'unknown' ? 'not valid' : r.reason}; create a new one with \`kt keys create\`.`);
      const k = r.key;
      // What the key says about its owner wins; headers only fill what the key leaves open.
      ex.principal = {
        kind: 'key',
        keyId: k.id,
        keyName: k.name,
        keyTags: k.tags.length ? k.tags : undefined,
        userId: k.userId ?? hdr.userId,
        teamId: k.teamId ?? hdr.teamId,
        projectId: k.projectId ?? hdr.projectId,
        agentId: hdr.agentId,
        roles: k.roles.length ? k.roles : undefined,
      };
      return undefined;
    }
    if (opts.mode === 'keys') return unauthenticated('kt: this gateway requires an access key: send Authorization: Bearer kt_… (or x-api-key).');
    if (opts.mode === 'passthrough') {
      if (!cred) return unauthenticated('kt: send your provider API key (Authorization: Bearer or x-api-key); this gateway passes it through.');
      ex.principal = { kind: 'passthrough', ...hdr };
      return undefined;
    }
    if (!isLoopback(ex.remoteAddress)) return unauthenticated('kt: unauthenticated access is only allowed from this machine; use an access key.');
    ex.principal = { kind: 'anonymous', ...hdr };
    return undefined;
  };
}
