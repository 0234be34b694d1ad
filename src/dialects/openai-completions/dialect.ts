/** OpenAI legacy completions (`POST /v1/completions`), used for fill-in-the-middle by IDE plugins. */
import type { Dialect } from '../dialect.js';
import { chatUsage, chatUsageFolder, openaiChatStreamError, openaiErrorBody } from '../openai-envelope.js';
import { booleanField, runChecks, stringField, textOrArrayField } from '../validate-fields.js';
import { readModel, readStream } from '../request-fields.js';

export const openaiCompletions: Dialect = {
  name: 'openai-completions',
  path: '/completions',
  family: 'openai',
  validate: (body) => runChecks(body, [stringField('model'), textOrArrayField('prompt'), booleanField('stream')]),
  model: readModel,
  stream: readStream,
  errorBody: openaiErrorBody,
  streamError: openaiChatStreamError,
  usageFromJson: chatUsage,
  usageFolder: chatUsageFolder,
};
