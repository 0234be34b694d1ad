/**
 * The target of a request intercepted by the forward proxy: the host the client asked for, reached
 * over its own scheme with normal certificate checks, the client's credentials passed through and the
 * path kept as sent. Its kind follows the host so defaults (e.g. `anthropic-version`) still apply.
 */
import type { ViaProxy } from '../gateway/context.js';
import { anthropicProvider } from './anthropic.js';
import { DIALECTS } from '../dialects/types.js'; // (marked edit: proxy)
import { openaiProvider } from './openai.js';
import type { ResolvedTarget } from './types.js';

/** Who runs an intercepted host, for events and cost attribution (the wire behaviour follows `kind`). */
const HOST_PROVIDERS: [RegExp, string][] = [
  [/(^|\.)anthropic\.com$/i, 'anthropic'],
  [/\.openai\.azure\.com$|\.cognitiveservices\.azure\.com$|\.services\.ai\.azure\.com$/i, 'azure-openai'],
  [/(^|\.)googleapis\.com$/i, 'google'],
  [/(^|\.)githubcopilot\.com$|^copilot-proxy\.githubusercontent\.com$/i, 'github-copilot'],
  [/(^|\.)jetbrains\.(ai|com)$|\.intellij\.net$/i, 'jetbrains'],
];

export function providerOfHost(host: string): string {
  const name = host.replace(/:\d+$/, '');
  return HOST_PROVIDERS.find(([re]) => re.test(name))?.[1] ?? 'openai';
}

export function directTarget(via: ViaProxy): ResolvedTarget {
  const provider = providerOfHost(via.host);
  const isAnthropic = provider === 'anthropic';
  const kind = isAnthropic ? anthropicProvider : openaiProvider;
  return {
    id: `proxy:${via.host}`,
    provider,
    kind,
    format: isAnthropic ? 'anthropic' : 'openai',
    weight: 1,
    origin: `${via.scheme}://${via.host}`,
    basePath: '',
    // Whatever the client speaks goes to the host it chose, untranslated.
    accepts: new Set(DIALECTS), // (marked edit: proxy) generic-json included: unknown JSON paths go as sent
    auth: { header: kind.authHeader, prefix: kind.authPrefix, missing: false, fromDefault: false },
    streamTimeoutMs: 600_000,
    timeoutMs: 600_000,
    // Intercepted traffic goes to the host as the client sent it.
    streamUsage: false,
    config: { id: `proxy:${via.host}`, provider },
  };
}
