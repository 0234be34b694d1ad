/** `policy.code-sanitation` (alias `code-sanitizer`): credentials and secrets in code and tool traffic. */
import { z } from 'zod';
import { namedPattern, policyBase } from './common.js';

export const codeSanitationSchema = z
  .strictObject({
    ...policyBase,
    block_on_match: z.boolean().default(false).describe('true: block the request; false (default): redact the secret.'),
    additional_patterns: z.array(namedPattern).optional().describe('Extra secret patterns on top of the built-in rule pack.'),
    disabled_rules: z.array(z.string()).optional().describe('Built-in rule ids to switch off.'),
    allowlist: z.array(z.string()).optional().describe('Literal values never reported (placeholders, test keys).'),
    tool_results: z
      .enum(['redact', 'block'])
      .default('redact')
      .describe('Secrets in tool results are redacted by default: a block would poison the agent session.'),
    shell_commands: z
      .enum(['off', 'flag', 'block'])
      .default('flag')
      .describe('Dangerous shell in assistant tool calls (rm -rf /, curl | sh, chmod 777, force push).'),
  })
  .describe('Finds credentials (cloud, VCS, CI, AI providers, private keys, JWTs …) and redacts or blocks them.');

export type CodeSanitationConfig = z.infer<typeof codeSanitationSchema>;
