/** OpenAI embeddings (`POST /v1/embeddings`): never streamed. */
import type { Dialect } from '../dialect.js';
import { UNKNOWN_USAGE } from '../dialect.js';
import { chatUsage, openaiChatStreamError, openaiErrorBody } from '../openai-envelope.js';
import { runChecks, stringField, textOrArrayField } from '../validate-fields.js';
import { readModel } from '../request-fields.js';

export const openaiEmbeddings: Dialect = {
  name: 'openai-embeddings',
  path: '/embeddings',
  family: 'openai',
  validate: (body) => runChecks(body, [stringField('model'), textOrArrayField('input')]),
  model: readModel,
  stream: () => false,
  errorBody: openaiErrorBody,
  streamError: openaiChatStreamError,
  usageFromJson: chatUsage,
  usageFolder: () => ({ push() {}, usage: () => ({ ...UNKNOWN_USAGE }) }),
};
