/** `keys`: access-key settings (owned by the evidence helper). */
import { z } from 'zod';

export const keysSchema = z
  .strictObject({
    header_identity: z
      .enum(['ignore', 'fill', 'override'])
      .optional()
      .describe('How identity headers combine with what a key says (what the key says wins by default).'),
    hash_secret_env: z.string().optional().describe('Environment variable with the HMAC secret for key hashes.'),
  })
  .describe('Access keys (created with kt keys create).');
