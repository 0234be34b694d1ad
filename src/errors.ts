/**
 * Every error the gateway itself produces, by code. Dialects render these into their own envelope
 * (OpenAI `{error:{message,type,code}}`, Anthropic `{type:"error",error:{type,message}}`) and add the
 * documented fields `type`, `code`, `policy`. docs/errors.md has one row per code; errors.test.ts
 * keeps the two in sync. Callers match on `code`, never on messages.
 */

export type ErrorType = 'policy_violation' | 'rate_limit' | 'upstream_error' | 'validation_error' | 'gateway_error' | 'authentication_error';

export interface ErrorSpec {
  status: number;
  type: ErrorType;
  /** Whether a client may retry the same request (drives `x-should-retry`). */
  retryable: boolean;
  /** One-line description for docs/errors.md. */
  description: string;
}

export const ERRORS = {
  KT_ERR_INVALID_JSON: { status: 400, type: 'validation_error', retryable: false, description: 'The request body is not valid JSON.' },
  KT_ERR_INVALID_REQUEST: { status: 400, type: 'validation_error', retryable: false, description: 'The request body does not have the shape the endpoint expects.' },
  KT_ERR_BODY_TOO_LARGE: { status: 413, type: 'validation_error', retryable: false, description: 'The request body is larger than gateway.max_body_bytes.' },
  KT_ERR_NOT_FOUND: { status: 404, type: 'validation_error', retryable: false, description: 'No such route on the gateway, or a route prefix no scope accepts.' },
  KT_ERR_NO_TARGET: { status: 400, type: 'gateway_error', retryable: false, description: 'No provider target serves the requested model or format.' },
  KT_ERR_POLICY_BLOCKED: { status: 400, type: 'policy_violation', retryable: false, description: 'A policy blocked the request or response.' },
  // (marked edit: policy engine) 400, not 500: Codex and Claude Code retry 5xx in storms (CLIENTS.md).
  KT_ERR_POLICY_FAILED: { status: 400, type: 'policy_violation', retryable: false, description: 'A policy failed and --fail-mode is block.' },
  KT_ERR_UPSTREAM_UNREACHABLE: { status: 502, type: 'upstream_error', retryable: true, description: 'No provider target could be reached.' },
  KT_ERR_UPSTREAM_TIMEOUT: { status: 504, type: 'upstream_error', retryable: true, description: 'The provider did not answer in time.' },
  KT_ERR_NOT_READY: { status: 503, type: 'gateway_error', retryable: true, description: 'The gateway has no loaded configuration yet.' },
  KT_ERR_UNAUTHENTICATED: { status: 401, type: 'authentication_error', retryable: false, description: 'A gateway access key is required and was missing or invalid.' },
  KT_ERR_RATE_LIMITED: { status: 429, type: 'rate_limit', retryable: true, description: 'A rate limit of the key or user was reached; retry after Retry-After.' },
  // Forward proxy only, for hosts that are not LLM APIs: 403 is what any HTTP client expects from a proxy.
  KT_ERR_PROXY_DENIED: { status: 403, type: 'gateway_error', retryable: false, description: 'The forward proxy refuses a host it does not intercept (proxy.passthrough: deny).' },
  KT_ERR_BUDGET_EXCEEDED: { status: 400, type: 'policy_violation', retryable: false, description: 'An enforced budget would be exceeded by this request.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error the gateway renders to the client. `message` is shown verbatim by every client. */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      /** Documented sub-code: input_blocked, output_blocked, budget_exceeded, escalation_required … */
      reason?: string;
      policy?: string;
      headers?: Record<string, string>;
      status?: number;
    } = {},
  ) {
    super(message);
    const spec: ErrorSpec = ERRORS[code];
    this.name = 'GatewayError';
    this.status = extra.status ?? spec.status;
    this.type = spec.type;
    this.retryable = spec.retryable;
  }
}
