/** `kt init`: scaffold a commented policy-config.yaml from a bundled template. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('init')
    .description('write a commented starter policy-config.yaml (and its JSON Schema beside it)')
    .option('--template <name>', 'template to start from: default, coding-assistant (a stricter flag-first bundle for assistant traffic)', 'default')
    .option('--output <file>', 'where to write the config', 'policy-config.yaml')
    .option('--force', 'overwrite existing files')
    .action(async (opts: { template: string; output: string; force?: boolean }) => {
      const { init } = await import('../../config/commands/init.js');
      await init(opts);
    });
}
