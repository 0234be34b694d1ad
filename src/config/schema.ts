/**
 * The root schema of policy-config.yaml, assembled from one file per section. Strict everywhere:
 * an unknown key is an error (E002), never silently ignored.
 */
import { z } from 'zod';
import { agentsSchema } from './sections/agents.js';
import { budgetsSchema } from './sections/budgets.js';
import { gatewaySchema } from './sections/gateway.js';
import { keysSchema } from './sections/keys.js';
import { packSchema } from './sections/pack.js';
import { policiesSchema } from './sections/policies.js';
import { policyMapSchema } from './sections/policies/index.js';
import { pricingSchema } from './sections/pricing.js';
import { providersSchema } from './sections/providers.js';
import { proxySchema } from './sections/proxy.js';
import { rateLimitsSchema } from './sections/rate-limits.js';
import { scopesSchema } from './sections/scopes.js';
import { storeSchema } from './sections/store.js';
import { testingSchema } from './sections/testing.js';

export const configSchema = z
  .strictObject({
    pack: packSchema,
    policies: policiesSchema,
    policy: policyMapSchema.optional(),
    providers: providersSchema.optional(),
    agents: agentsSchema.optional(),
    testing: testingSchema.optional(),
    gateway: gatewaySchema.optional(),
    store: storeSchema.optional(),
    pricing: pricingSchema.optional(),
    budgets: budgetsSchema.optional(),
    rate_limits: rateLimitsSchema.optional(),
    keys: keysSchema.optional(),
    proxy: proxySchema.optional(),
    scopes: scopesSchema.optional(),
  })
  .describe('kt policy-config.yaml: a policy pack, its chain, per-kind settings and provider targets.');

export type KtConfig = z.infer<typeof configSchema>;

type AnyDef = Record<string, unknown> & { type: string };
const defOf = (s: unknown): AnyDef | undefined => (s as { _zod?: { def?: AnyDef } } | undefined)?._zod?.def;

/** Keys accepted at a path of the schema (for E002's list of valid keys); undefined when not a mapping. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s: unknown = schema;
  for (const seg of [...path, undefined]) {
    let def = defOf(s);
    // Unwrap optional/default/pipe/union until we reach a structural type.
    while (def) {
      if (def.innerType) s = def.innerType;
      else if (def.type === 'pipe') s = def.in;
      else if (def.type === 'union') {
        const opts = def.options as unknown[];
        s = opts.find((o) => defOf(o)?.type === 'object') ?? opts[0];
      } else break;
      def = defOf(s);
    }
    if (!def) return undefined;
    if (seg === undefined) return def.type === 'object' ? Object.keys(def.shape as object) : undefined;
    if (def.type === 'object') s = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return undefined;
  }
  return undefined;
}
