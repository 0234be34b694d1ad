/**
 * Routing of one request decrypted (or received in absolute form) by the forward proxy: a known API
 * shape for its path goes through the governed path in its dialect (`./routes.ts`), an unknown JSON
 * POST follows `proxy.unknown_paths`, and everything else is relayed as is with a decision event.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { genericJson } from '../dialects/generic-json/dialect.js';
import { GatewayError } from '../errors.js';
import type { GatewayContext, RequestContext, ViaProxy } from '../gateway/context.js';
import { passThrough } from '../gateway/passthrough.js';
import { handleApi } from '../gateway/pipeline.js';
import { sendError } from '../gateway/reply.js';
import { proxySettings, type ProxyConfigView } from './intercept.js';
import { recordProxyEvent } from './proxy-events.js';
import { proxyRoute } from './routes.js';

export function routeProxied(
  req: IncomingMessage,
  res: ServerResponse,
  gw: GatewayContext,
  rc: RequestContext & { viaProxy: ViaProxy },
  path: string,
  query: string,
  url: string,
): Promise<void> {
  const s = proxySettings(gw.current().loaded.config as ProxyConfigView);
  const r = proxyRoute(req.method ?? 'GET', path, req.headers, s.unknownPaths);
  if (r.kind === 'api') {
    const method = req.method === 'PUT' || req.method === 'PATCH' ? req.method : undefined;
    return handleApi(req, res, gw, r.dialect, r.route, query, method ? { ...rc, viaProxy: { ...rc.viaProxy, method } } : rc, url);
  }
  if (r.kind === 'pass') return passThrough(req, res, gw, rc, url);
  const requestId = String(res.getHeader('x-request-id'));
  const err = new GatewayError('KT_ERR_POLICY_BLOCKED', r.message, { reason: 'unknown_path', policy: 'proxy', headers: { 'x-should-retry': 'false' } });
  // The body is not read: close the connection rather than drain it.
  res.setHeader('connection', 'close');
  sendError(res, genericJson, err, requestId);
  recordProxyEvent(gw, {
    req,
    kind: 'passthrough',
    route: path,
    host: rc.viaProxy.host,
    proxyCredential: rc.proxyCredential,
    requestId,
    startPerf: performance.now(),
    startedAt: Date.now(),
    status: err.status,
    outcome: 'blocked',
    verdict: 'block',
    reasonCode: 'unknown_path',
    errorCode: err.code,
  });
  return Promise.resolve();
}
