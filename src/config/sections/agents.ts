/** `agents`: known agents, matched by the `x-keeptrusts-agent-id` header. */
import { z } from 'zod';

export const agentsSchema = z
  .array(
    z.strictObject({
      id: z.string().min(1).describe('Value of x-keeptrusts-agent-id.'),
      name: z.string().optional(),
      description: z.string().optional(),
      owner: z.string().optional(),
      team: z.string().optional(),
    }),
  )
  .describe('Agents known to this pack.');
