/** `pricing`: overrides of the bundled price table (USD per million tokens). */
import { z } from 'zod';

const price = z.strictObject({
  input: z.number().min(0).describe('USD per million input tokens.'),
  output: z.number().min(0).describe('USD per million output tokens.'),
  cache_read: z.number().min(0).optional(),
  cache_write: z.number().min(0).optional().describe('Anthropic 5-minute cache writes.'),
  cache_write_1h: z.number().min(0).optional().describe('Anthropic 1-hour cache writes (default 2x input when cache_write is set).'),
});

export const pricingSchema = z
  .strictObject({
    models: z.record(z.string(), price).optional().describe('Model name (or glob) → prices.'),
    fallback: price.optional().describe('Price of any model neither pricing.models nor the bundled table knows (else its cost is unknown and enforced budgets refuse it).'),
  })
  .describe('Price overrides.');
