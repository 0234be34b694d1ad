/** `policy.disclaimers`: a notice added to responses in the client's dialect. */
import { z } from 'zod';
import { policyBase } from './common.js';

export const disclaimersSchema = z
  .strictObject({
    ...policyBase,
    text: z.string().min(1).optional().describe('The notice.'),
    position: z.enum(['append', 'prepend']).default('append'),
    models: z.array(z.string()).optional().describe('Only for these model names (globs).'),
  })
  .describe('Adds a notice to responses, streams included.');

export type DisclaimersConfig = z.infer<typeof disclaimersSchema>;

export function disclaimersNeedsSettings(cfg: unknown): string | undefined {
  return (cfg as { text?: string } | undefined)?.text ? undefined : 'disclaimers has no default notice: set policy.disclaimers.text';
}
