/** `kt gateway run`: the gateway in the foreground. The implementation is lazy-imported. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  const gateway = program.command('gateway').description('run the kt gateway');
  gateway
    .command('run')
    .description('serve the governed API on 127.0.0.1:41002 (embedded demo config when no --policy-config is given)')
    .option('--listen <host:port>', 'address to listen on (non-loopback needs gateway.auth.mode: keys)')
    .option('--policy-config <file>', 'policy-config.yaml (repeatable: files merge in order; watched for changes)', collect, [])
    .option('--fail-mode <mode>', 'what a policy error does: block | allow (default block)')
    .option('--log-level <level>', 'fatal | error | warn | info | debug | trace (default info)')
    .action(async (opts: { listen?: string; policyConfig: string[]; failMode?: string; logLevel?: string }) => {
      const { gatewayRun } = await import('../../gateway/run.js');
      await gatewayRun(opts);
    });
}
