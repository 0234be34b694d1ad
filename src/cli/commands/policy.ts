/** `kt policy …`: lint (config module) and test (policy engine). Implementations are lazy-imported. */
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
}
