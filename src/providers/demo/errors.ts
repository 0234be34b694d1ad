import type { DialectName } from '../../dialects/types.js';
import { formatSse } from '../../sse/writer.js';

/**
 * Error bodies in each provider's own shape and status, as the real APIs send them:
 * OpenAI `{error:{message,type,param,code}}`, Anthropic `{type:"error",error:{type,message},request_id}`.
 * https://docs.anthropic.com/en/api/errors · https://platform.openai.com/docs/guides/error-codes
 */

export type ErrorFamily = 'openai' | 'anthropic';

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

const OPENAI_TYPE: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'unknown_url' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
  529: { type: 'server_error', code: null },
};

const DEFAULT_MESSAGE: Record<number, string> = {
  429: 'Rate limit reached for the demo provider (fault injection). Please try again in 1s.',
  500: 'The demo provider had an internal error (fault injection).',
  503: 'The demo provider is temporarily unavailable (fault injection).',
  529: 'Overloaded',
};

export function errorMessageFor(status: number): string {
  return DEFAULT_MESSAGE[status] ?? `Demo provider error ${status} (fault injection).`;
}

export function errorBody(family: ErrorFamily, status: number, message: string, requestId: string, param: string | null = null): unknown {
  if (family === 'anthropic') {
    const type = ANTHROPIC_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return { type: 'error', error: { type, message }, request_id: requestId };
  }
  const t = OPENAI_TYPE[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
  return { error: { message, type: t.type, param, code: t.code } };
}

/**
 * The error event a provider sends inside a stream that already answered 200: Anthropic
 * `event: error` (e.g. overloaded_error), Responses `event: error` with its sequence number, and
 * chat/completions a bare `data: {"error":…}` with no `[DONE]` after it.
 */
export function streamErrorFrame(dialect: DialectName, status: number, requestId: string, sequence: number): string {
  const message = errorMessageFor(status);
  if (dialect.startsWith('anthropic')) {
    return formatSse({ event: 'error', data: JSON.stringify(errorBody('anthropic', status, message, requestId)) });
  }
  const { error } = errorBody('openai', status, message, requestId) as { error: { type: string; code: string | null; param: null } };
  if (dialect === 'openai-responses') {
    return formatSse({ event: 'error', data: JSON.stringify({ type: 'error', sequence_number: sequence, code: error.code ?? error.type, message, param: null }) });
  }
  return formatSse({ data: JSON.stringify({ error: { message, type: error.type, param: null, code: error.code } }) });
}
