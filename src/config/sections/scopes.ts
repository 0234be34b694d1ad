/** `scopes`: policy bundles attached to a class of traffic (issue 7; first match wins). */
import { z } from 'zod';
import { chainSchema } from './policies.js';
import { enforcementMode } from './policies/common.js';
import { policyMapSchema } from './policies/index.js';

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
});

export const scopesSchema = z.array(scopeSchema).describe('Traffic classes with their own bundles.');
