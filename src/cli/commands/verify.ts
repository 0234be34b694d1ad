/** `kt verify coding-assistant`: prove the assistant bundle applies to assistant traffic only. */
import type { Command } from 'commander';

export function register(program: Command): void {
  const verify = program.command('verify').description('end-to-end checks against a running gateway');
  verify
    .command('coding-assistant')
    .description('send a fake secret in a tool result through the assistant path and the general path; exit 1 unless only the assistant path redacted or blocked it')
    .option('--url <url>', 'gateway base URL', 'http://127.0.0.1:41002')
    .option('--key <key>', 'access key for the assistant path (e.g. one tagged for the assistant scope)')
    .option('--general-key <key>', 'access key for the general path')
    .option('--admin-key <key>', 'access key with the admin role, to read the live decision events (auth.mode: keys); default --key')
    .option('--prefix <path>', 'route prefix of the assistant scope, e.g. /assistants')
    .option('--model <model>', 'model name to send', 'claude-sonnet-4-5')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { url: string; key?: string; generalKey?: string; adminKey?: string; prefix?: string; model: string; json?: boolean }) => {
      const { verifyCodingAssistant } = await import('../../scopes/verify.js');
      await verifyCodingAssistant(opts);
    });
}
