/**
 * Anthropic messages (`POST /v1/messages`) and token counting (`POST /v1/messages/count_tokens`).
 * Errors use Anthropic's `{type:"error", error:{type, message}}` with the gateway fields beside them;
 * streamed usage is `message_start.message.usage` updated by `message_delta.usage` (cumulative).
 */
import type { GatewayError } from '../../errors.js';
import type { Usage } from '../../gateway/exchange.js';
import type { Dialect } from '../dialect.js';
import { UNKNOWN_USAGE, isObject, num } from '../dialect.js';
import { arrayField, booleanField, messageList, numberField, runChecks, stringField } from '../validate-fields.js';
import { readModel, readStream } from '../request-fields.js';

function errorBody(err: GatewayError, requestId: string): unknown {
  return {
    type: 'error',
    error: {
      type: err.type,
      message: err.message,
      code: err.extra.reason ?? err.code,
      ...(err.extra.policy ? { policy: err.extra.policy } : {}),
      kt_code: err.code,
    },
    request_id: requestId,
  };
}

/** Merges one `usage` object into the running totals; absent numbers keep what was known. */
function mergeUsage(into: Usage, u: Record<string, unknown>): Usage {
  // (marked edit: evidence) 1-hour cache writes cost more than 5-minute ones; keep their share when there is one.
  const h1 = (isObject(u.cache_creation) ? num(u.cache_creation.ephemeral_1h_input_tokens) : null) ?? into.cacheWrite1hTokens;
  return {
    inputTokens: num(u.input_tokens) ?? into.inputTokens,
    outputTokens: num(u.output_tokens) ?? into.outputTokens,
    cacheReadTokens: num(u.cache_read_input_tokens) ?? into.cacheReadTokens,
    cacheWriteTokens: num(u.cache_creation_input_tokens) ?? into.cacheWriteTokens,
    ...(h1 ? { cacheWrite1hTokens: h1 } : {}),
  };
}

function usageFromJson(body: unknown): Usage | undefined {
  if (!isObject(body) || !isObject(body.usage)) return undefined;
  return mergeUsage({ ...UNKNOWN_USAGE }, body.usage);
}

const base = {
  family: 'anthropic' as const,
  model: readModel,
  errorBody,
  streamError: (err: GatewayError, requestId: string) => [{ event: 'error', data: JSON.stringify(errorBody(err, requestId)) }],
};

export const anthropicMessages: Dialect = {
  ...base,
  name: 'anthropic-messages',
  path: '/messages',
  validate: (body) =>
    runChecks(body, [stringField('model'), arrayField('messages'), messageList('messages'), numberField('max_tokens'), booleanField('stream')]),
  stream: readStream,
  usageFromJson,
  usageFolder() {
    let usage: Usage = { ...UNKNOWN_USAGE };
    return {
      push(ev) {
        if (ev.event !== 'message_start' && ev.event !== 'message_delta') return;
        try {
          const data = JSON.parse(ev.data) as { message?: { usage?: unknown }; usage?: unknown };
          const u = ev.event === 'message_start' ? data.message?.usage : data.usage;
          if (isObject(u)) usage = mergeUsage(usage, u);
        } catch {
          /* relayed as is */
        }
      },
      usage: () => usage,
    };
  },
};

/** count_tokens is not consumption: its `input_tokens` is the answer, so it reports no usage. */
export const anthropicCountTokens: Dialect = {
  ...base,
  name: 'anthropic-count-tokens',
  path: '/messages/count_tokens',
  validate: (body) => runChecks(body, [stringField('model'), arrayField('messages'), messageList('messages')]),
  stream: () => false,
  usageFromJson: () => undefined,
  usageFolder: () => ({ push() {}, usage: () => ({ ...UNKNOWN_USAGE }) }),
};
