/** `pricing`: overrides of the bundled price table (USD per million tokens). */
import { z } from 'zod';

const price = z.strictObject({
  input: z.number().min(0).describe('USD per million input tokens.'),
  output: z.number().min(0).describe('USD per million output tokens.'),
  cache_read: z.number().min(0).optional(),
  cache_write: z.number().min(0).optional(),
});

export const pricingSchema = z
  .strictObject({
    models: z.record(z.string(), price).describe('Model name (or glob) → prices.'),
  })
  .describe('Price overrides.');
