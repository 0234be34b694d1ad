/**
 * Which demo endpoint a request path names: `/v1/<route>`, the same without `/v1`, and Azure's
 * `/openai/deployments/{deployment}/<route>?api-version=…`. The query never matters.
 */
import type { DialectName } from '../../dialects/types.js';

export type DemoRoute =
  | { kind: 'api'; dialect: DialectName; deployment?: string }
  | { kind: 'models' }
  | { kind: 'root' }
  | { kind: 'not-found' };

const API: Record<string, DialectName> = {
  'chat/completions': 'openai-chat',
  responses: 'openai-responses',
  completions: 'openai-completions',
  embeddings: 'openai-embeddings',
  messages: 'anthropic-messages',
  'messages/count_tokens': 'anthropic-count-tokens',
};

const AZURE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings|responses)\/?$/;
// (marked edit: proxy) the same formats under other providers' paths, as the forward proxy forwards them:
// Copilot's legacy engines route (the engine names the model, like a deployment), Azure v1, Gemini's OpenAI endpoint.
const ENGINE = /^(?:\/v1)?\/engines\/([^/]+)\/(completions)\/?$/;
const COMPAT_PREFIX = /^\/(?:openai\/v1|v1beta\/openai|v1\/openai)(?=\/)/;

export function pathnameOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function matchRoute(method: string, url: string): DemoRoute {
  const path = pathnameOf(url);
  if (path === '/' || path === '') return { kind: 'root' };
  const azure = AZURE.exec(path) ?? ENGINE.exec(path); // (marked edit: proxy)
  if (azure) return method === 'POST' ? { kind: 'api', dialect: API[azure[2]], deployment: decodeURIComponent(azure[1]) } : { kind: 'not-found' };
  const rest = path.replace(COMPAT_PREFIX, '').replace(/^\/v1(?=\/)/, '').replace(/^\//, '').replace(/\/$/, '');
  if (rest === 'models' && method === 'GET') return { kind: 'models' };
  if (rest === 'openai/models' && method === 'GET') return { kind: 'models' };
  const dialect = API[rest];
  if (dialect && method === 'POST') return { kind: 'api', dialect };
  return { kind: 'not-found' };
}
