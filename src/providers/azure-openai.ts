/**
 * Azure OpenAI. Without `api_version` the target uses Azure's v1 API (`/openai/v1/…`, model in the
 * body); with `api_version` the classic deployment route `/openai/deployments/{deployment}/…?api-version=`.
 * The key goes in `api-key` (no prefix) unless `api_key_header` says otherwise.
 */
import type { ProviderKind } from './types.js';
import { OPENAI_DIALECTS, ANTHROPIC_DIALECTS } from './openai.js';

export const azureOpenaiProvider: ProviderKind = {
  name: 'azure-openai',
  defaultFormat: 'openai',
  defaultKeyEnv: 'AZURE_OPENAI_API_KEY',
  authHeader: 'api-key',
  authPrefix: '',
  streamUsage: true,
  accepts: (format) => (format === 'anthropic' ? ANTHROPIC_DIALECTS : OPENAI_DIALECTS),
  path(t, d) {
    const version = t.config.api_version;
    if (!version) return `${t.basePath}/openai/v1${d.path}`;
    const deployment = encodeURIComponent(t.config.deployment ?? t.model ?? '');
    return `${t.basePath}/openai/deployments/${deployment}${d.path}?api-version=${encodeURIComponent(version)}`;
  },
};
