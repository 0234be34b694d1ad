/**
 * Operational routes: `/`, `/health`, `/healthz`, `/readyz`, `GET /v1/models`, `GET /keeptrusts/config`
 * and `POST /keeptrusts/config/reload`. Small, synchronous where possible, never touching providers.
 * The config, reload and event-stream routes are admin-only (see adminOnly); the rest are open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskConfig } from '../config/index.js';
import { VERSION } from '../version.js';
import type { GatewayContext } from './context.js';
import { sendError, sendJson } from './reply.js';
import { evidenceFor } from '../audit/evidence.js'; // evidence (marked edit): /metrics and the live event stream
import { evidenceSettings } from '../audit/settings.js';
import { authorizeOps } from '../identity/ops-auth.js';

export type OpsHandler = (req: IncomingMessage, res: ServerResponse, gw: GatewayContext, reload: () => Promise<void>) => Promise<void> | void;

function health(_req: IncomingMessage, res: ServerResponse, gw: GatewayContext): void {
  const rt = gw.current();
  const providers = [
    ...rt.targets.map((t) => {
      const breaker = gw.breakers.state(`${t.id}|${t.origin}${t.basePath}`);
      return { id: t.id, provider: t.provider, format: t.format, status: breaker === 'closed' ? 'available' : breaker === 'open' ? 'circuit_open' : 'recovering' };
    }),
    ...rt.unavailable.map((u) => ({ id: u.id, status: 'unavailable', reason: u.reason })),
  ];
  const up = providers.filter((p) => p.status === 'available' || p.status === 'recovering').length;
  const status = up === 0 ? 'unhealthy' : up < providers.length ? 'degraded' : 'healthy';
  sendJson(res, status === 'unhealthy' ? 503 : 200, {
    status,
    uptime_seconds: Math.floor((Date.now() - gw.startedAt) / 1000),
    version: VERSION,
    config_version: rt.loaded.version,
    providers,
    policies_loaded: rt.chain.length,
    policies: rt.chain,
    requests_processed: gw.stats.requests,
    requests_in_flight: gw.stats.inFlight,
  });
}

/** Models named by the config, in the client's shape (Anthropic SDKs send `anthropic-version`). */
function models(req: IncomingMessage, res: ServerResponse, gw: GatewayContext): void {
  const rt = gw.current();
  const ids = new Set<string>();
  for (const t of rt.targets) {
    if (t.model) ids.add(t.model);
    for (const m of t.models ?? []) if (!m.includes('*')) ids.add(m);
    if (t.provider === 'demo' && !t.model) ids.add('demo');
  }
  if (req.headers['anthropic-version'] !== undefined) {
    const data = [...ids].map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
    return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }
  sendJson(res, 200, { object: 'list', data: [...ids].map((id) => ({ id, object: 'model', created: 0, owned_by: 'kt' })) });
}

function config(_req: IncomingMessage, res: ServerResponse, gw: GatewayContext): void {
  const rt = gw.current();
  sendJson(res, 200, { version: rt.loaded.version, files: rt.loaded.files, warnings: rt.warnings, config: maskConfig(rt.loaded.config) });
}

async function reloadRoute(_req: IncomingMessage, res: ServerResponse, gw: GatewayContext, reload: () => Promise<void>): Promise<void> {
  const before = gw.current().loaded.version;
  try {
    await reload();
    const rt = gw.current();
    sendJson(res, 200, { ok: true, reloaded: rt.loaded.version !== before, version: rt.loaded.version, warnings: rt.warnings });
  } catch (err) {
    const diagnostics = (err as { diagnostics?: unknown }).diagnostics;
    sendJson(res, 422, {
      ok: false,
      version: before,
      error: { type: 'validation_error', code: 'config_invalid', message: `The new configuration is invalid; the running one (${before}) is kept. ${(err as Error).message}` },
      ...(diagnostics ? { diagnostics } : {}),
    });
  }
}

function root(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'HEAD') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end();
    return;
  }
  sendJson(res, 200, { name: 'kt', version: VERSION, status: 'ok', docs: 'POST /v1/chat/completions, /v1/responses, /v1/messages …; GET /health' });
}

/**
 * Endpoints that reveal or change the gateway: in auth mode `keys` they need an access key with the
 * `admin` role or tag; otherwise loopback callers only (src/identity/ops-auth.ts).
 */
function adminOnly(handler: OpsHandler): OpsHandler {
  return async (req, res, gw, reload) => {
    const config = gw.current().loaded.config;
    const err = await authorizeOps(req, evidenceSettings(config).authMode, evidenceFor(config).keys);
    if (err) return sendError(res, undefined, err, String(res.getHeader('x-request-id') ?? ''));
    return handler(req, res, gw, reload);
  };
}

/** `METHOD path` → handler; HEAD is served wherever GET is. */
export const OPS_ROUTES = new Map<string, OpsHandler>([
  ['GET /', root],
  ['HEAD /', root],
  ['GET /health', health],
  ['GET /healthz', (_q, res) => sendJson(res, 200, { status: 'ok' })],
  ['GET /readyz', (_q, res, gw) => sendJson(res, 200, { status: 'ready', config_version: gw.current().loaded.version })],
  ['GET /v1/models', models],
  ['GET /models', models],
  ['GET /keeptrusts/config', adminOnly(config)],
  ['POST /keeptrusts/config/reload', adminOnly(reloadRoute)],
  // evidence (marked edit): Prometheus metrics and `kt events tail --follow`
  ['GET /metrics', (req, res, gw) => evidenceFor(gw.current().loaded.config).metrics.handle(req, res)],
  ['GET /keeptrusts/events/stream', adminOnly((req, res, gw) => evidenceFor(gw.current().loaded.config).streamEvents(req, res))],
]);
