/**
 * Contract of a translator between a client dialect and a different upstream dialect (STYLE #4).
 * One instance per request; it holds the stream state. Same-dialect traffic never gets one: it is
 * passed through untouched.
 */
import type { DialectName } from '../dialects/types.js';
import type { SseEvent } from '../sse/parser.js';

export interface Translator {
  /** Client-dialect request body → upstream body and the upstream route (e.g. '/v1/chat/completions'). */
  request(body: unknown): { body: unknown; route: string };
  /** Buffered upstream JSON response → client-dialect JSON. */
  response(body: unknown): unknown;
  /** One upstream SSE event → zero or more client-dialect events. */
  streamEvent(ev: SseEvent): SseEvent[];
  /** The upstream stream ended (cleanly or not): the closing events the client's dialect requires. */
  streamEnd(): SseEvent[];
  /** Upstream error (status and parsed body, or raw text) → client-dialect error, status preserved. */
  error(status: number, body: unknown): { status: number; body: unknown };
}

/** Per-target facts a translator may need (optional; defaults suit OpenAI-compatible servers). */
export interface TranslateOptions {
  /** Provider kind of the target (`openai`, `azure-openai`, `openai-compatible`, `anthropic`, `demo` …). */
  provider?: string;
}

export interface TranslatorPair {
  from: DialectName;
  to: DialectName;
  create(opts?: TranslateOptions): Translator;
}
