/**
 * Ungoverned relay for a request that arrived through the forward proxy on a path kt does not govern
 * (e.g. `GET /v1/models` or an account endpoint of an intercepted host): forwarded to the host the
 * client asked for, answer streamed back. Nothing in it is inspected, but hop-by-hop headers and kt
 * access keys (`kt_…` in Authorization / x-api-key / api-key) never go upstream, and every request
 * leaves a decision event (`dialect: passthrough`, no content).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { clientResponseHeaders, HOP_BY_HOP, isGatewayKey } from '../providers/upstream-headers.js';
import { recordProxyEvent } from '../proxy/proxy-events.js';
import type { GatewayContext, RequestContext, ViaProxy } from './context.js';
import { sendJson } from './reply.js';

const CREDENTIALS = new Set(['authorization', 'x-api-key', 'api-key']);

export async function passThrough(req: IncomingMessage, res: ServerResponse, gw: GatewayContext, rc: RequestContext & { viaProxy: ViaProxy }, path: string): Promise<void> {
  const via = rc.viaProxy;
  const startPerf = performance.now();
  const startedAt = Date.now();
  const listed = typeof req.headers.connection === 'string' ? req.headers.connection.toLowerCase().split(/\s*,\s*/) : [];
  const headers: Record<string, string | string[]> = {};
  for (const name in req.headers) {
    const v = req.headers[name];
    if (v === undefined || (HOP_BY_HOP.has(name) && name !== 'content-length') || listed.includes(name)) continue;
    if (CREDENTIALS.has(name) && typeof v === 'string' && isGatewayKey(v)) continue;
    headers[name] = v;
  }
  headers.host = via.host;
  const ac = new AbortController();
  // Counted like governed requests, so a shutdown drains it too.
  gw.stats.inFlight++;
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  let bytesDown = 0;
  let outcome = 'served';
  let errorCode: string | undefined;
  try {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const up = await gw.pools.get(`${via.scheme}://${via.host}`).request({
      method: (req.method ?? 'GET') as 'GET',
      path,
      headers,
      body: hasBody ? req : undefined,
      signal: ac.signal,
    });
    res.writeHead(up.statusCode, clientResponseHeaders(up.headers as Record<string, string | string[] | undefined>, false));
    if (up.statusCode >= 400) outcome = 'upstream_error';
    for await (const chunk of up.body) {
      bytesDown += (chunk as Buffer).length;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  } catch (err) {
    if (ac.signal.aborted) outcome = 'client_closed';
    else {
      outcome = 'upstream_error';
      errorCode = (err as { code?: string }).code ?? 'KT_ERR_UPSTREAM_UNREACHABLE';
      if (!res.headersSent) sendJson(res, 502, { error: { message: `kt could not reach ${via.host} (${(err as { code?: string }).code ?? (err as Error).message}).`, type: 'upstream_error', code: 'KT_ERR_UPSTREAM_UNREACHABLE' } });
      else res.destroy();
    }
  } finally {
    gw.stats.inFlight--;
    const q = path.indexOf('?');
    recordProxyEvent(gw, {
      req,
      kind: 'passthrough',
      route: q < 0 ? path : path.slice(0, q),
      host: via.host,
      proxyCredential: rc.proxyCredential,
      requestId: String(res.getHeader('x-request-id') ?? ''),
      startPerf,
      startedAt,
      status: res.statusCode,
      outcome,
      errorCode,
      bytesDown,
    });
  }
}
