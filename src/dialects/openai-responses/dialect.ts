/**
 * OpenAI Responses (`POST /v1/responses`), the only API Codex CLI speaks. Stream errors use the
 * `error` event of the Responses stream; usage arrives in `response.completed` (or `.incomplete`/`.failed`).
 */
import type { Usage } from '../../gateway/exchange.js';
import type { Dialect } from '../dialect.js';
import { UNKNOWN_USAGE, isObject, num } from '../dialect.js';
import { openaiErrorBody } from '../openai-envelope.js';
import { booleanField, runChecks, stringField, textOrArrayField } from '../validate-fields.js';
import { readModel, readStream } from '../request-fields.js';

function responsesUsage(response: unknown): Usage | undefined {
  if (!isObject(response) || !isObject(response.usage)) return undefined;
  const u = response.usage;
  const inDetails = isObject(u.input_tokens_details) ? u.input_tokens_details : undefined;
  return {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    cacheReadTokens: inDetails ? num(inDetails.cached_tokens) : null,
    cacheWriteTokens: inDetails ? num(inDetails.cache_write_tokens) : null,
  };
}

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export const openaiResponses: Dialect = {
  name: 'openai-responses',
  path: '/responses',
  family: 'openai',
  // `input` may be absent when `previous_response_id` or a stored prompt carries the conversation.
  validate: (body) => runChecks(body, [stringField('model', false), textOrArrayField('input', false), booleanField('stream')]),
  model: readModel,
  stream: readStream,
  errorBody: openaiErrorBody,
  streamError: (err, requestId) => [
    {
      event: 'error',
      data: JSON.stringify({
        type: 'error',
        code: err.extra.reason ?? err.code,
        message: err.message,
        param: null,
        kt_type: err.type,
        kt_code: err.code,
        ...(err.extra.policy ? { policy: err.extra.policy } : {}),
        request_id: requestId,
      }),
    },
  ],
  usageFromJson: responsesUsage,
  usageFolder() {
    let last: Usage | undefined;
    return {
      push(ev) {
        const type = ev.event;
        if (type !== undefined && !FINAL_EVENTS.has(type)) return;
        if (!ev.data.includes('"usage"')) return;
        try {
          const data = JSON.parse(ev.data) as { type?: string; response?: unknown };
          if (type === undefined && !FINAL_EVENTS.has(String(data.type))) return;
          last = responsesUsage(data.response) ?? last;
        } catch {
          /* relayed as is */
        }
      },
      usage: () => last ?? { ...UNKNOWN_USAGE },
    };
  },
};
