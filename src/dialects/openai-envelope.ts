/**
 * Error envelope and usage shapes shared by the OpenAI dialects. The SDK reads `error.message`,
 * `error.type`, `error.code` and `error.param`; the documented gateway fields (`type`, `code`, `policy`)
 * sit inside the same `error` object so an unmodified client parses them.
 */
import type { GatewayError } from '../errors.js';
import type { Usage } from '../gateway/exchange.js';
import type { SseEvent } from '../sse/parser.js';
import { UNKNOWN_USAGE, isObject, num, type UsageFolder } from './dialect.js';

export function openaiErrorBody(err: GatewayError, requestId: string): unknown {
  return {
    error: {
      message: err.message,
      type: err.type,
      code: err.extra.reason ?? err.code,
      param: null,
      ...(err.extra.policy ? { policy: err.extra.policy } : {}),
      kt_code: err.code,
      request_id: requestId,
    },
  };
}

/** Chat and legacy completions streams carry an error as a bare `data: {"error": …}` event. */
export function openaiChatStreamError(err: GatewayError, requestId: string): SseEvent[] {
  return [{ data: JSON.stringify(openaiErrorBody(err, requestId)) }];
}

/** `usage` of chat / completions / embeddings (`prompt_tokens`, `completion_tokens`, cached tokens). */
export function chatUsage(body: unknown): Usage | undefined {
  if (!isObject(body) || !isObject(body.usage)) return undefined;
  const u = body.usage;
  const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : undefined;
  return {
    inputTokens: num(u.prompt_tokens),
    outputTokens: num(u.completion_tokens) ?? (u.completion_tokens === undefined && num(u.prompt_tokens) !== null ? 0 : null),
    cacheReadTokens: details ? num(details.cached_tokens) : null,
    // OpenAI itself reports no cache writes; OpenAI-compatible servers in front of Anthropic models do.
    cacheWriteTokens: details ? num(details.cache_write_tokens) : null,
  };
}

/** Chat / completions streams report usage in their final chunk (when `stream_options.include_usage`). */
export function chatUsageFolder(): UsageFolder {
  let last: Usage | undefined;
  return {
    push(ev) {
      // With include_usage every content chunk carries "usage":null: skip those without parsing them. (marked edit: gateway core)
      if (ev.data === '[DONE]' || !ev.data.includes('"usage"') || ev.data.includes('"usage":null')) return;
      try {
        const u = chatUsage(JSON.parse(ev.data));
        if (u) last = u;
      } catch {
        /* a malformed chunk is relayed as is; usage stays unknown */
      }
    },
    usage: () => last ?? { ...UNKNOWN_USAGE },
  };
}
