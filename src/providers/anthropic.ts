/**
 * Anthropic (api.anthropic.com): messages and count_tokens natively, `x-api-key: $ANTHROPIC_API_KEY`.
 * A client of another dialect sends no `anthropic-version`, which the API requires, so one is added
 * when absent; a client's own value (and every `anthropic-beta`) is forwarded untouched.
 */
import type { ProviderKind } from './types.js';
import { withQuery } from './base-url.js';
import { ANTHROPIC_DIALECTS, OPENAI_DIALECTS } from './openai.js';

export const anthropicProvider: ProviderKind = {
  name: 'anthropic',
  defaultFormat: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  defaultKeyEnv: 'ANTHROPIC_API_KEY',
  authHeader: 'x-api-key',
  authPrefix: '',
  accepts: (format) => (format === 'openai' ? OPENAI_DIALECTS.filter((d) => d === 'openai-chat') : ANTHROPIC_DIALECTS),
  path: (t, d, q) => withQuery(`${t.basePath}/v1${d.path}`, q),
  defaultHeaders: () => ({ 'anthropic-version': '2023-06-01' }),
};
