/** `policy.dlp-filter`: organisation terms and patterns (codenames, licence headers, repo ids). */
import { z } from 'zod';
import { namedPattern, policyBase } from './common.js';

const blockedTerm = z.union([
  z.string().min(1),
  z.strictObject({
    term: z.string().min(1).describe('The term, or an RE2 regex when `regex: true`.'),
    regex: z.boolean().default(false),
    name: z.string().optional().describe('Rule id reported in findings.'),
  }),
]);

export const dlpFilterSchema = z
  .strictObject({
    ...policyBase,
    action: z.enum(['redact', 'block', 'flag']).default('redact'),
    blocked_terms: z.array(blockedTerm).optional().describe('Terms matched case-insensitively.'),
    detect_patterns: z.array(namedPattern).optional().describe('RE2 regexes for organisation data.'),
    fuzzy_matching: z.boolean().default(false).describe('Also match terms within `max_distance` edits.'),
    max_distance: z.number().int().min(0).max(5).default(1).describe('Edit distance for fuzzy matching.'),
  })
  .describe('Data-loss prevention: organisation terms and patterns, redacted or blocked.');

export type DlpFilterConfig = z.infer<typeof dlpFilterSchema>;

/** dlp-filter has nothing built in: a chain entry without terms or patterns is a config error (E003). */
export function dlpFilterNeedsSettings(cfg: unknown): string | undefined {
  const c = (cfg ?? {}) as { blocked_terms?: unknown[]; detect_patterns?: unknown[] };
  if ((c.blocked_terms?.length ?? 0) + (c.detect_patterns?.length ?? 0) > 0) return undefined;
  return 'dlp-filter has no built-in terms: set policy.dlp-filter.blocked_terms or policy.dlp-filter.detect_patterns';
}
