/**
 * What the gateway core needs from one client wire format: read the few request fields routing needs,
 * validate the shape just enough to name a bad field, render gateway errors in the format's own
 * envelope (JSON and as a closing stream event), and read token usage from JSON or a stream.
 */
import type { GatewayError } from '../errors.js';
import type { Usage } from '../gateway/exchange.js';
import type { SseEvent } from '../sse/parser.js';
import type { DialectName } from './types.js';

export interface UsageFolder {
  /** Feed each upstream SSE event (in this dialect). */
  push(ev: SseEvent): void;
  /** Usage seen so far; fields stay null when the stream never reported them. */
  usage(): Usage;
}

export interface Dialect {
  name: DialectName;
  /** Upstream path under the provider's `/v1` (e.g. `/chat/completions`). */
  path: string;
  /** Error family: decides the envelope shape of gateway errors. */
  family: 'openai' | 'anthropic';
  /** Returns a message naming the first bad field, or undefined when the body is usable. */
  validate(body: unknown): string | undefined;
  model(body: unknown): string | undefined;
  stream(body: unknown): boolean;
  /** The JSON body of a gateway error in this dialect's envelope, with `type`, `code`, `policy`, `message`. */
  errorBody(err: GatewayError, requestId: string): unknown;
  /** Events that end a stream with this error, in the order the client expects them. */
  streamError(err: GatewayError, requestId: string): SseEvent[];
  usageFromJson(body: unknown): Usage | undefined;
  usageFolder(): UsageFolder;
}

export const UNKNOWN_USAGE: Usage = { inputTokens: null, outputTokens: null, cacheReadTokens: null, cacheWriteTokens: null };

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
