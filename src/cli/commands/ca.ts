/** `kt ca init | path | trust`: the forward proxy's local CA. Implementations are lazy-imported. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function caOptions(cmd: Command): Command {
  return cmd
    .option('--policy-config <file>', 'read gateway.data_dir and proxy.ca_dir from this config (repeatable)', collect, [])
    .option('--data-dir <dir>', 'data directory (default $KT_DATA_DIR or ~/.kt); the CA lives in <dir>/ca unless proxy.ca_dir is set');
}

export function register(program: Command): void {
  const ca = program.command('ca').description('the local CA the forward proxy signs intercepted hosts with');
  caOptions(ca.command('init').description('create the CA (ECDSA P-256; the key is written mode 0600)').option('--force', 'replace an existing CA (clients must trust the new one)')).action(
    async (opts) => {
      const { caInit } = await import('../../proxy/ca-cmd.js');
      await caInit(opts);
    },
  );
  caOptions(ca.command('path').description('print the path of the CA certificate')).action(async (opts) => {
    const { caPath } = await import('../../proxy/ca-cmd.js');
    await caPath(opts);
  });
  caOptions(ca.command('trust').description('print how to trust the CA on this machine, in IDEs and in Node/Bun/Rust clients')).action(async (opts) => {
    const { caTrust } = await import('../../proxy/ca-cmd.js');
    await caTrust(opts);
  });
}
