/** `policy.safety-filter`: harmful-content categories and keywords. */
import { z } from 'zod';
import { policyBase } from './common.js';

export const SAFETY_CATEGORIES = [
  'violence',
  'self_harm',
  'sexual',
  'sexual_minors',
  'hate',
  'harassment',
  'weapons',
  'illegal_drugs',
  'malware',
  'extremism',
] as const;

export const safetyFilterSchema = z
  .strictObject({
    ...policyBase,
    action: z.enum(['block', 'escalate', 'flag']).default('block'),
    method: z.enum(['keyword', 'category', 'both']).default('both').describe('Match by keyword lists, category heuristics or both.'),
    block_if: z.array(z.enum(SAFETY_CATEGORIES)).optional().describe('Categories that trigger the action (default: all).'),
    keywords: z.array(z.string().min(1)).optional().describe('Extra keywords (case-insensitive) that trigger the action.'),
    phases: z.array(z.enum(['input', 'output'])).optional().describe('Where to check (default both).'),
  })
  .describe('Blocks or escalates unsafe or harmful content.');

export type SafetyFilterConfig = z.infer<typeof safetyFilterSchema>;
