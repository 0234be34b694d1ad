/** `providers`: upstream targets and how requests are spread over them. */
import { z } from 'zod';
import type { DialectName } from '../../dialects/types.js';

export const PROVIDER_KINDS = [
  'openai',
  'anthropic',
  'azure-openai',
  'openai-compatible',
  'ollama',
  'groq',
  'google',
  'demo',
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `targets[].endpoints`: the API endpoints a target serves, by format, and the client dialect each
 * one takes natively. A client whose endpoint is not listed is translated onto a listed one
 * (`endpoints: [responses]` for a Responses-only model sends chat, Messages and completions clients
 * through the Responses translators).
 */
export const TARGET_ENDPOINTS = {
  openai: { chat: 'openai-chat', responses: 'openai-responses', completions: 'openai-completions', embeddings: 'openai-embeddings' },
  anthropic: { messages: 'anthropic-messages', count_tokens: 'anthropic-count-tokens' },
} as const satisfies Record<'openai' | 'anthropic', Record<string, DialectName>>;
export type TargetEndpoint = keyof (typeof TARGET_ENDPOINTS)['openai'] | keyof (typeof TARGET_ENDPOINTS)['anthropic'];
const ENDPOINT_NAMES = [...Object.keys(TARGET_ENDPOINTS.openai), ...Object.keys(TARGET_ENDPOINTS.anthropic)] as [TargetEndpoint, ...TargetEndpoint[]];

/** Origin (plus an optional path prefix) of the provider; a trailing `/v1` is accepted and dropped. */
export function normaliseBaseUrl(url: string): string {
  let u = url.trim().replace(/\/+$/, '');
  if (/\/v1$/i.test(u)) u = u.slice(0, -3).replace(/\/+$/, '');
  return u;
}

const baseUrl = z
  .string()
  .refine((s) => /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s), {
    message: 'must be an http(s) URL such as https://api.openai.com (a trailing /v1 is accepted)',
  })
  .describe('Provider origin, e.g. https://api.openai.com. A trailing /v1 is accepted and removed.');

export const targetSchema = z
  .strictObject({
    id: z.string().min(1).describe('Unique id of the target (events, logs, /health).'),
    provider: z.enum(PROVIDER_KINDS).describe('Provider kind.'),
    model: z.string().min(1).optional().describe('Model the provider is asked for; when unset, the client model name is forwarded.'),
    models: z
      .array(z.string().min(1))
      .optional()
      .describe('Client model names or globs (claude-*, gpt-4o*) this target serves when there are several targets.'),
    base_url: baseUrl.optional(),
    secret_key_ref: z
      .strictObject({
        env: z.string().regex(ENV_NAME, { message: 'must be an environment variable name' }).optional().describe('Environment variable holding the API key.'),
        store: z.string().min(1).optional().describe('Name of a secret held by the control plane (not resolved by a standalone gateway).'),
      })
      .refine((r) => (r.env === undefined) !== (r.store === undefined), { message: 'set exactly one of env or store' })
      .optional()
      .describe('Where the API key comes from. Without it the client’s own provider key is passed through.'),
    format: z.enum(['openai', 'anthropic']).optional().describe('Wire format of the target (default: anthropic for provider anthropic, else openai).'),
    endpoints: z
      .array(z.enum(ENDPOINT_NAMES))
      .min(1)
      .optional()
      .describe(
        'Endpoints the target serves (default: what the provider serves). openai format: chat, responses, completions, embeddings; anthropic format: messages, count_tokens. [responses] marks a Responses-only model: chat, Messages and completions clients are translated onto /v1/responses.',
      ),
    stream_timeout_seconds: z.number().positive().optional().describe('Longest silence between stream chunks.'),
    stream_usage: z // (marked edit: gateway core) per-target capability, read by src/providers/registry.ts
      .boolean()
      .optional()
      .describe(
        'Ask for stream_options.include_usage on chat/completions streams when the client did not, so cost and budgets see the token counts (the extra usage chunk is not relayed). Default: true for openai, azure-openai, openai-compatible and demo; false for the others.',
      ),
    timeout_seconds: z.number().positive().optional().describe('Time allowed for the response headers.'),
    max_retries: z.number().int().min(0).max(10).optional(),
    api_key_header: z.string().min(1).optional().describe('Header carrying the key (default Authorization, x-api-key for anthropic).'),
    api_key_prefix: z.string().optional().describe('Prefix before the key (default "Bearer " for Authorization).'),
    weight: z.number().positive().optional().describe('Share of traffic under strategy loadbalance (default 1).'),
    api_version: z.string().optional().describe('azure-openai: api-version query parameter.'),
    deployment: z.string().optional().describe('azure-openai: deployment name.'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra headers sent upstream (no secrets: use secret_key_ref).'),
  })
  .refine((t) => t.endpoints === undefined || endpointDialects(t)!.length === t.endpoints.length, {
    path: ['endpoints'],
    message: 'endpoints must belong to the target format: chat, responses, completions, embeddings for format openai; messages, count_tokens for format anthropic',
  })
  .describe('One upstream provider target.');

export const providersSchema = z
  .strictObject({
    strategy: z
      .enum(['single', 'fallback', 'loadbalance'])
      .default('single')
      .describe('single: the selected target only; fallback: next target on connect error, timeout, 429 or 5xx; loadbalance: by weight.'),
    targets: z.array(targetSchema).min(1).describe('Provider targets.'),
    retry: z
      .strictObject({
        attempts: z.number().int().min(0).max(10).default(2),
        backoff_ms: z.number().int().min(0).default(200),
        max_backoff_ms: z.number().int().min(0).default(5000),
        max_retry_after_seconds: z.number().min(0).default(30).describe('A longer Retry-After is not waited for: next target or error.'),
      })
      .optional()
      .describe('Retries before the first byte reached the client; Retry-After is honoured.'),
    circuit_breaker: z
      .strictObject({
        failure_threshold: z.number().int().min(1).default(5),
        cooldown_seconds: z.number().positive().default(30),
      })
      .optional(),
  })
  .describe('Where requests go.');

export type TargetConfig = z.infer<typeof targetSchema>;

/** Wire format of a target: explicit `format`, else anthropic for Anthropic, else openai. */
export function targetFormat(t: Pick<TargetConfig, 'provider' | 'format'>): 'openai' | 'anthropic' {
  return t.format ?? (t.provider === 'anthropic' ? 'anthropic' : 'openai');
}

/** Dialects a target takes natively when it lists `endpoints`; `undefined` keeps the provider's default. */
export function endpointDialects(t: { provider: string; format?: 'openai' | 'anthropic'; endpoints?: readonly string[] }): DialectName[] | undefined {
  if (!t.endpoints) return undefined;
  const table: Record<string, DialectName> = TARGET_ENDPOINTS[t.format ?? (t.provider === 'anthropic' ? 'anthropic' : 'openai')];
  return t.endpoints.flatMap((e) => (Object.hasOwn(table, e) ? [table[e]] : []));
}

/** Env var read when `secret_key_ref` is absent — none: the client's key is passed through. */
export const DEFAULT_KEY_ENV: Partial<Record<ProviderKind, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};
