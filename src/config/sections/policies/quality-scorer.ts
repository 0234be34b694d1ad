/** `policy.quality-scorer`: heuristics on outputs → a score on the event. */
import { z } from 'zod';
import { policyBase } from './common.js';

export const qualityScorerSchema = z
  .strictObject({
    ...policyBase,
    min_output_chars: z.number().int().min(0).default(1).describe('Outputs shorter than this fail.'),
    min_score: z.number().min(0).max(1).default(0.5).describe('Scores below this fail (0..1).'),
    on_fail: z.enum(['flag', 'block', 'escalate']).default('flag'),
    checks: z
      .strictObject({
        empty: z.boolean().optional(),
        truncated: z.boolean().optional(),
        refusal: z.boolean().optional(),
        invalid_json: z.boolean().optional(),
        tool_arguments: z.boolean().optional(),
      })
      .optional()
      .describe('Individual heuristics (all on by default).'),
  })
  .describe('Scores output quality (empty, truncated, refusal, invalid JSON, unparsable tool arguments).');

export type QualityScorerConfig = z.infer<typeof qualityScorerSchema>;
