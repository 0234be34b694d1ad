/**
 * Error classes shared by every dialect. Status codes are carried through untouched; the kind only
 * chooses the `type` string of the client's envelope. Anthropic types per
 * https://docs.anthropic.com/en/api/errors; OpenAI ones as its API returns them.
 */
import type { NError, NErrorKind } from './neutral.js';

export function kindFromStatus(status: number): NErrorKind {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 504 || status === 408) return 'timeout';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'server';
  return 'invalid_request';
}

const ANTHROPIC_TYPES: Record<NErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  server: 'api_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
};

const OPENAI_TYPES: Record<NErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  server: 'server_error',
  overloaded: 'server_error',
  timeout: 'server_error',
};

export function anthropicErrorType(kind: NErrorKind): string {
  return ANTHROPIC_TYPES[kind];
}

export function openaiErrorType(kind: NErrorKind): string {
  return OPENAI_TYPES[kind];
}

export function kindFromAnthropicType(type: unknown, status: number): NErrorKind {
  for (const [kind, t] of Object.entries(ANTHROPIC_TYPES)) if (t === type) return kind as NErrorKind;
  return kindFromStatus(status);
}

/** A message for bodies that are not the dialect's envelope (HTML from a proxy, plain text). */
export function messageOf(body: unknown, status: number): string {
  if (typeof body === 'string' && body.trim() !== '') return body.length > 2000 ? body.slice(0, 2000) + '…' : body;
  if (body && typeof body === 'object') {
    const m = (body as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  }
  return `upstream returned HTTP ${status}`;
}

/** Parse an OpenAI-shaped error body (`{error:{message,type,code,param}}`, or looser variants). */
export function parseOpenAIError(status: number, body: unknown): NError {
  const e = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; code?: unknown; param?: unknown };
    return {
      status,
      kind: kindFromStatus(status),
      message: typeof o.message === 'string' ? o.message : messageOf(body, status),
      code: typeof o.code === 'string' || typeof o.code === 'number' ? String(o.code) : undefined,
      param: typeof o.param === 'string' ? o.param : undefined,
    };
  }
  if (typeof e === 'string') return { status, kind: kindFromStatus(status), message: e };
  return { status, kind: kindFromStatus(status), message: messageOf(body, status) };
}

const OPENAI_STREAM_KINDS = new Map<string, NErrorKind>([
  ['rate_limit_exceeded', 'rate_limit'],
  ['rate_limit_error', 'rate_limit'],
  ['insufficient_quota', 'rate_limit'],
  ['requests', 'rate_limit'],
  ['tokens', 'rate_limit'],
  ['invalid_request_error', 'invalid_request'],
  ['context_length_exceeded', 'invalid_request'],
  ['invalid_prompt', 'invalid_request'],
  ['authentication_error', 'authentication'],
  ['invalid_api_key', 'authentication'],
  ['permission_error', 'permission'],
  ['not_found_error', 'not_found'],
  ['model_not_found', 'not_found'],
  ['server_error', 'server'],
  ['internal_error', 'server'],
  ['server_is_overloaded', 'overloaded'],
  ['overloaded_error', 'overloaded'],
  ['service_unavailable', 'overloaded'],
  ['timeout', 'timeout'],
]);

/**
 * Kind of an OpenAI-shaped error that arrived inside a 200 stream (no HTTP status of its own): from
 * its `type` or `code` (`rate_limit_error`, `rate_limit_exceeded`, `insufficient_quota`,
 * `server_error` …), `server` when neither says.
 */
export function kindFromOpenAI(type: unknown, code: unknown): NErrorKind {
  for (const v of [code, type]) {
    if (typeof v !== 'string') continue;
    const k = OPENAI_STREAM_KINDS.get(v);
    if (k) return k;
    // Anthropic-style names from OpenAI-compatible proxies in front of Claude.
    for (const [kind, t] of Object.entries(ANTHROPIC_TYPES)) if (t === v) return kind as NErrorKind;
  }
  return 'server';
}

/** An error event inside an OpenAI stream (chat `data:{"error":…}`, Responses `error` / `response.failed`). */
export function parseOpenAIStreamError(body: unknown): NError {
  const e = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  const o = (e && typeof e === 'object' ? e : {}) as { type?: unknown; code?: unknown };
  const kind = kindFromOpenAI(o.type, o.code);
  return { ...parseOpenAIError(statusForKind(kind), body), kind };
}

export function renderOpenAIError(err: NError): { status: number; body: unknown } {
  return {
    status: err.status,
    body: { error: { message: err.message, type: openaiErrorType(err.kind), param: err.param ?? null, code: err.code ?? null } },
  };
}

export function parseAnthropicError(status: number, body: unknown): NError {
  const e = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (e && typeof e === 'object') {
    const o = e as { type?: unknown; message?: unknown };
    return { status, kind: kindFromAnthropicType(o.type, status), message: typeof o.message === 'string' ? o.message : messageOf(body, status) };
  }
  return { status, kind: kindFromStatus(status), message: messageOf(body, status) };
}

export function renderAnthropicError(err: NError): { status: number; body: unknown } {
  return { status: err.status, body: { type: 'error', error: { type: anthropicErrorType(err.kind), message: err.message } } };
}

/** For errors that arrive inside a stream (no HTTP status of their own). */
export function statusForKind(kind: NErrorKind): number {
  const s: Record<NErrorKind, number> = {
    invalid_request: 400,
    authentication: 401,
    permission: 403,
    not_found: 404,
    request_too_large: 413,
    rate_limit: 429,
    server: 500,
    overloaded: 529,
    timeout: 504,
  };
  return s[kind];
}
