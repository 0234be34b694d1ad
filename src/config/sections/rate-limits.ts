/** `rate_limits`: requests and tokens per minute (owned by the evidence helper). */
import { z } from 'zod';

export const rateLimitSchema = z
  .strictObject({
    name: z.string().optional(),
    scope: z.enum(['key', 'user', 'team', 'project', 'global']),
    match: z.string().optional().describe('Id to limit; unset or "*": each one separately.'),
    rpm: z.number().int().positive().optional().describe('Requests per minute.'),
    tpm: z.number().int().positive().optional().describe('Tokens per minute.'),
  })
  .refine((r) => r.rpm !== undefined || r.tpm !== undefined, { message: 'set rpm, tpm or both' });

export const rateLimitsSchema = z.array(rateLimitSchema).describe('Rate limits (429 with Retry-After).');
