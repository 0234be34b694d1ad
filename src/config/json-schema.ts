/** JSON Schema of policy-config.yaml (zod → JSON Schema) for editors and `kt config schema`. */
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  // io "input": describe what a user writes (defaults optional), not the parsed output.
  // draft-07: the dialect every YAML language server version understands.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, title: 'kt policy-config.yaml' };
}
