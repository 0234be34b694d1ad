/**
 * The local certificate authority the forward proxy signs leaf certificates with: an ECDSA P-256
 * self-signed CA (`ca.pem`, readable) and its private key (`ca-key.pem`, mode 0600) in the CA
 * directory (`proxy.ca_dir`, default `<data_dir>/ca`). Created once by `kt ca init` (or by the
 * gateway the first time it must intercept); the user then trusts `ca.pem`.
 */
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { resolveDataDir } from '../audit/open-store.js';
import { EC_ALG, generateKeyPair, importPrivateKeyPem, privateKeyPem, randomSerial, x509 } from './x509.js';

export interface LocalCa {
  cert: x509.X509Certificate;
  certPem: string;
  key: CryptoKey;
}

export interface CaPaths {
  dir: string;
  cert: string;
  key: string;
}

const CA_YEARS = 10;

/** `proxy.ca_dir` when set, else `<gateway.data_dir | KT_DATA_DIR | ~/.kt>/ca`. */
export function caPaths(config?: { gateway?: { data_dir?: string }; proxy?: { ca_dir?: string } }): CaPaths {
  const dir = config?.proxy?.ca_dir ? resolveDataDir(config.proxy.ca_dir) : join(resolveDataDir(config?.gateway?.data_dir), 'ca');
  return { dir, cert: join(dir, 'ca.pem'), key: join(dir, 'ca-key.pem') };
}

/** A fresh CA in memory (tests use this for a fake upstream CA too). */
export async function createCa(commonName = `kt local CA (${hostname()})`): Promise<LocalCa & { keyPem: string }> {
  const keys = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }, { O: ['kt'] }],
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + CA_YEARS * 365 * 86_400_000),
    signingAlgorithm: EC_ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, certPem: cert.toString('pem'), key: keys.privateKey, keyPem: await privateKeyPem(keys.privateKey) };
}

export async function loadCa(paths: CaPaths): Promise<LocalCa> {
  const [certPem, keyPem] = await Promise.all([readFile(paths.cert, 'utf8'), readFile(paths.key, 'utf8')]);
  const cert = new x509.X509Certificate(certPem);
  return { cert, certPem, key: await importPrivateKeyPem(keyPem) };
}

export async function caExists(paths: CaPaths): Promise<boolean> {
  try {
    await Promise.all([stat(paths.cert), stat(paths.key)]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a new CA unless one exists (then `created` is false and nothing is touched: replacing a
 * trusted CA would break every client that trusts it). The key is written 0600 from the start.
 */
export async function initCa(paths: CaPaths, opts: { force?: boolean } = {}): Promise<{ created: boolean; ca: LocalCa }> {
  if (!opts.force && (await caExists(paths))) return { created: false, ca: await loadCa(paths) };
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const ca = await createCa();
  await writeFile(paths.key, ca.keyPem, { mode: 0o600 });
  await chmod(paths.key, 0o600); // an existing file keeps its old mode on overwrite
  await writeFile(paths.cert, ca.certPem, { mode: 0o644 });
  return { created: true, ca };
}
