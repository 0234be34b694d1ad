/** Building blocks shared by the per-kind policy schemas. */
import { z } from 'zod';

/** Per-policy enforcement (issue 7): `flag` records what would have happened and changes nothing. */
export const enforcementMode = z
  .enum(['flag', 'enforce'])
  .describe('flag: record findings only, never change the traffic; enforce (default): apply the action.');

/**
 * A user-supplied regular expression. Compiled with RE2 (linear time) at load and lint time; a pattern
 * RE2 cannot accept (backreferences, lookaround) is a config error, never a slow scan at runtime.
 */
export const regexString = z.string().min(1).describe('Regular expression in RE2 syntax (no lookaround or backreferences).');

/** A pattern given either as a bare regex or with a name that appears as the finding rule id. */
export const namedPattern = z.union([
  regexString,
  z.strictObject({
    name: z.string().min(1).describe('Rule id reported in findings and events.'),
    pattern: regexString,
    description: z.string().optional(),
  }),
]);

export type NamedPattern = z.infer<typeof namedPattern>;

/** Common keys every policy block accepts. */
export const policyBase = {
  mode: enforcementMode.optional(),
};
