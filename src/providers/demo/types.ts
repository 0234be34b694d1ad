/**
 * Public contract of the demo provider: the one fake upstream every test and benchmark uses, and the
 * `demo` provider kind of the gateway. Types only.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  method: string;
  /** Path with its query string, exactly as received. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body bytes exactly as received (byte-exact pass-through assertions compare these). */
  rawBody: Buffer;
  /** Parsed body when it was valid JSON. */
  json?: unknown;
  receivedAt: number;
}

export type FaultKind =
  | 'status' // answer `status` (default 500) with the dialect's error body
  | 'reset' // destroy the socket before any byte
  | 'reset-mid-stream' // destroy the socket after `afterEvents` events (default 2)
  | 'slow-first-byte' // wait `ms` before the first byte
  | 'hang' // accept, never answer (close() still ends it)
  | 'slow-chunks' // wait `ms` between stream events
  | 'truncate' // end the stream without its closing events
  | 'error-mid-stream'; // after `afterEvents` events (default 2), the dialect's in-stream error event, then end

export interface FaultMatch {
  /** Pathname (query ignored) equal to or ending with this string, or matching this RegExp. */
  path?: string | RegExp;
  /** Exact `model` of the request (for Azure routes, the deployment when the body has none). */
  model?: string;
}

export interface FaultSpec {
  kind: FaultKind;
  /** For `status` (default 500) and `error-mid-stream` (default 529 on Anthropic routes, else 500). */
  status?: number;
  /** Extra response headers (e.g. `retry-after`); 429 gets `retry-after: 1` unless given. */
  headers?: Record<string, string>;
  /** For `reset-mid-stream` / `error-mid-stream`: events written before the cut. */
  afterEvents?: number;
  /** For `slow-first-byte` / `slow-chunks`. */
  ms?: number;
  /** How many requests it applies to; default 1. `Infinity` for all. */
  times?: number;
  when?: FaultMatch;
}

export interface FaultPlan {
  add(fault: FaultSpec): void;
  clear(): void;
  /** Faults not used up yet, in the order they are tried. */
  readonly pending: readonly FaultSpec[];
}

/**
 * Usage override, in Anthropic's terms: `input_tokens` excludes cache reads and writes. OpenAI
 * dialects report prompt_tokens = input + cache read + cache write, cached_tokens = cache read.
 */
export interface DemoUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface ScriptedToolCall {
  name: string;
  /** JSON text of the arguments, sent as-is (split into several deltas when streaming). */
  arguments: string;
}

export interface ScriptedReply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Raw bytes written as separate socket writes (body of a JSON answer or the whole SSE stream). */
  rawChunks?: (string | Buffer)[];
  /** Status for a rawChunks answer (default 200). */
  status?: number;
  /** Extra headers for a rawChunks answer (content-type defaults to the dialect's). */
  headers?: Record<string, string>;
  usage?: DemoUsage;
  /** How many answers use it; default 1. */
  times?: number;
  when?: FaultMatch;
}

export interface DemoServerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Delay before every answer's first byte. */
  latencyMs?: number;
  /** Delay between stream events. */
  chunkDelayMs?: number;
  /** When set, requests must carry it (`x-api-key`, `Authorization: Bearer`, or Azure `api-key`). */
  requireKey?: string;
  /** Keep `requests` (default true). Benchmarks and the gateway's embedded demo turn it off. */
  record?: boolean;
  /** When the recorded bodies exceed this many bytes, the oldest records are dropped (default 64 MiB). */
  maxRecordedBytes?: number;
}

export interface DemoServer {
  /** `http://127.0.0.1:PORT` (https when tls). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  faults: FaultPlan;
  script(reply: ScriptedReply): void;
  /** Forget recorded requests, faults and scripts. */
  reset(): void;
  /** Stops listening and destroys open sockets, hung requests included. */
  close(): Promise<void>;
}
