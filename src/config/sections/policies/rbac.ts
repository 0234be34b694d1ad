/** `policy.rbac`: who may call which models and tools. */
import { z } from 'zod';
import { policyBase } from './common.js';

const role = z.strictObject({
  allowed_tools: z.array(z.string()).optional().describe('Tool names (globs) this role may call.'),
  denied_tools: z.array(z.string()).optional(),
  allowed_models: z.array(z.string()).optional().describe('Model names (globs) this role may use.'),
  denied_models: z.array(z.string()).optional(),
});

export const rbacSchema = z
  .strictObject({
    ...policyBase,
    require_auth: z.boolean().default(false).describe('Refuse requests without an authenticated principal.'),
    deny_if_missing: z.array(z.string()).optional().describe('Headers that must be present (e.g. X-User-Id).'),
    role_header: z.string().optional().describe('Header carrying the caller role when no access key says it.'),
    default_role: z.string().optional(),
    roles: z.record(z.string(), role).optional().describe('Role name → allowed/denied tools and models.'),
  })
  .describe('Role-based access to models and tools.');

export type RbacConfig = z.infer<typeof rbacSchema>;
