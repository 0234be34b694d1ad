/**
 * Decision events for forward-proxy traffic that does not go through the governed path: requests
 * relayed as is (`dialect: passthrough`), CONNECT tunnels and intercepted TLS sessions (`route:
 * CONNECT`, `dialect: tunnel`), and refusals. They go through the same `identify` (for who) and
 * `record` hooks as API requests, so they land in the same store and `kt events tail` shows them.
 * Only the host, the method, the path, status, byte counts and timing are kept — never content.
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dialect } from '../dialects/dialect.js';
import type { GatewayContext } from '../gateway/context.js';
import { newExchange } from '../gateway/exchange-factory.js';
import type { Verdict } from '../policy/types.js';

export interface ProxyEvent {
  /** The request (for CONNECT: the CONNECT request) — its headers give the client and identity. */
  req: IncomingMessage;
  kind: 'passthrough' | 'tunnel';
  /** `CONNECT` for connections; the path (no query) for relayed requests. */
  route: string;
  host: string;
  proxyCredential?: string;
  /** The `x-request-id` already sent to the client, if any. */
  requestId?: string;
  /** performance.now() and Date.now() when it began. */
  startPerf: number;
  startedAt: number;
  status?: number;
  outcome: string;
  verdict?: Verdict;
  reasonCode?: string;
  errorCode?: string;
  bytesUp?: number;
  bytesDown?: number;
}

// Connection records are not a wire format; the event's `dialect` field is a plain string.
const pseudo = (name: string) => ({ name }) as unknown as Dialect;
const PASSTHROUGH = pseudo('passthrough');
const TUNNEL = pseudo('tunnel');
const MAX_ROUTE = 200;

const pending = new Set<Promise<void>>();

/** Resolves when every event handed to recordProxyEvent so far is recorded (shutdown waits for it). */
export async function proxyEventsSettled(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

/** Records one event; never throws and never delays the caller (identify runs after it returned). */
export function recordProxyEvent(gw: Pick<GatewayContext, 'current' | 'logger'>, e: ProxyEvent): void {
  const rt = gw.current();
  const ex = newExchange(e.req, e.route.slice(0, MAX_ROUTE), e.kind === 'tunnel' ? TUNNEL : PASSTHROUGH, rt.loaded.version, e.startPerf);
  ex.startedAt = e.startedAt;
  if (e.requestId) ex.requestId = e.requestId;
  ex.viaProxy = true;
  ex.proxyCredential = e.proxyCredential;
  ex.proxyConn = { host: e.host, bytesUp: e.bytesUp, bytesDown: e.bytesDown };
  ex.status = e.status;
  ex.outcome = e.outcome;
  ex.verdict = e.verdict ?? 'allow';
  ex.reasonCode = e.reasonCode;
  ex.errorCode = e.errorCode;
  // Nothing was inspected, so what it cost is unknown (never guessed as 0).
  ex.costUsd = null;
  ex.t.end = performance.now();
  const done = (async () => {
    try {
      // Identity only: the proxy already admitted the connection, so an identify refusal changes nothing.
      await rt.hooks.identify(ex);
    } catch {
      /* the event still says what happened, without a principal */
    }
    // rbac runs inside identify; nothing it says applies to traffic that was never governed.
    ex.policyResults = [];
    ex.verdict = e.verdict ?? 'allow';
    ex.reasonCode = e.reasonCode;
    try {
      rt.hooks.record(ex);
    } catch (err) {
      gw.logger.error({ err: (err as Error).message }, 'could not record the proxy event');
    }
  })();
  pending.add(done);
  void done.finally(() => pending.delete(done));
}
