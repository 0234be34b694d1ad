/**
 * The demo provider over HTTP(S): records every request byte for byte, applies faults and scripted
 * replies, and answers in the dialect of the route. The fake upstream of every test and benchmark.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { errorBody, errorMessageFor, streamErrorFrame, type ErrorFamily } from './errors.js';
import { FaultQueue, ScriptQueue, requestedFault } from './faults.js';
import { modelsBody, render } from './render.js';
import { matchRoute, pathnameOf } from './routes.js';
import type { DialectName } from '../../dialects/types.js';
import type { DemoServer, DemoServerOptions, FaultSpec, RecordedRequest, ScriptedReply } from './types.js';
import { validateBody } from './validate.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };

function sleep(ms: number): Promise<void> {
  // unref: a pending delay must never keep a test process alive after close().
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function providedKey(req: IncomingMessage): string | undefined {
  const h = req.headers;
  const auth = typeof h.authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(h.authorization)?.[1] : undefined;
  return (h['x-api-key'] as string | undefined) ?? auth ?? (h['api-key'] as string | undefined);
}

interface Reply {
  dialect?: DialectName;
  req: IncomingMessage;
  res: ServerResponse;
  family: ErrorFamily;
  requestId: string;
}

function baseHeaders(r: Reply): Record<string, string> {
  return r.family === 'anthropic' ? { 'request-id': r.requestId } : { 'x-request-id': r.requestId, 'openai-processing-ms': '1' };
}

function sendJson(r: Reply, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const buf = Buffer.from(JSON.stringify(body));
  r.res.writeHead(status, { ...baseHeaders(r), 'content-type': 'application/json', 'content-length': String(buf.length), ...extra });
  r.res.end(buf);
}

function sendError(r: Reply, status: number, message: string, param: string | null = null, extra: Record<string, string> = {}): void {
  sendJson(r, status, errorBody(r.family, status, message, r.requestId, param), extra);
}

/** Writes pieces one by one, honouring pacing and the mid-stream faults. */
async function writePieces(r: Reply, pieces: (string | Buffer)[], closing: number, fault: FaultSpec | undefined, delayMs: number): Promise<void> {
  const list = fault?.kind === 'truncate' ? pieces.slice(0, Math.max(0, pieces.length - closing)) : pieces;
  const resetAt = fault?.kind === 'reset-mid-stream' ? (fault.afterEvents ?? 2) : Infinity;
  const errorAt = fault?.kind === 'error-mid-stream' ? (fault.afterEvents ?? 2) : Infinity;
  const gap = fault?.kind === 'slow-chunks' ? (fault.ms ?? 200) : delayMs;
  r.res.flushHeaders();
  // Unpaced and unfaulted (the benchmark case): plain writes, one per event, no waiting.
  const paced = gap > 0 || fault !== undefined;
  for (let i = 0; i < list.length; i++) {
    if (i === resetAt) break;
    if (i === errorAt) break;
    if (i > 0 && gap > 0) await sleep(gap);
    if (r.res.destroyed) return;
    if (paced) await new Promise<void>((resolve) => r.res.write(list[i], () => resolve()));
    else r.res.write(list[i]);
  }
  if (errorAt !== Infinity && r.dialect && !r.res.destroyed) {
    const status = fault?.status ?? (r.family === 'anthropic' ? 529 : 500);
    r.res.end(streamErrorFrame(r.dialect, status, r.requestId, Math.min(errorAt, list.length)));
    return;
  }
  if (resetAt !== Infinity) {
    r.req.socket.destroy();
    return;
  }
  r.res.end();
}

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const faults = new FaultQueue();
  const scripts = new ScriptQueue();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const record = opts.record !== false;
  const maxRecordedBytes = opts.maxRecordedBytes ?? 64 * 1024 * 1024;
  let recordedBytes = 0;
  let counter = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = req.url ?? '/';
    let json: unknown;
    let jsonOk = false;
    if (rawBody.length > 0) {
      try {
        json = JSON.parse(rawBody.toString('utf8'));
        jsonOk = true;
      } catch {
        /* answered below with the dialect's 400 */
      }
    }
    if (record) {
      requests.push({ method: req.method ?? 'GET', path: url, headers: req.headers, rawBody, json: jsonOk ? json : undefined, receivedAt: Date.now() });
      recordedBytes += rawBody.length;
      // A long-running demo must not grow without bound; tests never come near the cap.
      while (recordedBytes > maxRecordedBytes && requests.length > 1) recordedBytes -= requests.shift()!.rawBody.length;
    }

    const route = matchRoute(req.method ?? 'GET', url);
    const anthropicHeaders = req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined;
    const family: ErrorFamily =
      route.kind === 'api' ? (route.dialect.startsWith('anthropic') ? 'anthropic' : 'openai') : anthropicHeaders ? 'anthropic' : 'openai';
    const r: Reply = { dialect: route.kind === 'api' ? route.dialect : undefined, req, res, family, requestId: `req_demo_${(++counter).toString(36).padStart(8, '0')}` };

    if (route.kind === 'root') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'kt demo provider\n');
      return;
    }
    if (route.kind === 'not-found') return sendError(r, 404, `Unknown request URL: ${req.method} ${pathnameOf(url)}.`);
    if (opts.requireKey !== undefined && providedKey(req) !== opts.requireKey) {
      const message = family === 'anthropic' ? 'invalid x-api-key' : 'Incorrect API key provided. You can find your API key in your kt demo setup.';
      return sendError(r, 401, message);
    }
    if (route.kind === 'models') return sendJson(r, 200, modelsBody(family === 'anthropic'));

    const body = jsonOk && typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    const model = typeof body?.model === 'string' ? body.model : route.deployment;
    const pathname = pathnameOf(url);
    const fault = faults.take(pathname, model) ?? requestedFault(req.headers['x-demo-fault'], model);

    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'slow-first-byte') await sleep(fault.ms ?? 1000);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (res.destroyed) return;
    if (fault?.kind === 'status' || (fault?.kind === 'error-mid-stream' && body?.stream !== true)) {
      const status = fault.status ?? (fault.kind === 'error-mid-stream' && family === 'anthropic' ? 529 : 500);
      const extra: Record<string, string> = status === 429 ? { 'retry-after': '1', ...fault.headers } : { ...fault.headers };
      return sendError(r, status, errorMessageFor(status), null, extra);
    }

    if (!jsonOk) {
      const msg = family === 'anthropic' ? 'There was an error parsing the body of your request: invalid JSON.' : 'We could not parse the JSON body of your request.';
      return sendError(r, 400, msg);
    }
    if (!body) return sendError(r, 400, family === 'anthropic' ? 'Input should be a valid dictionary' : 'The request body must be a JSON object.');
    const invalid = validateBody(route.dialect, body, route.deployment !== undefined);
    if (invalid) return sendError(r, 400, invalid.message, invalid.param);

    const script = scripts.take(pathname, model);
    const stream = body.stream === true && route.dialect !== 'openai-embeddings' && route.dialect !== 'anthropic-count-tokens';
    const delay = opts.chunkDelayMs ?? 0;
    if (script?.rawChunks) {
      const type = stream ? SSE_HEADERS : { 'content-type': 'application/json' };
      res.writeHead(script.status ?? 200, { ...baseHeaders(r), ...type, ...script.headers });
      // A real pause between writes so each piece leaves as its own TCP segment (split-frame tests).
      return writePieces(r, script.rawChunks, 0, fault, Math.max(delay, 1));
    }
    const out = render(route.dialect, body, model ?? '', script);
    if (out.kind === 'stream') {
      res.writeHead(200, { ...baseHeaders(r), ...SSE_HEADERS });
      return writePieces(r, out.plan.frames, out.plan.closing, fault, delay);
    }
    if (fault && (fault.kind === 'reset-mid-stream' || fault.kind === 'truncate' || fault.kind === 'slow-chunks')) {
      // A JSON body cut in half: the client sees a broken body rather than a clean answer.
      const buf = Buffer.from(JSON.stringify(out.body));
      const half = Math.floor(buf.length / 2);
      res.writeHead(200, { ...baseHeaders(r), 'content-type': 'application/json' });
      return writePieces(r, [buf.subarray(0, half), buf.subarray(half)], 1, fault.kind === 'reset-mid-stream' ? { ...fault, afterEvents: fault.afterEvents ?? 1 } : fault, delay);
    }
    sendJson(r, 200, out.body);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `demo provider bug: ${(err as Error).message}`, type: 'server_error', param: null, code: null } }));
      }
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener) : createHttpServer(listener);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    requests,
    faults,
    script(reply: ScriptedReply) {
      scripts.add(reply);
    },
    reset() {
      requests.length = 0;
      recordedBytes = 0;
      faults.clear();
      scripts.clear();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
