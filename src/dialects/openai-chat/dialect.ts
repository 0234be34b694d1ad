/** OpenAI chat completions (`POST /v1/chat/completions`). */
import type { Dialect } from '../dialect.js';
import { chatUsage, chatUsageFolder, openaiChatStreamError, openaiErrorBody } from '../openai-envelope.js';
import { arrayField, booleanField, messageList, runChecks, stringField } from '../validate-fields.js';
import { readModel, readStream } from '../request-fields.js';

export const openaiChat: Dialect = {
  name: 'openai-chat',
  path: '/chat/completions',
  family: 'openai',
  validate: (body) => runChecks(body, [stringField('model'), arrayField('messages'), messageList('messages'), booleanField('stream')]),
  model: readModel,
  stream: readStream,
  errorBody: openaiErrorBody,
  streamError: openaiChatStreamError,
  usageFromJson: chatUsage,
  usageFolder: chatUsageFolder,
};
