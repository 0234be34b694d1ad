/** `scopes`: policy bundles attached to a class of traffic (issue 7; first match wins). */
import { z } from 'zod';
import { chainSchema } from './policies.js';
import { enforcementMode } from './policies/common.js';
import { policyMapSchema } from './policies/index.js';
import { scopeBudgetSchema } from './budgets.js'; // (marked edit: evidence) per-scope budgets

export const scopeSchema = z.strictObject({
  name: z.string().min(1),
  match: z
    .strictObject({
      key_tags: z.array(z.string()).optional(),
      keys: z.array(z.string()).optional().describe('Access-key names.'),
      clients: z.array(z.string()).optional().describe('Clients detected from User-Agent (claude-cli, codex …).'),
      header: z.strictObject({ name: z.string(), value: z.string().optional() }).optional(),
      route_prefix: z.string().regex(/^\//, { message: 'must start with /' }).optional(),
    })
    .describe('All given conditions must hold.'),
  chain: chainSchema.optional().describe('Replaces the base chain for this scope.'),
  policy: policyMapSchema.optional().describe('Overlays the base policy settings for this scope.'),
  mode: enforcementMode.optional(),
  // (marked edit: evidence) per-scope event detail and budget
  logging: z
    .strictObject({ detail: z.enum(['summary', 'findings']).describe('Event detail for this scope, as audit-logger.detail.') })
    .optional()
    .describe("Decision-event detail for this scope's requests."),
  budget: scopeBudgetSchema.optional().describe("A budget for this scope's requests (see docs/BUDGETS.md)."),
});

export const scopesSchema = z.array(scopeSchema).describe('Traffic classes with their own bundles.');
