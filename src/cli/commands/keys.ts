/** `kt keys create | list | revoke`: gateway access keys. Implementations are lazy-imported. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--policy-config <file>', 'read store and data_dir from this config (repeatable)', collect, [])
    .option('--data-dir <dir>', 'data directory (default $KT_DATA_DIR or ~/.kt)')
    .option('--store-url <url>', 'PostgreSQL URL of a shared store')
    .option('--store-schema <name>', 'PostgreSQL schema of the store (as store.schema)');
}

export function register(program: Command): void {
  const keys = program.command('keys').description('gateway access keys (kt_…)');
  storeOptions(
    keys
      .command('create')
      .description('create a key and print it once')
      .requiredOption('--name <name>', 'what the key is for')
      .option('--user <id>', 'user the key belongs to')
      .option('--team <id>', 'team')
      .option('--project <id>', 'project')
      .option('--tags <a,b>', 'comma-separated tags')
      .option('--roles <a,b>', 'rbac roles')
      .option('--expires <when>', 'a duration (30d, 12h) or a date')
      .option('--json', 'machine output'),
  ).action(async (opts) => {
    const { keysCreate } = await import('../../identity/cli/keys-cmd.js');
    await keysCreate(opts);
  });
  storeOptions(keys.command('list').description('list keys (never the keys themselves)').option('--all', 'include revoked keys').option('--json', 'machine output')).action(
    async (opts) => {
      const { keysList } = await import('../../identity/cli/keys-cmd.js');
      await keysList(opts);
    },
  );
  storeOptions(keys.command('revoke').description('revoke a key by id or printed prefix').argument('<id>', 'key id (key_…) or prefix (kt_…)')).action(
    async (id: string, opts) => {
      const { keysRevoke } = await import('../../identity/cli/keys-cmd.js');
      await keysRevoke({ ...opts, id });
    },
  );
}
