/**
 * `kt ca init | path | trust`. The CA directory comes from the same config the gateway runs with
 * (`proxy.ca_dir`, else `<gateway.data_dir | $KT_DATA_DIR | ~/.kt>/ca`), so the CA the command creates is
 * the one `kt gateway run` signs with. Usage errors and a missing CA exit 2.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { ExitError, EXIT } from '../cli/exit.js';
import { loadConfigFiles } from '../config/index.js';
import { caExists, caPaths, initCa, type CaPaths } from './ca.js';
import { trustSteps } from './trust-steps.js';

export interface CaArgs {
  policyConfig?: string[];
  dataDir?: string;
  force?: boolean;
  stdout?: Writable;
}

type CaConfig = { gateway?: { data_dir?: string; listen?: string }; proxy?: { ca_dir?: string } };

async function configFor(args: CaArgs, cmd: string): Promise<CaConfig> {
  let config: CaConfig = {};
  if (args.policyConfig?.length) {
    try {
      config = (await loadConfigFiles(args.policyConfig)).config as CaConfig;
    } catch (err) {
      throw new ExitError(EXIT.usage, `kt ca ${cmd}: ${(err as Error).message}`);
    }
  }
  if (args.dataDir) config = { ...config, gateway: { ...config.gateway, data_dir: args.dataDir } };
  return config;
}

const pathsFor = async (args: CaArgs, cmd: string): Promise<CaPaths> => caPaths(await configFor(args, cmd));

/** SHA-256 of the certificate's DER, as `AB:CD:…` (what `openssl x509 -fingerprint -sha256` prints). */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

async function existing(args: CaArgs, cmd: string): Promise<{ paths: CaPaths; certPem: string; config: CaConfig }> {
  const config = await configFor(args, cmd);
  const paths = caPaths(config);
  if (!(await caExists(paths))) {
    throw new ExitError(EXIT.usage, `kt ca ${cmd}: no CA in ${paths.dir} yet. Create it with \`kt ca init\`${args.policyConfig?.length ? ' (with the same --policy-config)' : ''}.`);
  }
  return { paths, certPem: await readFile(paths.cert, 'utf8'), config };
}

export async function caInit(args: CaArgs): Promise<void> {
  const out = args.stdout ?? process.stdout;
  const paths = await pathsFor(args, 'init');
  let created: boolean;
  let certPem: string;
  try {
    const r = await initCa(paths, { force: args.force });
    created = r.created;
    certPem = r.ca.certPem;
  } catch (err) {
    throw new ExitError(EXIT.usage, `kt ca init: cannot create the CA in ${paths.dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const fp = fingerprintOf(certPem);
  if (created) {
    out.write(
      `Created the kt local CA${args.force ? ' (replacing the previous one)' : ''}.\n` +
        `  certificate: ${paths.cert}\n  private key: ${paths.key} (mode 0600)\n  SHA-256 fingerprint: ${fp}\n\n` +
        (args.force ? 'Clients that trusted the old CA must trust this one instead; restart a running gateway so it signs with it.\n' : '') +
        'Next: trust it where your clients look (`kt ca trust` prints the exact steps).\n',
    );
  } else {
    out.write(`The kt local CA already exists (kept; use --force to replace it).\n  certificate: ${paths.cert}\n  SHA-256 fingerprint: ${fp}\n`);
  }
}

export async function caPath(args: CaArgs): Promise<void> {
  const { paths } = await existing(args, 'path');
  (args.stdout ?? process.stdout).write(`${paths.cert}\n`);
}

export async function caTrust(args: CaArgs): Promise<void> {
  const { paths, certPem, config } = await existing(args, 'trust');
  (args.stdout ?? process.stdout).write(trustSteps(paths.cert, fingerprintOf(certPem), config.gateway?.listen));
}
