/**
 * Writes the upstream answer to the client.
 *
 * Buffered: upstream errors keep their status (translated into the client's envelope when dialects
 * differ); a 2xx body goes through inspectResponse and, when nothing changed it, leaves as the
 * provider's original bytes.
 *
 * Streamed: relayed as it arrives. With no translator and no stream guard the bytes are copied as
 * they come (a parser on the side only folds usage); otherwise events go through the one SSE parser,
 * the translator, then the guard, and are re-framed. A failure after the first byte ends the stream
 * with the dialect's error event — never a fallback, since the client already has part of an answer.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Translator } from '../translate/types.js';
import type { Dialect } from '../dialects/dialect.js';
import { GatewayError } from '../errors.js';
import { clientResponseHeaders } from '../providers/upstream-headers.js';
import type { Cancel } from '../routing/cancel.js';
import { upstreamError, type UpstreamAnswer } from '../routing/dispatch.js';
import { createSseParser, type SseEvent } from '../sse/parser.js';
import { formatSse } from '../sse/writer.js';
import { stripAddedUsage } from './stream-usage.js';
import type { Exchange, Usage } from './exchange.js';
import { noopHooks, type GatewayHooks } from './hooks.js';
import { errorHeaders } from './reply.js';

/** What the pipeline prepared for one upstream attempt, as the relay needs it. */
export interface Prepared {
  /** Dialect spoken with the upstream (the client's unless translated). */
  upstream: Dialect;
  translator?: Translator;
  /** kt asked for stream usage the client did not ask for: the relay folds it and takes it out again. */
  stripUsage?: boolean;
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function relayBuffered(
  res: ServerResponse,
  ex: Exchange,
  d: Dialect,
  hooks: GatewayHooks,
  a: UpstreamAnswer<Prepared>,
  failMode: 'block' | 'allow',
  logger: Logger,
): Promise<void> {
  ex.t.upstreamEnd = performance.now();
  const tr = a.prepared.translator;
  let status = a.statusCode;
  let out = a.body ?? Buffer.alloc(0);
  let changed = false;
  if (status >= 400) {
    ex.outcome = 'upstream_error';
    ex.errorCode = `upstream_${status}`;
    if (tr) {
      const e = tr.error(status, parseJson(out) ?? out.toString('utf8'));
      status = e.status;
      out = Buffer.from(JSON.stringify(e.body));
      changed = true;
    }
  } else if (tr || readsAnswer(hooks)) {
    let json = parseJson(out);
    if (json !== undefined) {
      // Usage is read in the upstream's own dialect: it has every number (cache writes, 1-hour share)
      // some client dialects have no field for.
      const from = tr ? a.prepared.upstream : d;
      ex.usage = from.usageFromJson(json);
      ex.usageDialect = from.name;
      if (tr) {
        json = tr.response(json);
        changed = true;
      }
      let r: Awaited<ReturnType<GatewayHooks['inspectResponse']>>;
      try {
        r = await hooks.inspectResponse(ex, json);
      } catch (err) {
        // A failing output check follows --fail-mode, like the input side.
        logger.error({ err, hook: 'inspectResponse', request_id: ex.requestId }, 'hook failed');
        r =
          failMode === 'allow'
            ? {}
            : { error: new GatewayError('KT_ERR_POLICY_FAILED', `The gateway's output check failed and fail-mode is block, so the answer was withheld. Check the gateway log for request ${ex.requestId}.`) };
      }
      if (r.error) {
        ex.errorCode = r.error.code;
        ex.status = r.error.status;
        ex.outcome = 'blocked';
        return writeWhole(res, r.error.status, { ...errorHeaders(r.error) }, Buffer.from(JSON.stringify(d.errorBody(r.error, ex.requestId))), true, ex.requestId);
      }
      if (r.body !== undefined) {
        json = r.body;
        changed = true;
      }
      if (changed) out = Buffer.from(JSON.stringify(json));
    }
  }
  ex.status = status;
  writeWhole(res, status, clientResponseHeaders(a.headers, changed), out, changed, ex.requestId);
}

/** False only when nothing would read a parsed answer (no output check, no usage consumer): it is then not parsed. */
function readsAnswer(h: GatewayHooks): boolean {
  return h.inspectResponse !== noopHooks.inspectResponse || h.settle !== noopHooks.settle || h.record !== noopHooks.record;
}

function writeWhole(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer, json: boolean, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  headers['x-request-id'] = requestId;
  if (json) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

/** Resolves when the socket can take more, or the client is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function relayStream(
  res: ServerResponse,
  ex: Exchange,
  d: Dialect,
  hooks: GatewayHooks,
  a: UpstreamAnswer<Prepared>,
  ac: Cancel,
  logger: Logger,
): Promise<void> {
  const tr = a.prepared.translator;
  const strip = a.prepared.stripUsage === true;
  const guard = hooks.streamGuard(ex);
  const raw = !tr && !guard && !strip;
  const headers = clientResponseHeaders(a.headers, !!tr || !!guard);
  if (tr || guard) headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] ??= 'no-cache';
  headers['x-request-id'] = ex.requestId;
  res.writeHead(a.statusCode, headers);
  ex.status = a.statusCode;

  // Translated streams are folded upstream-side: the translator may drop the usage chunk the client
  // did not ask for, and the upstream dialect carries numbers the client's may not.
  const folder = (tr ? a.prepared.upstream : d).usageFolder();
  ex.usageDialect = (tr ? a.prepared.upstream : d).name;
  const fold = (ev: SseEvent) => folder.push(ev);
  let added: Usage | undefined; // from the usage chunk kt asked for
  const foldAdded = (chunk: Record<string, unknown>) => void (added = d.usageFromJson(chunk));
  let pending = ''; // re-framed output of the current chunk, written once per chunk
  let refused: GatewayError | undefined;
  const emit = (evs: SseEvent[]) => {
    for (const e of evs) pending += formatSse(e);
  };
  const onEvent = raw
    ? fold
    : (ev: SseEvent) => {
        if (refused) return;
        if (strip) {
          // Usage kt asked for on the client's behalf: folded, never relayed (and nothing else carries usage).
          const kept = stripAddedUsage(ev, foldAdded);
          if (!kept) return;
          ev = kept;
          if (!guard) {
            pending += formatSse(ev);
            return;
          }
        }
        if (tr) folder.push(ev);
        const evs = tr ? tr.streamEvent(ev) : [ev];
        for (const e of evs) {
          if (!strip && !tr) folder.push(e);
          if (!guard) emit([e]);
          else {
            emit(guard.push(e));
            if (guard.refusal) {
              refused = guard.refusal;
              return;
            }
          }
        }
      };
  const parser = createSseParser({ onEvent, onError: (err) => logger.warn({ err: err.message, request_id: ex.requestId }, 'upstream SSE event too large') });
  const uncork = () => res.uncork();

  let failure: GatewayError | undefined;
  try {
    let chunk: Buffer | undefined = a.first;
    while (chunk !== undefined && !refused && !res.destroyed) {
      // Writes made within one turn of the event loop (data the upstream already sent, and the end)
      // leave in one packet; nothing waits longer than that turn.
      if (!res.writableCorked) {
        res.cork();
        setImmediate(uncork);
      }
      parser.feed(chunk);
      let ok = true;
      if (raw) ok = res.write(chunk);
      else if (pending) {
        ok = res.write(pending);
        pending = '';
      }
      if (!ok && !res.destroyed) await drained(res);
      const next = await a.rest!.next();
      chunk = next.done ? undefined : next.value;
    }
    parser.end();
  } catch (err) {
    if (!ac.aborted) failure = upstreamError(err, a.target, a.target.streamTimeoutMs);
  }
  ex.t.upstreamEnd = performance.now();
  ex.usage = added ?? folder.usage();
  if (res.destroyed) {
    a.abort?.();
    return;
  }
  if (refused) {
    a.abort?.();
    ex.outcome = 'blocked';
    ex.errorCode = refused.code;
    pending = '';
    emit(d.streamError(refused, ex.requestId));
    res.end(pending);
    return;
  }
  if (!raw) {
    if (tr) for (const e of tr.streamEnd()) guard ? emit(guard.push(e)) : emit([e]);
    if (guard) emit(guard.end());
    // The guard may decide only at the end (e.g. a held-back secret completed by the last chunk).
    if (guard?.refusal && !failure) {
      ex.outcome = 'blocked';
      ex.errorCode = guard.refusal.code;
      emit(d.streamError(guard.refusal, ex.requestId));
    }
  }
  if (failure) {
    ex.outcome = 'upstream_error';
    ex.errorCode = failure.code;
    emit(d.streamError(failure, ex.requestId));
  }
  res.end(pending);
}
