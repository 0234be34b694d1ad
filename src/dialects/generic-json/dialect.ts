/**
 * A JSON body on a path no dialect knows, seen through the forward proxy (`proxy.unknown_paths: scan`).
 * Only the input side is governed: its string values are scanned and redacted in place
 * (`./segments.ts`); answers are relayed as they come (no usage, no output policies). Errors kt itself
 * returns use the OpenAI envelope, the most common shape among such clients.
 */
import { UNKNOWN_USAGE, isObject, type Dialect } from '../dialect.js';
import { openaiChatStreamError, openaiErrorBody } from '../openai-envelope.js';

export const genericJson: Dialect = {
  name: 'generic-json',
  path: '',
  family: 'openai',
  validate: (body) => (typeof body === 'object' && body !== null ? undefined : 'the request body must be a JSON object or array'),
  model: (body) => (isObject(body) && typeof body.model === 'string' ? body.model : undefined),
  stream: (body) => isObject(body) && body.stream === true,
  errorBody: openaiErrorBody,
  streamError: openaiChatStreamError,
  usageFromJson: () => undefined,
  usageFolder: () => ({ push: () => undefined, usage: () => ({ ...UNKNOWN_USAGE }) }),
};
