/** `kt config …`: the JSON Schema of policy-config.yaml. */
import type { Command } from 'commander';

export function register(program: Command): void {
  const config = program.command('config').description('policy-config.yaml tooling');
  config
    .command('schema')
    .description('print the JSON Schema of policy-config.yaml (for editor completion)')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (opts: { output?: string }) => {
      const { configSchemaCommand } = await import('../../config/commands/config-schema.js');
      await configSchemaCommand(opts);
    });
}
