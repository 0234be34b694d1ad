/**
 * Ungoverned relay for a request that arrived through the forward proxy on a path that is not an API
 * route (e.g. `GET /v1/models` or an account endpoint of an intercepted host): forwarded as is to
 * the host the client asked for, answer streamed back. Nothing in it is inspected, so nothing is
 * parsed; hop-by-hop headers are still dropped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientResponseHeaders, HOP_BY_HOP } from '../providers/upstream-headers.js';
import type { GatewayContext, ViaProxy } from './context.js';
import { sendJson } from './reply.js';

export async function passThrough(req: IncomingMessage, res: ServerResponse, gw: GatewayContext, via: ViaProxy, path: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const name in req.headers) {
    const v = req.headers[name];
    if (v !== undefined && (!HOP_BY_HOP.has(name) || name === 'content-length')) headers[name] = v;
  }
  headers.host = via.host;
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
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
    for await (const chunk of up.body) if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    res.end();
  } catch (err) {
    if (ac.signal.aborted) return;
    if (!res.headersSent) sendJson(res, 502, { error: { message: `kt could not reach ${via.host} (${(err as { code?: string }).code ?? (err as Error).message}).`, type: 'upstream_error', code: 'KT_ERR_UPSTREAM_UNREACHABLE' } });
    else res.destroy();
  }
}
