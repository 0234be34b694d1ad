/** `budgets`: spend limits per key, user, team or project (owned by the evidence helper). */
import { z } from 'zod';

export const budgetSchema = z.strictObject({
  name: z.string().optional(),
  scope: z.enum(['key', 'user', 'team', 'project', 'global']).describe('What the budget is counted per.'),
  match: z.string().optional().describe('The key name, user, team or project id; unset or "*": each one separately.'),
  period: z.enum(['day', 'week', 'month']),
  limit_usd: z.number().positive(),
  mode: z.enum(['enforce', 'monitor']).default('enforce'),
});

export const budgetsSchema = z.array(budgetSchema).describe('Spend limits.');
