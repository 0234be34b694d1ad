/** `kt policy …`: lint (config module), test and replay (policy engine). Implementations are lazy-imported. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  const policy = program.command('policy').description('check and test policy-config.yaml');

  policy
    .command('lint')
    .description('validate a policy-config.yaml (exit 2 on errors); several --file merge in order')
    .option('--file <file>', 'policy-config.yaml to check (repeatable: files merge in order)', collect, [])
    .option('--json', 'print {ok, file, pack, chain, diagnostics} as JSON')
    .action(async (opts: { file: string[]; json?: boolean }) => {
      const { policyLint } = await import('../../config/commands/policy-lint.js');
      await policyLint({ file: opts.file.length ? opts.file : ['policy-config.yaml'], json: opts.json });
    });

  policy
    .command('test')
    .description('run golden cases (tests/*.json and testing.suites in the config); exit 1 on a failure')
    .option('--file <file>', 'policy-config.yaml (repeatable: files merge in order)', collect, [])
    .option('--json', 'print {ok, results} as JSON')
    .action(async (opts: { file: string[]; json?: boolean }) => {
      const { policyTest } = await import('../../policy/testing/policy-test.js');
      await policyTest(opts);
    });

  policy
    .command('replay')
    .description('what promoting flag-mode policies to enforce would have done to the recorded traffic (counts per rule, sample event ids); exit 0')
    .option('--days <n>', 'the last N days (default 7)')
    .option('--since <when>', 'from 5m, 1h, 2d or an RFC 3339 time, instead of --days')
    .option('--scope <name>', 'only requests that landed in this scope')
    .option('--policy-config <file>', 'the config the gateway runs with: its store, and its version to compare (repeatable)', collect, [])
    .option('--data-dir <dir>', 'data directory holding events.db (default $KT_DATA_DIR or ~/.kt)')
    .option('--store-url <url>', 'PostgreSQL URL of a shared store')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { days?: string; since?: string; scope?: string; policyConfig: string[]; dataDir?: string; storeUrl?: string; json?: boolean }) => {
      const { policyReplay } = await import('../../policy/testing/replay.js');
      await policyReplay(opts);
    });
}
