/** `testing`: golden cases run by `kt policy test`. */
import { z } from 'zod';
import { VERDICTS } from '../../policy/types.js';

const message = z.looseObject({ role: z.string(), content: z.unknown() }).describe('A chat message (OpenAI shape).');

export const testCaseSchema = z.strictObject({
  name: z.string().min(1),
  input: z.strictObject({
    messages: z.array(message).min(1),
    headers: z.record(z.string(), z.string()).optional(),
    model: z.string().optional(),
    // (marked edit: scopes) what selects a scope besides headers: the route prefix and the access key
    path: z.string().regex(/^\//, { message: 'must start with /' }).optional().describe('Request path, e.g. /assistants/v1/chat/completions (selects route-prefix scopes).'),
    key: z.strictObject({ name: z.string().optional(), tags: z.array(z.string()).optional() }).optional().describe('The access key the request stands for (name, tags).'),
  }),
  expected: z.strictObject({
    verdict: z.enum(VERDICTS),
    reason_code: z.string().optional(),
    scope: z.string().nullable().optional().describe('Scope the case must land in; null for the general path.'), // (marked edit: scopes)
  }),
});

export const testingSchema = z
  .strictObject({
    suites: z.array(z.strictObject({ name: z.string().min(1), cases: z.array(testCaseSchema) })),
  })
  .describe('Golden cases for kt policy test.');
