/**
 * Leaf certificates for intercepted hosts, minted on first use and signed by the local CA, kept as
 * ready `SecureContext`s per host. One leaf key pair serves every host (minting then costs one
 * signature). Leaves live 30 days and are re-minted a day before they expire.
 */
import { isIP } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { LocalCa } from './ca.js';
import { EC_ALG, generateKeyPair, privateKeyPem, randomSerial, x509 } from './x509.js';

const LEAF_DAYS = 30;
const DAY = 86_400_000;
const MAX_HOSTS = 1000;

interface Entry {
  ctx: Promise<SecureContext>;
  renewAt: number;
}

export class LeafCache {
  private readonly entries = new Map<string, Entry>();
  private leafKeys?: Promise<{ pair: CryptoKeyPair; pem: string }>;
  /** How many leaves were minted (tests check the cache works). */
  minted = 0;

  constructor(private readonly ca: LocalCa) {}

  /** The TLS context presenting a certificate for `host` (a name or an IP address). */
  contextFor(host: string): Promise<SecureContext> {
    const name = host.toLowerCase();
    const hit = this.entries.get(name);
    if (hit && Date.now() < hit.renewAt) return hit.ctx;
    if (this.entries.size >= MAX_HOSTS) this.entries.delete(this.entries.keys().next().value!);
    const ctx = this.mint(name);
    const entry: Entry = { ctx, renewAt: Date.now() + (LEAF_DAYS - 1) * DAY };
    this.entries.set(name, entry);
    ctx.catch(() => this.entries.get(name) === entry && this.entries.delete(name));
    return ctx;
  }

  private async mint(host: string): Promise<SecureContext> {
    this.leafKeys ??= generateKeyPair().then(async (pair) => ({ pair, pem: await privateKeyPem(pair.privateKey) }));
    const { pair, pem } = await this.leafKeys;
    const certPem = await signLeaf(this.ca, host, pair.publicKey);
    this.minted++;
    return createSecureContext({ key: pem, cert: `${certPem}\n${this.ca.certPem}` });
  }
}

async function signLeaf(ca: LocalCa, hosts: string | readonly string[], publicKey: CryptoKey): Promise<string> {
  const names = typeof hosts === 'string' ? [hosts] : hosts;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [names[0]] }],
    issuer: ca.cert.subject,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + LEAF_DAYS * DAY),
    signingAlgorithm: EC_ALG,
    publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return cert.toString('pem');
}

/** A leaf certificate for one or more names and its own key as PEM (e.g. for a local HTTPS server standing in for providers). */
export async function issueLeaf(ca: LocalCa, hosts: string | readonly string[]): Promise<{ certPem: string; keyPem: string }> {
  const pair = await generateKeyPair();
  return { certPem: await signLeaf(ca, hosts, pair.publicKey), keyPem: await privateKeyPem(pair.privateKey) };
}
