/**
 * OpenAI-compatible servers (vLLM, Ollama, LM Studio, Groq, …) found by `base_url`. They reliably serve
 * chat, completions and embeddings; Responses and Anthropic clients are translated onto chat.
 * `ollama` and `groq` are the same kind with a default origin.
 */
import type { ProviderKind } from './types.js';
import { withQuery } from './base-url.js';
import { ANTHROPIC_DIALECTS } from './openai.js';

const COMPATIBLE_DIALECTS = ['openai-chat', 'openai-completions', 'openai-embeddings'] as const;

function compatible(name: string, defaultBaseUrl?: string, defaultKeyEnv?: string, streamUsage = false): ProviderKind {
  return {
    name,
    defaultFormat: 'openai',
    defaultBaseUrl,
    defaultKeyEnv,
    authHeader: 'authorization',
    authPrefix: 'Bearer ',
    accepts: (format) => (format === 'anthropic' ? ANTHROPIC_DIALECTS : COMPATIBLE_DIALECTS),
    path: (t, d, q) => withQuery(`${t.basePath}/v1${d.path}`, q),
    streamUsage,
  };
}

// vLLM, LM Studio, llama.cpp and most servers found by base_url take `stream_options.include_usage`;
// the named variants stay off until a target says `stream_usage: true`.
export const openaiCompatibleProvider = compatible('openai-compatible', undefined, undefined, true);
export const ollamaProvider = compatible('ollama', 'http://127.0.0.1:11434');
export const groqProvider = compatible('groq', 'https://api.groq.com/openai', 'GROQ_API_KEY');

/** Gemini's OpenAI-compatible endpoint has no `/v1` segment: the base path already ends in `/openai`. */
export const googleProvider: ProviderKind = {
  ...compatible('google', 'https://generativelanguage.googleapis.com/v1beta/openai', 'GEMINI_API_KEY'),
  path: (t, d, q) => withQuery(`${t.basePath}${d.path}`, q),
};
