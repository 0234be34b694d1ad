/** OpenAI (api.openai.com): every OpenAI dialect natively, `Authorization: Bearer $OPENAI_API_KEY`. */
import type { ProviderKind } from './types.js';
import { withQuery } from './base-url.js';

const OPENAI_DIALECTS = ['openai-chat', 'openai-responses', 'openai-completions', 'openai-embeddings'] as const;
const ANTHROPIC_DIALECTS = ['anthropic-messages', 'anthropic-count-tokens'] as const;

export const openaiProvider: ProviderKind = {
  name: 'openai',
  defaultFormat: 'openai',
  defaultBaseUrl: 'https://api.openai.com',
  defaultKeyEnv: 'OPENAI_API_KEY',
  authHeader: 'authorization',
  authPrefix: 'Bearer ',
  accepts: (format) => (format === 'anthropic' ? ANTHROPIC_DIALECTS : OPENAI_DIALECTS),
  path: (t, d, q) => withQuery(`${t.basePath}/v1${d.path}`, q),
  streamUsage: true,
};

export { OPENAI_DIALECTS, ANTHROPIC_DIALECTS };
