/**
 * The neutral model every translation passes through: a client request is parsed into it and the
 * upstream request built from it; an upstream response/stream/error is parsed into it and rendered in
 * the client's dialect. With it each dialect has one parser and one builder per direction, and a pair
 * file only composes them (plus its delta). Types only.
 */

export interface NText {
  type: 'text';
  text: string;
  /** Anthropic `cache_control`, kept when both sides know it (never added or moved). */
  cacheControl?: unknown;
}
export interface NImage {
  type: 'image';
  source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };
  detail?: string;
}
export interface NToolCall {
  type: 'tool_call';
  id: string;
  name: string;
  /** JSON text, as OpenAI carries it. */
  arguments: string;
  /** Responses `custom` (free-form) tool calls carry raw input instead of JSON arguments. */
  custom?: boolean;
}
export interface NToolResult {
  type: 'tool_result';
  callId: string;
  content: string | Array<NText | NImage>;
  isError?: boolean;
  custom?: boolean;
  cacheControl?: unknown;
}

export type NMessage =
  | { role: 'system'; kind: 'system' | 'developer'; parts: NText[] }
  | { role: 'user'; parts: Array<NText | NImage | NToolResult> }
  | { role: 'assistant'; parts: Array<NText | NToolCall> };

export interface NTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: unknown;
}

export type NToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export interface NRequest {
  model: string;
  stream: boolean;
  /** System prompts stay where they were, in order; builders that need them on top hoist them. */
  messages: NMessage[];
  tools: NTool[];
  toolChoice?: NToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  /** End-user id: OpenAI `user`, Anthropic `metadata.user_id`. */
  user?: string;
  metadata?: Record<string, string>;
  /** Structured output: a JSON Schema the answer must follow, or plain JSON mode. */
  responseFormat?: { type: 'json_schema'; name: string; schema: unknown; strict?: boolean; description?: string } | { type: 'json_object' };
}

/** Usage in Anthropic's terms: `input` excludes cache reads and writes. `undefined` = unknown. */
export interface NUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export type NStop = 'end' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'content_filter';

export type NOutPart = NText | NToolCall | { type: 'thinking'; text: string };

export interface NResponse {
  id?: string;
  model?: string;
  parts: NOutPart[];
  stop: NStop;
  stopSequence?: string | null;
  usage?: NUsage;
}

export type NErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'server'
  | 'overloaded'
  | 'timeout';

export interface NError {
  status: number;
  kind: NErrorKind;
  message: string;
  /** Provider's own code (OpenAI `code`), carried to OpenAI-shaped clients. */
  code?: string;
  param?: string;
}

/**
 * Upstream stream, reduced to what every dialect can express. Tool calls are keyed so parallel calls
 * can interleave. Readers emit `done` when the upstream's terminal event arrives.
 */
export type NStreamEvent =
  | { t: 'start'; id?: string; model?: string; usage?: NUsage }
  | { t: 'text'; text: string }
  | { t: 'thinking'; text: string }
  | { t: 'tool_start'; key: string; id: string; name: string }
  | { t: 'tool_args'; key: string; delta: string }
  | { t: 'usage'; usage: NUsage }
  | { t: 'finish'; stop: NStop; stopSequence?: string | null }
  | { t: 'error'; error: NError }
  | { t: 'done' };

/** What a client dialect does: parse its request, render responses, streams and errors. */
export interface ClientCodec {
  parseRequest(body: unknown): NRequest;
  renderResponse(res: NResponse): unknown;
  createStreamWriter(): NStreamWriter;
  renderError(err: NError): { status: number; body: unknown };
}

/** What an upstream dialect does: build its request, parse its responses, streams and errors. */
export interface UpstreamCodec {
  route: string;
  buildRequest(req: NRequest): Record<string, unknown>;
  parseResponse(body: unknown): NResponse;
  createStreamReader(): NStreamReader;
  parseError(status: number, body: unknown): NError;
}

export interface NStreamReader {
  read(data: { event?: string; data: string }): NStreamEvent[];
}

/** Client-side stream state machine. `end()` emits the closing events exactly once. */
export interface NStreamWriter {
  write(ev: NStreamEvent): Array<{ event?: string; data: string }>;
  end(): Array<{ event?: string; data: string }>;
}
