/**
 * Registry of policy kinds: the schema of each `policy.<kind>` block, the alias table and which kinds
 * cannot run without settings (E003). The policy engine reads settings through `policySettings()` so a
 * kind named in the chain without a block runs with its schema defaults.
 */
import { z } from 'zod';
import { auditLoggerSchema } from './audit-logger.js';
import { codeSanitationSchema } from './code-sanitation.js';
import { disclaimersNeedsSettings, disclaimersSchema } from './disclaimers.js';
import { dlpFilterNeedsSettings, dlpFilterSchema } from './dlp-filter.js';
import { piiDetectorSchema } from './pii-detector.js';
import { promptInjectionSchema } from './prompt-injection.js';
import { qualityScorerSchema } from './quality-scorer.js';
import { rbacSchema } from './rbac.js';
import { safetyFilterSchema } from './safety-filter.js';

export const POLICY_SCHEMAS = {
  'pii-detector': piiDetectorSchema,
  'code-sanitation': codeSanitationSchema,
  'prompt-injection': promptInjectionSchema,
  'dlp-filter': dlpFilterSchema,
  'safety-filter': safetyFilterSchema,
  'quality-scorer': qualityScorerSchema,
  'audit-logger': auditLoggerSchema,
  rbac: rbacSchema,
  disclaimers: disclaimersSchema,
} as const;

export type PolicyKind = keyof typeof POLICY_SCHEMAS;
export type PolicySettings<K extends PolicyKind> = z.infer<(typeof POLICY_SCHEMAS)[K]>;

/** Canonical kinds, in a stable order. */
export const POLICY_KINDS = Object.keys(POLICY_SCHEMAS) as PolicyKind[];

/** Other names the wider documentation uses for the same kind. */
export const POLICY_ALIASES: Readonly<Record<string, PolicyKind>> = { 'code-sanitizer': 'code-sanitation' };

/** Every name accepted in `policies.chain` and as a `policy.<name>` key. */
export const POLICY_NAMES = [...POLICY_KINDS, ...Object.keys(POLICY_ALIASES)] as [string, ...string[]];

/** Canonical kind for a name (alias-aware), or undefined when unknown. */
export function resolvePolicyKind(name: string): PolicyKind | undefined {
  if (Object.hasOwn(POLICY_SCHEMAS, name)) return name as PolicyKind;
  return Object.hasOwn(POLICY_ALIASES, name) ? POLICY_ALIASES[name] : undefined;
}

/** Kinds that do nothing useful without settings: the reason, or undefined when settings suffice. */
export const REQUIRES_SETTINGS: Partial<Record<PolicyKind, (cfg: unknown) => string | undefined>> = {
  'dlp-filter': dlpFilterNeedsSettings,
  disclaimers: disclaimersNeedsSettings,
};

/** The `policy:` map: one optional block per kind (aliases included). */
export const policyMapSchema = z
  .strictObject({
    ...Object.fromEntries(POLICY_KINDS.map((k) => [k, POLICY_SCHEMAS[k].optional()])),
    'code-sanitizer': codeSanitationSchema.optional().describe('Alias of code-sanitation.'),
  } as { [K in PolicyKind]: z.ZodOptional<(typeof POLICY_SCHEMAS)[K]> } & {
    'code-sanitizer': z.ZodOptional<typeof codeSanitationSchema>;
  })
  .describe('Per-kind settings. A kind configured here but absent from policies.chain does not run.');

/**
 * Settings of one kind with every default applied. The config is already validated, so parsing
 * cannot fail; a kind without a block gets `parse({})`.
 */
export function policySettings<K extends PolicyKind>(
  config: { policy?: Partial<Record<string, unknown>> },
  kind: K,
): PolicySettings<K> {
  return POLICY_SCHEMAS[kind].parse(config.policy?.[kind] ?? {}) as PolicySettings<K>;
}

export type { NamedPattern } from './common.js';
