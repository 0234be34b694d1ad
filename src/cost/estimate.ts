/**
 * The most a request can cost, computed before dispatch: every input byte at a third of a token (a
 * generous upper estimate for JSON-wrapped text) at the dearest of the input and cache-write prices,
 * plus the request's output cap at the output price. Without a cap, DEFAULT_MAX_OUTPUT_TOKENS.
 */
import { write1hPrice, type Price } from './pricing.js';

export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
const BYTES_PER_TOKEN = 3;

export function maxOutputTokens(body: unknown): number {
  const b = body as Record<string, unknown> | undefined;
  for (const k of ['max_tokens', 'max_completion_tokens', 'max_output_tokens']) {
    const v = b?.[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  return DEFAULT_MAX_OUTPUT_TOKENS;
}

export function estimateInputTokens(rawBytes: number): number {
  return Math.ceil(rawBytes / BYTES_PER_TOKEN);
}

export function maxCostOf(price: Price, rawBytes: number, body: unknown, embeddings = false): number {
  // Any input token may turn out to be a (1-hour) cache write, the dearest kind.
  const inPrice = Math.max(price.input, price.cache_write ?? 0, write1hPrice(price));
  const out = embeddings ? 0 : maxOutputTokens(body) * price.output;
  return (estimateInputTokens(rawBytes) * inPrice + out) / 1e6;
}
