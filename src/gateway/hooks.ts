/**
 * The pipeline's hook points. One GatewayHooks object is built per loaded config (gateway/assemble.ts);
 * a reload builds a new one and in-flight exchanges keep the one they started with. Identity, cost,
 * policy and audit provide the implementations; the defaults below do nothing, so the core runs alone.
 *
 *   identify → admit → inspectRequest → [route + dispatch] → inspectResponse | streamGuard → settle → record
 */
import type { GatewayError } from '../errors.js';
import type { SseEvent } from '../sse/parser.js';
import type { Exchange } from './exchange.js';

/** Guards one client-dialect SSE stream. One instance per request; holds stream state. */
export interface StreamGuard {
  /** Feed one event as the client would receive it; returns what may be emitted now (some may be held back). */
  push(ev: SseEvent): SseEvent[];
  /** Upstream finished: returns everything still held, redacted, plus any closing events. */
  end(): SseEvent[];
  /** Set once the guard decided the stream must end with an error event. */
  readonly refusal?: GatewayError;
}

export interface GatewayHooks {
  /** Principal, client, conversation id, scope. Returns an error to refuse (authentication). */
  identify(ex: Exchange): Promise<GatewayError | undefined>;
  /** Rate limits and budget reservation. Returns an error to refuse. */
  admit(ex: Exchange): Promise<GatewayError | undefined>;
  /** Input and tool phases over the request; may edit ex.body (sets ex.bodyEdited). */
  inspectRequest(ex: Exchange): Promise<GatewayError | undefined>;
  /** Output phase over a buffered response in the client's dialect; may return a replacement body. */
  inspectResponse(ex: Exchange, body: unknown): Promise<{ body?: unknown; error?: GatewayError }>;
  /** A guard for a streamed response, or undefined when no output policy needs one (zero overhead). */
  streamGuard(ex: Exchange): StreamGuard | undefined;
  /** After the response: settle the budget reservation on actual usage. */
  settle(ex: Exchange): Promise<void>;
  /** Record the decision event. Must not throw and must not block the response. */
  record(ex: Exchange): void;
}

export const noopHooks: GatewayHooks = {
  identify: async () => undefined,
  admit: async () => undefined,
  inspectRequest: async () => undefined,
  inspectResponse: async () => ({}),
  streamGuard: () => undefined,
  settle: async () => undefined,
  record: () => undefined,
};
