/**
 * Forward-proxy mode on the gateway's own listener. `CONNECT host:port` to an intercepted host: TLS is
 * terminated with a leaf certificate for that host (signed by the local CA) and each decrypted request
 * runs through the gateway's governed path (`gateway.handleRequest` with `viaProxy`), forwarded to the
 * real host over TLS with normal certificate checks. Other hosts: a byte-for-byte tunnel, or a refusal
 * with `proxy.passthrough: deny`. Absolute-form `http://` requests follow the same host rule.
 * `Proxy-Authorization` with a kt access key is the identity of the connection's requests.
 *
 * Use: `const proxy = createForwardProxy(); startGateway({ ...proxy.gatewayOptions, … })`, and
 * `await Promise.all([proxy.close(), gw.close()])` to stop.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Readable, type Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { evidenceFor } from '../audit/evidence.js';
import type { ErrorCode } from '../errors.js';
import type { Gateway } from '../gateway/server.js';
import { clientResponseHeaders, HOP_BY_HOP } from '../providers/upstream-headers.js';
import type { CaPaths, LocalCa } from './ca.js';
import { proxySettings, type ProxyConfigView } from './intercept.js';
import type { LeafCache } from './leaf-cache.js';
import { proxyKey } from './proxy-auth.js';
import { proxyEventsSettled, recordProxyEvent } from './proxy-events.js';
import { openTunnel, socketCounters, type TunnelRecord } from './tunnel.js';

export interface ForwardProxyOptions {
  /** A CA to sign with (tests); default: the one in the CA directory of the running config, created if missing. */
  ca?: LocalCa;
  /** Called for every proxied connection (also logged at info). */
  onRecord?: (r: TunnelRecord) => void;
  /** Checks a kt key presented at CONNECT (default: the evidence store's access keys). */
  checkKey?: (key: string, config: unknown) => Promise<boolean>;
  /** How long close() lets decrypted requests in flight finish (ms, default 10 000). */
  drainTimeoutMs?: number;
}

export interface ForwardProxy {
  gatewayOptions: {
    onConnect: (req: IncomingMessage, socket: Duplex, head: Buffer, gw: Gateway) => void;
    onProxyRequest: (req: IncomingMessage, res: ServerResponse, gw: Gateway) => void;
  };
  /** Leaf certificates minted so far (all CAs). */
  minted(): number;
  close(): Promise<void>;
}

interface TlsConn {
  authority: string;
  key?: string;
}

const ESTABLISHED = 'HTTP/1.1 200 Connection Established\r\n\r\n';

function rawReply(socket: Duplex, status: string, message: string, extra = ''): void {
  const body = `${message}\n`;
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\n${extra}connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  else socket.destroy();
}

function jsonReply(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { message, type: 'proxy_error', code } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The path of an absolute-form URL without its query (which may carry a key, e.g. Gemini's `?key=`). */
function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/** `host:port` of a CONNECT target, or undefined when malformed. */
export function parseAuthority(target: string | undefined): { host: string; port: number } | undefined {
  if (!target) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/\s@]+):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

export function createForwardProxy(opts: ForwardProxyOptions = {}): ForwardProxy {
  const sockets = new Set<Duplex>();
  const conns = new WeakMap<object, TlsConn>();
  const leafCaches = new Map<string, Promise<LeafCache>>();
  const resolvedCaches: LeafCache[] = [];
  const relayAgent = new Agent({ keepAliveTimeout: 30_000 });
  let inner: Server | undefined;
  let active = 0;
  let closing = false;

  /**
   * Logs a proxied connection and records it as a decision event: CONNECT tunnels and intercepted
   * sessions as `route: CONNECT`, absolute-form relays and refusals as passthrough requests.
   */
  const record = (gw: Gateway, r: TunnelRecord, req: IncomingMessage, key: string | undefined, status?: number) => {
    gw.logger.info({ proxy: r.kind, host: r.host, port: r.port, bytes_up: r.bytesUp, bytes_down: r.bytesDown, ms: r.durationMs, error: r.error }, 'proxy connection');
    opts.onRecord?.(r);
    const connect = req.method === 'CONNECT';
    const refused = r.kind === 'denied' || status === 407;
    recordProxyEvent(gw, {
      req,
      kind: connect ? 'tunnel' : 'passthrough',
      route: connect ? 'CONNECT' : (req.url ? safePath(req.url) : '/'),
      host: `${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`,
      proxyCredential: key,
      startPerf: performance.now() - r.durationMs,
      startedAt: Date.now() - r.durationMs,
      status,
      outcome: refused ? 'refused' : r.kind === 'tunnel' ? 'tunnelled' : r.kind === 'intercepted' ? 'intercepted' : status !== undefined && status >= 400 ? 'upstream_error' : 'served',
      verdict: refused ? 'block' : 'allow',
      reasonCode: status === 407 ? 'unauthenticated' : r.kind === 'denied' ? 'proxy_denied' : undefined,
      errorCode: r.error,
      bytesUp: r.bytesUp,
      bytesDown: r.bytesDown,
    });
  };

  const checkKey =
    opts.checkKey ??
    (async (key: string, config: unknown) => {
      const r = await evidenceFor(config).keys.check(key);
      return r.ok;
    });

  /** undefined when allowed; else why not (the caller answers 407). */
  const authorize = async (gw: Gateway, key: string | undefined): Promise<string | undefined> => {
    const rt = gw.current();
    if (!key) return rt.settings.clientAuth ? 'this gateway requires an access key: set the proxy user name to anything and the password to your kt_ key' : undefined;
    if (!key.startsWith('kt_')) return 'the proxy password must be a kt access key (kt_…)';
    try {
      return (await checkKey(key, rt.loaded.config)) ? undefined : 'the access key is not valid (unknown, revoked or expired); create one with `kt keys create`';
    } catch (err) {
      gw.logger.error({ err: (err as Error).message }, 'proxy: access key check failed');
      return 'the access key could not be checked; see the gateway log';
    }
  };

  // The certificate code (x509, WebCrypto) loads on the first interception, not with the gateway.
  const leavesFor = async (config: unknown, gw: Gateway): Promise<LeafCache> => {
    const [{ caPaths, initCa }, { LeafCache }] = await Promise.all([import('./ca.js'), import('./leaf-cache.js')]);
    const paths: CaPaths | undefined = opts.ca ? undefined : caPaths(config as never);
    const id = paths?.cert ?? 'given';
    let p = leafCaches.get(id);
    if (!p) {
      const ca: Promise<LocalCa> = opts.ca
        ? Promise.resolve(opts.ca)
        : initCa(paths!).then((r) => {
            if (r.created) gw.logger.warn({ ca: paths!.cert }, 'created the local CA for the forward proxy: clients must trust it (`kt ca trust` prints how)');
            return r.ca;
          });
      p = ca.then((c) => {
        const leaves = new LeafCache(c);
        resolvedCaches.push(leaves);
        return leaves;
      });
      leafCaches.set(id, p);
      p.catch(() => leafCaches.delete(id));
    }
    return p;
  };

  const innerServer = (gw: Gateway): Server => {
    if (inner) return inner;
    inner = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
      const c = conns.get(req.socket);
      if (!c) return void res.destroy();
      active++;
      res.once('close', () => active--);
      gw.handleRequest(req, res, { viaProxy: { host: c.authority, scheme: 'https' }, proxyCredential: c.key });
    });
    inner.on('clientError', (_err, s) => s.destroy());
    return inner;
  };

  const intercept = async (gw: Gateway, req: IncomingMessage, socket: Duplex, head: Buffer, host: string, port: number, key: string | undefined): Promise<void> => {
    let leaves: LeafCache;
    try {
      leaves = await leavesFor(gw.current().loaded.config, gw);
    } catch (err) {
      gw.logger.error({ err: (err as Error).message }, 'proxy: the local CA could not be loaded or created; run `kt ca init`');
      return rawReply(socket, '502 Bad Gateway', 'kt: the local CA is unavailable; run `kt ca init` and see the gateway log.');
    }
    const secureContext = await leaves.contextFor(host);
    if (socket.destroyed) return;
    const start = Date.now();
    socket.write(ESTABLISHED);
    const base = socketCounters(socket);
    if (head.length) socket.unshift(head);
    // HTTP/1.1 only: that is what the governed path serves (ALPN never offers h2).
    const tls = new TLSSocket(socket as Socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
    sockets.add(tls);
    conns.set(tls, { authority: port === 443 ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`, key });
    let error: string | undefined;
    tls.on('error', (err: NodeJS.ErrnoException) => {
      error ??= err.code ?? err.message;
      gw.logger.debug({ host, err: error }, 'proxy: TLS with the client failed (does it trust the kt CA? see `kt ca trust`)');
      tls.destroy();
    });
    tls.once('close', () => {
      sockets.delete(tls);
      socket.destroy();
      const c = socketCounters(socket);
      record(gw, { host, port, kind: 'intercepted', bytesUp: c.read - base.read + head.length, bytesDown: c.written - base.written, durationMs: Date.now() - start, error }, req, key);
    });
    innerServer(gw).emit('connection', tls);
  };

  const onConnect = (req: IncomingMessage, socket: Duplex, head: Buffer, gw: Gateway): void => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      const s = proxySettings(gw.current().loaded.config as ProxyConfigView);
      if (!s.enabled || closing) return rawReply(socket, '405 Method Not Allowed', 'kt: the forward proxy is off (proxy.enabled: false) or shutting down.');
      const target = parseAuthority(req.url);
      if (!target) return rawReply(socket, '400 Bad Request', 'kt: CONNECT needs host:port.');
      const key = proxyKey(req.headers);
      const denied = await authorize(gw, key);
      if (denied) {
        record(gw, { host: target.host, port: target.port, kind: 'denied', bytesUp: 0, bytesDown: 0, durationMs: 0 }, req, undefined, 407);
        return rawReply(socket, '407 Proxy Authentication Required', `kt: ${denied}.`, 'proxy-authenticate: Basic realm="kt"\r\n');
      }
      if (s.intercept.matches(target.host)) return intercept(gw, req, socket, head, target.host, target.port, key);
      if (s.passthrough === 'deny') {
        record(gw, { host: target.host, port: target.port, kind: 'denied', bytesUp: 0, bytesDown: 0, durationMs: 0 }, req, key, 403);
        return rawReply(socket, '403 Forbidden', `kt: ${target.host} is not an intercepted host and proxy.passthrough is deny.`);
      }
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      openTunnel(socket, head, target.host, target.port, sockets, (r) => record(gw, r, req, key));
    })().catch((err) => {
      gw.logger.error({ err }, 'proxy: CONNECT failed');
      rawReply(socket, '502 Bad Gateway', 'kt: the proxy failed; see the gateway log.');
    });
  };

  const onProxyRequest = (req: IncomingMessage, res: ServerResponse, gw: Gateway): void => {
    void (async () => {
      const s = proxySettings(gw.current().loaded.config as ProxyConfigView);
      if (!s.enabled) return jsonReply(res, 404, 'KT_ERR_NOT_FOUND', 'The forward proxy is off (proxy.enabled: false); send requests to the gateway address itself.');
      let u: URL;
      try {
        u = new URL(req.url ?? '');
      } catch {
        return jsonReply(res, 400, 'KT_ERR_INVALID_REQUEST', 'Malformed absolute-form request target.');
      }
      if (u.protocol !== 'http:') return jsonReply(res, 400, 'KT_ERR_INVALID_REQUEST', `Only http:// targets can be sent in absolute form; ${u.protocol}// goes through CONNECT.`);
      const key = proxyKey(req.headers);
      const denied = await authorize(gw, key);
      if (denied) {
        record(gw, { host: u.hostname, port: Number(u.port || 80), kind: 'denied', bytesUp: 0, bytesDown: 0, durationMs: 0 }, req, undefined, 407);
        return jsonReply(res, 407, 'KT_ERR_UNAUTHENTICATED', `kt: ${denied}.`, { 'proxy-authenticate': 'Basic realm="kt"' });
      }
      if (s.intercept.matches(u.host)) return gw.handleRequest(req, res, { viaProxy: { host: u.host, scheme: 'http' }, proxyCredential: key });
      if (s.passthrough === 'deny') {
        record(gw, { host: u.hostname, port: Number(u.port || 80), kind: 'denied', bytesUp: 0, bytesDown: 0, durationMs: 0 }, req, key, 403);
        return jsonReply(res, 403, 'KT_ERR_PROXY_DENIED', `${u.hostname} is not an intercepted host and proxy.passthrough is deny.`);
      }
      await relayHttp(req, res, u, gw, key);
    })().catch((err) => {
      gw.logger.error({ err }, 'proxy: absolute-form request failed');
      if (!res.headersSent) jsonReply(res, 502, 'KT_ERR_UPSTREAM_UNREACHABLE', 'The proxy failed; see the gateway log.');
      else res.destroy();
    });
  };

  /** Plain-HTTP relay for hosts kt does not govern: headers minus hop-by-hop, bodies streamed. */
  const relayHttp = async (req: IncomingMessage, res: ServerResponse, u: URL, gw: Gateway, key: string | undefined): Promise<void> => {
    const start = Date.now();
    const listed = typeof req.headers.connection === 'string' ? req.headers.connection.toLowerCase().split(/\s*,\s*/) : [];
    const headers: Record<string, string | string[]> = {};
    for (const name in req.headers) {
      const v = req.headers[name];
      if (v !== undefined && (!HOP_BY_HOP.has(name) || name === 'content-length' || name === 'host') && !listed.includes(name)) headers[name] = v;
    }
    let bytesUp = 0;
    let bytesDown = 0;
    async function* counted(src: AsyncIterable<Buffer>) {
      for await (const c of src) {
        bytesUp += c.length;
        yield c;
      }
    }
    const ac = new AbortController();
    res.on('close', () => res.writableFinished || ac.abort());
    let error: string | undefined;
    try {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const up = await request(u, { method: (req.method ?? 'GET') as 'GET', headers, body: hasBody ? Readable.from(counted(req)) : undefined, dispatcher: relayAgent, signal: ac.signal });
      res.writeHead(up.statusCode, clientResponseHeaders(up.headers as Record<string, string | string[] | undefined>, false));
      for await (const chunk of up.body) {
        bytesDown += (chunk as Buffer).length;
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    } catch (err) {
      error = (err as { code?: string }).code ?? (err as Error).message;
      if (!res.headersSent) jsonReply(res, 502, 'KT_ERR_UPSTREAM_UNREACHABLE', `kt could not reach ${u.host} (${error}).`);
      else res.destroy();
    } finally {
      record(gw, { host: u.hostname, port: Number(u.port || 80), kind: 'http', bytesUp, bytesDown, durationMs: Date.now() - start, error }, req, key, error ? 502 : res.statusCode);
    }
  };

  return {
    gatewayOptions: { onConnect, onProxyRequest },
    minted: () => resolvedCaches.reduce((n, c) => n + c.minted, 0),
    async close() {
      closing = true;
      inner?.closeIdleConnections();
      const deadline = Date.now() + (opts.drainTimeoutMs ?? 10_000);
      while (active > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        inner?.closeIdleConnections();
      }
      // Cut what is left, let each connection's close handler record its event, then wait for the
      // records so a shutdown that closes the event store right after loses none.
      const closed = [...sockets].map((s) => (s.destroyed ? Promise.resolve() : new Promise<void>((r) => s.once('close', () => r()))));
      for (const s of sockets) s.destroy();
      sockets.clear();
      inner?.closeAllConnections();
      inner?.close();
      await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 1000).unref())]);
      await new Promise((r) => setImmediate(r));
      await Promise.all([relayAgent.close().catch(() => undefined), proxyEventsSettled()]);
    },
  };
}
