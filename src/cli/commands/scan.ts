/** `kt scan`: scan files or stdin with the policy chain's detectors (secrets, PII, injection, DLP, safety). */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  program
    .command('scan')
    .description('print findings (offsets, rules — never the text) for files or stdin; exit 1 when something is found')
    .argument('[files...]', 'files to scan; - or none reads stdin')
    .option('--policy-config <file>', 'policy-config.yaml whose chain and settings to use (repeatable)', collect, [])
    .option('--json', 'print {ok, files:[{file, findings}]} as JSON')
    .option('--jsonl', 'read {"id","text"} lines on stdin, write {"id","findings":[…]} lines')
    .option('--role <role>', 'where the text sits: user (default), tool_result, assistant, system', 'user')
    .action(async (files: string[], opts: { policyConfig: string[]; json?: boolean; jsonl?: boolean; role: string }) => {
      const { scan } = await import('../../policy/scan-command.js');
      await scan({ files, policyConfig: opts.policyConfig, json: opts.json, jsonl: opts.jsonl, role: opts.role as never });
    });
}
