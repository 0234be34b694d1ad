/**
 * The listener: one `node:http` server serving the API routes, the operational routes, a quick refusal
 * of WebSocket upgrades (Codex then falls back to POST), and hand-off points for the forward proxy
 * (`onConnect` for CONNECT, `onProxyRequest` for absolute-form requests, `handleRequest` to run an
 * intercepted request through the governed path). Lifecycle: load config → build runtime → listen;
 * reload swaps the runtime atomically; close drains in-flight requests, then releases everything.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import { defaultConfig, loadConfigFiles, watchConfigFiles, type LoadedConfig } from '../config/index.js';
import { dialectForPath } from '../dialects/registry.js';
import { GatewayError } from '../errors.js';
import { DemoUpstream } from '../providers/demo-target.js';
import { UpstreamPools, type UpstreamPoolOptions } from '../providers/upstream-pool.js';
import { CircuitBreakers } from '../routing/circuit-breaker.js';
import { buildHooks } from './assemble.js';
import type { LoadedConfigView } from './config-types.js';
import type { GatewayContext, RequestContext } from './context.js';
import type { GatewayHooks } from './hooks.js';
import { OPS_ROUTES } from './ops.js';
import { routeProxied } from '../proxy/proxied-request.js'; // proxy (marked edit)
import { handleApi } from './pipeline.js';
import { sendError, sendJson } from './reply.js';
import { buildRuntime, type Runtime } from './runtime.js';
import { DEFAULT_LISTEN } from './settings.js';
import { anthropicMessages } from '../dialects/anthropic-messages/dialect.js';
import { newRequestId } from './exchange-factory.js';
import { stripRoutePrefix, type ScopeConfig } from '../scopes/resolve.js'; // scopes (marked edit)

export interface GatewayOptions {
  /** A config already loaded; otherwise `configFiles`, otherwise the embedded default. */
  loaded?: LoadedConfig;
  configFiles?: string[];
  /** `host:port`; port 0 picks a free one. Default: gateway.listen, else 127.0.0.1:41002. */
  listen?: string;
  failMode?: 'block' | 'allow';
  maxBodyBytes?: number;
  /** A pino logger, `false` for silence; default pino at gateway.log_level on stdout. */
  logger?: Logger | false;
  logLevel?: string;
  /** Replaces buildHooks (tests, embedding). */
  hooks?: (loaded: LoadedConfig) => GatewayHooks;
  /** Watch configFiles and reload on change (default true when files are given). */
  watch?: boolean;
  /** Upstream connection options (CA, lookup) — the proxy's tests resolve real hosts to local servers. */
  upstream?: UpstreamPoolOptions;
  /** Forward proxy: CONNECT requests. Without it CONNECT is refused. */
  onConnect?: (req: IncomingMessage, socket: Duplex, head: Buffer, gw: Gateway) => void;
  /** Forward proxy: absolute-form requests (`GET http://host/…`). Without it they get a 400. */
  onProxyRequest?: (req: IncomingMessage, res: ServerResponse, gw: Gateway) => void;
  /** How long close() waits for in-flight requests before cutting them (ms, default 10 000). */
  drainTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Draws for `loadbalance`; a seeded generator makes a test's distribution exact. (marked edit: gateway core) */
  random?: () => number;
}

export interface Gateway {
  url: string;
  host: string;
  port: number;
  server: Server;
  logger: Logger;
  /** The runtime new requests start with. */
  current(): Runtime;
  /** Re-read the config files (or take `next`), validate, swap. Rejects, keeping the old config, when invalid. */
  reload(next?: LoadedConfig): Promise<void>;
  /** Run one request (e.g. decrypted by the forward proxy) through the governed path. */
  handleRequest(req: IncomingMessage, res: ServerResponse, ctx?: RequestContext): void;
  close(): Promise<void>;
}

export class ListenRefusedError extends Error {}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

export function splitListen(listen: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(listen.trim());
  if (!m) throw new ListenRefusedError(`--listen must be HOST:PORT (e.g. 127.0.0.1:41002), got "${listen}"`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const files = opts.configFiles ?? [];
  let loaded: LoadedConfig = opts.loaded ?? (files.length ? await loadConfigFiles(files) : defaultConfig());
  const makeHooks = (l: LoadedConfigView, s: { failMode: 'block' | 'allow' }) =>
    opts.hooks ? opts.hooks(l as LoadedConfig) : buildHooks(l, { failMode: s.failMode, logger });
  const overrides = { failMode: opts.failMode, maxBodyBytes: opts.maxBodyBytes };
  // The logger exists before the first runtime so the hooks built with it log too.
  const logger: Logger =
    opts.logger === false ? pino({ enabled: false }) : (opts.logger ?? pino({ name: 'kt', level: opts.logLevel ?? loaded.config.gateway?.log_level ?? 'info' }));
  let runtime = buildRuntime(loaded, makeHooks, overrides, opts.env);

  const listen = opts.listen ?? runtime.settings.listen ?? DEFAULT_LISTEN;
  const { host, port } = splitListen(listen);
  if (!isLoopback(host) && !runtime.settings.clientAuth) {
    throw new ListenRefusedError(
      `Refusing to listen on ${host}: a non-loopback address would expose your provider keys and policies to the network without client authentication. Set gateway.auth.mode: keys in policy-config.yaml (and create access keys), or listen on 127.0.0.1.`,
    );
  }

  const breakers = new CircuitBreakers(runtime.settings.breaker);
  const gw: GatewayContext = {
    current: () => runtime,
    pools: new UpstreamPools(opts.upstream),
    breakers,
    demo: new DemoUpstream(),
    logger,
    startedAt: Date.now(),
    stats: { requests: 0, inFlight: 0 },
    random: opts.random, // (marked edit: gateway core)
  };

  let reloading: Promise<void> = Promise.resolve();
  const reload = (next?: LoadedConfig): Promise<void> => {
    // Serialised: two reloads never interleave their swap.
    const run = reloading.then(async () => {
      const fresh = next ?? (files.length ? await loadConfigFiles(files) : loaded);
      if (fresh === loaded && !next) return;
      const rt = buildRuntime(fresh, makeHooks, overrides, opts.env);
      loaded = fresh;
      runtime = rt;
      breakers.configure(rt.settings.breaker);
      logger.info({ config_version: fresh.version, files: fresh.files, warnings: rt.warnings }, 'configuration reloaded');
    });
    reloading = run.catch(() => undefined);
    return run;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse, rc?: RequestContext) => {
    route(req, res, gw, reload, rc, opts.onProxyRequest ? (q, s) => opts.onProxyRequest!(q, s, api) : undefined).catch((err) => {
      logger.error({ err }, 'unhandled error in request');
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal gateway error', type: 'gateway_error' } });
      else res.destroy();
    });
  };

  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => refuseUpgrade(req, socket));
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (opts.onConnect) return opts.onConnect(req, socket, head, api);
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const boundPort = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const unwatch = files.length && opts.watch !== false ? watchConfigFiles(files, () => void reload().catch((err) => logger.error({ err: (err as Error).message }, 'configuration reload rejected; keeping the running one'))) : () => {};

  let closing: Promise<void> | undefined;
  const api: Gateway = {
    url: `http://${urlHost}:${boundPort}`,
    host,
    port: boundPort,
    server,
    logger,
    current: () => runtime,
    reload,
    handleRequest: (req, res, ctx) => onRequest(req, res, ctx),
    close: () => (closing ??= drainAndClose(server, gw, unwatch, opts.drainTimeoutMs ?? 10_000)),
  };
  logger.info(
    { listen: api.url, config_version: loaded.version, files: loaded.files, chain: runtime.chain, targets: runtime.targets.map((t) => t.id), warnings: runtime.warnings },
    'kt gateway listening',
  );
  return api;
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  gw: GatewayContext,
  reload: () => Promise<void>,
  rc: RequestContext | undefined,
  onProxy: ((req: IncomingMessage, res: ServerResponse) => void) | undefined,
): Promise<void> {
  let url = req.url ?? '/';
  res.setHeader('x-request-id', newRequestId(req));
  if (url[0] !== '/') {
    if (rc?.viaProxy) {
      // An absolute-form request handed over by the proxy: route on its path.
      const u = new URL(url);
      url = u.pathname + u.search;
    } else if (onProxy) return onProxy(req, res);
    else {
      return sendError(res, undefined, new GatewayError('KT_ERR_NOT_FOUND', 'This gateway is not configured as a forward proxy; send requests to its own address (e.g. POST /v1/chat/completions).'), String(res.getHeader('x-request-id')));
    }
  }
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  // --- scopes (marked edit): a scope's route prefix (/assistants/v1/…) is stripped before routing ---
  const scoped = stripRoutePrefix(path, (gw.current().loaded.config as { scopes?: ScopeConfig[] }).scopes);
  if (scoped.prefix) {
    path = scoped.path;
    url = q < 0 ? path : `${path}?${query}`;
    rc = { ...rc, routePrefix: scoped.prefix };
  }
  // --- proxy (marked edit): through the proxy the dialect comes from host + path, and everything that is
  // not an API call goes to the host the client asked for (src/proxy/proxied-request.ts) ---
  if (rc?.viaProxy) return routeProxied(req, res, gw, { ...rc, viaProxy: rc.viaProxy }, path, query, url);
  const d = dialectForPath(path);
  if (d && req.method === 'POST') return handleApi(req, res, gw, d, path, query, rc, url);
  const key = `${req.method === 'HEAD' ? 'GET' : req.method} ${path.length > 1 ? path.replace(/\/+$/, '') : path}`;
  const ops = OPS_ROUTES.get(req.method === 'HEAD' && path === '/' ? 'HEAD /' : key);
  if (ops) return ops(req, res, gw, reload);
  const err = d
    ? new GatewayError('KT_ERR_NOT_FOUND', `${req.method} ${path} is not supported; use POST.`, { status: 405, headers: { allow: 'POST' } })
    : new GatewayError('KT_ERR_NOT_FOUND', `No route ${req.method} ${path} on the kt gateway. API routes: /v1/chat/completions, /v1/responses, /v1/completions, /v1/embeddings, /v1/messages, /v1/messages/count_tokens, /v1/models.`);
  sendError(res, d ?? (path.includes('/messages') ? anthropicMessages : undefined), err, String(res.getHeader('x-request-id')));
}

/** Codex first tries a WebSocket on /v1/responses; a quick 426 makes it fall back to POST. */
function refuseUpgrade(req: IncomingMessage, socket: Duplex): void {
  const requestId = newRequestId(req); // (marked edit: gateway core) every answer carries x-request-id, this one too
  const body = JSON.stringify({ error: { message: `WebSocket is not supported on ${req.url?.split('?')[0]}; use HTTP POST.`, type: 'validation_error', code: 'websocket_unsupported', request_id: requestId } });
  socket.end(`HTTP/1.1 426 Upgrade Required\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`);
}

async function drainAndClose(server: Server, gw: GatewayContext, unwatch: () => void, timeoutMs: number): Promise<void> {
  unwatch();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = Date.now() + timeoutMs;
  while (gw.stats.inFlight > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    server.closeIdleConnections();
  }
  server.closeAllConnections();
  await closed;
  await Promise.all([gw.pools.close(), gw.demo.close()]);
}
