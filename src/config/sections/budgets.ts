/** `budgets`: spend limits per key, user, team, project or scope (owned by the evidence helper). */
import { z } from 'zod';

export const budgetSchema = z.strictObject({
  name: z.string().optional(),
  scope: z
    .enum(['key', 'user', 'team', 'project', 'global', 'scope'])
    .describe('What the budget is counted per; `scope` counts the requests of a traffic class (scopes[].name).'),
  match: z.string().optional().describe('The key name, user, team, project id or scope name; unset or "*": each one separately.'),
  period: z.enum(['day', 'week', 'month']),
  limit_usd: z.number().positive(),
  mode: z.enum(['enforce', 'monitor']).default('enforce'),
});

export const budgetsSchema = z.array(budgetSchema).describe('Spend limits.');

/** A scope's own budget (`scopes[].budget`): counted for that scope's requests, optionally per identity. */
export const scopeBudgetSchema = z.strictObject({
  period: z.enum(['day', 'week', 'month']),
  limit_usd: z.number().positive(),
  mode: z.enum(['enforce', 'monitor']).default('enforce'),
  per: z.enum(['key', 'user', 'team', 'project']).optional().describe('Count each key/user/team/project of the scope separately (default: the scope as a whole).'),
});
