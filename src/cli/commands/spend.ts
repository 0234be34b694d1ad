/** `kt spend`: cost attribution from the decision events. The implementation is lazy-imported. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  program
    .command('spend')
    .description('cost and tokens per user, team, project, client, model, key or scope')
    .option('--by <dimension>', 'user | team | project | client | model | key | scope (default user)')
    .option('--since <when>', '5m, 1h, 30d or an RFC 3339 time (default 30d)')
    .option('--json', 'machine output')
    .option('--policy-config <file>', 'read store and data_dir from this config (repeatable)', collect, [])
    .option('--data-dir <dir>', 'data directory (default $KT_DATA_DIR or ~/.kt)')
    .option('--store-url <url>', 'PostgreSQL URL of a shared store')
    .option('--store-schema <name>', 'PostgreSQL schema of the store (as store.schema)')
    .action(async (opts) => {
      const { spend } = await import('../../cost/cli/spend-cmd.js');
      await spend(opts);
    });
}
