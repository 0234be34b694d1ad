/** `policy.prompt-injection`: overrides, jailbreaks, fake boundaries and planted instructions. */
import { z } from 'zod';
import { namedPattern, policyBase } from './common.js';

export const promptInjectionSchema = z
  .strictObject({
    ...policyBase,
    use_embedding: z.boolean().default(false).describe('Use an embedding classifier (not available offline; ignored with a warning).'),
    detection: z
      .strictObject({
        attack_patterns: z.array(namedPattern).optional().describe('Extra attack patterns (RE2 regexes).'),
        sensitivity: z.enum(['low', 'medium', 'high']).optional().describe('Trade recall for false positives.'),
        scan_tool_results: z.boolean().optional().describe('Look for instructions planted in tool results and files (default true).'),
      })
      .optional(),
    encoding: z
      .strictObject({
        decode_base64: z.boolean().optional(),
        normalize_unicode: z.boolean().optional(),
        detect_homoglyphs: z.boolean().optional(),
      })
      .optional()
      .describe('Normalisations applied before matching (all on by default).'),
    boundaries: z
      .strictObject({
        enforce_delimiters: z.boolean().optional(),
        reject_fake_boundaries: z.boolean().optional().describe('Flag <|im_start|>, [INST], </system>, fake Human:/Assistant: turns.'),
      })
      .optional(),
    response: z
      .strictObject({
        action: z.enum(['block', 'flag', 'escalate']).default('block'),
        message: z.string().optional().describe('Message shown to the client on a block.'),
      })
      .optional(),
  })
  .describe('Detects prompt injection and jailbreak attempts in prompts and tool results.');

export type PromptInjectionConfig = z.infer<typeof promptInjectionSchema>;
