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
  }),
  expected: z.strictObject({
    verdict: z.enum(VERDICTS),
    reason_code: z.string().optional(),
  }),
});

export const testingSchema = z
  .strictObject({
    suites: z.array(z.strictObject({ name: z.string().min(1), cases: z.array(testCaseSchema) })),
  })
  .describe('Golden cases for kt policy test.');
