/** Key material and signed tokens: PEM / OpenSSH / PGP / PuTTY private keys, age, WireGuard, secp256k1, JWTs. */
import type { SecretRule } from '../rule.js';
import { prefixed } from '../rule.js';
import { fake } from '../sample.js';
import { entropy } from '../validate.js';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const bech32 = (n: number) => [...fake(n, 'an')].map((c) => 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'[c.charCodeAt(0) % 32]).join('');
const pemBody = () => Array.from({ length: 6 }, () => fake(64, 'aAn+')).join('\n');

/** A JWT's header must be a JSON object naming alg or typ; the payload must decode to an object. */
function validJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  // Lenient on purpose: a header with a damaged byte is still a token someone pasted.
  const h = Buffer.from(header, 'base64url').toString('latin1');
  if (!h.startsWith('{"') || !/"(?:alg|typ)"/.test(h)) return false;
  return Buffer.from(payload, 'base64url').toString('latin1').startsWith('{');
}

export const keyRules: SecretRule[] = [
  {
    id: 'private-key',
    description: 'PEM / OpenSSH / PGP private key block (RSA, DSA, EC, PKCS#8, encrypted), newline- or \\n-escaped.',
    keywords: ['-----begin'],
    pattern:
      // Greedy body + optional footer: no lazy loop, so a megabyte of base64 without END costs one pass.
      /(?<secret>-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|\s)*(?:(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):[^\n\\]*(?:\\[rn]|\s)+)*(?:[A-Za-z0-9+/=\s]|\\[rn]|"\s*\+\s*")+(?:-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----)?)/,
    after: 65536,
    allowPlaceholders: true,
    validate: (s) => {
      const body = s.replace(/-----[A-Z0-9 _-]+-----/g, '').replace(/(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):[^\n\\]*/g, '').replace(/\\[rn]|\s|"\s*\+\s*"/g, '');
      return body.length >= 64 && entropy(body) > 4.5;
    },
    truePositives: [
      `-----BEGIN RSA PRIVATE KEY-----\n${pemBody()}\n-----END RSA PRIVATE KEY-----`,
      `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${pemBody().replace(/\n/g, '\\n')}\\n-----END PRIVATE KEY-----\\n"}`,
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${pemBody()}\n-----END OPENSSH PRIVATE KEY-----`,
    ],
    falsePositives: [
      { text: '-----BEGIN PRIVATE KEY-----\n***\n-----END PRIVATE KEY-----', why: 'redacted body' },
      { text: '-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----', why: 'empty body' },
      { text: `-----BEGIN PUBLIC KEY-----\n${pemBody()}\n-----END PUBLIC KEY-----`, why: 'public key' },
    ],
  },
  {
    id: 'private-key-base64',
    description: 'A PEM private key that was base64-encoded once more (LS0tLS1CRUdJTi… = "-----BEGIN ").',
    keywords: ['ls0tls1crudjti'],
    pattern: prefixed('LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,}={0,2}'),
    after: 16384,
    validate: (s) => /PRIVATE KEY-----/.test(Buffer.from(s.slice(0, 80), 'base64').toString('latin1')),
    truePositives: [`PRIVATE_KEY_B64=${Buffer.from(`-----BEGIN RSA PRIVATE KEY-----\n${pemBody()}\n-----END RSA PRIVATE KEY-----`).toString('base64')}`],
    falsePositives: [{ text: Buffer.from(`-----BEGIN CERTIFICATE-----\n${pemBody()}\n-----END CERTIFICATE-----`).toString('base64'), why: 'an encoded certificate, not a key' }],
  },
  {
    id: 'onepassword-service-account-token',
    description: '1Password service-account token (ops_ + base64 JSON).',
    keywords: ['ops_eyj'],
    pattern: prefixed('ops_eyJ[A-Za-z0-9+/_-]{100,}={0,2}'),
    after: 4096,
    truePositives: [`OP_SERVICE_ACCOUNT_TOKEN=ops_${Buffer.from(JSON.stringify({ email: 'x@example.invalid', muk: { alg: 'A256GCM', k: fake(43) } })).toString('base64url')}`],
    falsePositives: [{ text: 'ops_eyJ', why: 'prefix alone' }],
  },
  {
    id: 'putty-private-key',
    description: 'PuTTY .ppk private key.',
    keywords: ['putty-user-key-file-'],
    before: 8,
    pattern: /PuTTY-User-Key-File-\d: [\w-]+[\s\S]{0,2000}?Private-Lines: \d+\s+(?<secret>(?:[A-Za-z0-9+/=]+\s*){1,40})/,
    after: 8192,
    truePositives: [`PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\n${fake(64, 'aAn+')}\nPrivate-Lines: 1\n${fake(64, 'aAn+')}\n`],
    falsePositives: [{ text: 'PuTTY-User-Key-File-3: ssh-ed25519', why: 'header only' }],
  },
  {
    id: 'age-identity-x22519-secret-key',
    description: 'age X25519 identity (AGE-SECRET-KEY-1…, bech32).',
    keywords: ['age-secret-key-1'],
    pattern: /(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Z0-9])/,
    truePositives: [`# public key: age1...\nAGE-SECRET-KEY-1${bech32(58)}`],
    falsePositives: [{ text: `AGE-SECRET-KEY-1${'P'.repeat(58)}`, why: 'placeholder' }],
  },
  {
    id: 'wireguard-private-key',
    description: 'WireGuard interface private key or peer preshared key (44-char base64).',
    keywords: ['privatekey', 'presharedkey'],
    before: 8,
    pattern: /(?:PrivateKey|PresharedKey)\s*=\s*(?<secret>[A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=])/,
    truePositives: [`[Interface]\nAddress = 10.0.0.2/32\nPrivateKey = ${fake(43, 'aAn+')}=`, `[Peer]\nPresharedKey = ${fake(43, 'aAn+')}=`],
    falsePositives: [{ text: 'PrivateKey = [your private key]', why: 'placeholder' }],
  },
  {
    id: 'secp256k1-private-key',
    description: 'Raw secp256k1 / Ethereum private key (0x + 64 hex), or 64 hex assigned to a private-key name.',
    keywords: ['0x', 'private_key', 'privatekey', 'private-key', 'priv_key'],
    pattern: /(?<![A-Za-z0-9])(?<secret>0x[a-fA-F0-9]{64})(?![A-Za-z0-9])|priv(?:ate)?[_-]?key["']?\s*[:=]\s*["']?(?<secret2>[a-fA-F0-9]{64})(?![A-Za-z0-9])/i,
    before: 48,
    after: 80,
    minEntropy: 3.2,
    truePositives: [`forgot this here 0x${fake(64, 'h')}!`, `PRIVATE_KEY="${fake(64, 'h')}"`],
    falsePositives: [
      { text: `0x${'1'.repeat(64)}`, why: 'placeholder (one digit repeated)' },
      { text: `DOTENV_PUBLIC_KEY="03${fake(64, 'h')}"`, why: 'a public key: 66 hex, no private-key name' },
    ],
  },
  {
    id: 'jwt',
    description: 'JSON Web Token (header.payload[.signature]) whose header decodes to JSON naming alg/typ.',
    keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,}={0,2}\.eyJ[A-Za-z0-9_-]{5,}={0,2}(?:\.[A-Za-z0-9_-]*={0,2})?)(?![A-Za-z0-9_-])/,
    before: 4,
    after: 8192,
    validate: validJwt,
    truePositives: [
      `Authorization: Bearer ${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: fake(8, 'n'), iat: 1700000000 })}.${fake(43, 'aAn_-')}`,
      `token=${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ name: 'x' })}`,
    ],
    falsePositives: [
      { text: 'eyJAAAA.eyJBBB', why: 'does not decode to JSON' },
      { text: `${b64url({ kid: 1 })}.${b64url({ a: 1 })}.sig`, why: 'header names neither alg nor typ' },
    ],
  },
  {
    id: 'django-secret-key',
    description: 'Django SECRET_KEY literal (django-insecure- or a 40+ char literal).',
    keywords: ['secret_key'],
    before: 8,
    pattern: /SECRET_KEY\s*=\s*(['"])(?<secret>django-insecure-[^'"\n]{20,}|[^'"\s]{40,})\1/,
    minEntropy: 3.5,
    truePositives: [`SECRET_KEY = 'django-insecure-${fake(50, 'an!@#%^&*(-_=+)')}'`],
    falsePositives: [{ text: "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']", why: 'read from the environment' }],
  },
  {
    id: 'json-web-token-secret',
    description: 'JWT signing secret in configuration (jwt: secret:, jwtSecret, JWT_SECRET).',
    keywords: ['jwt'],
    before: 8,
    pattern: /jwt[\w-]*?(?:\s*:\s*\n(?:[ \t]+[\w-]+:[^\n]*\n){0,4}?[ \t]+secret|[_-]?secret(?:[_-]?key)?)["']?\s*[:=]\s*(['"])(?<secret>[^'"\n]{8,200})\1/i,
    truePositives: [`jwt:\n  secret: "${fake(32, 'h')}"\n  ttl: 3600`, `JWT_SECRET='${fake(24, 'aAn#!')}'`],
    falsePositives: [{ text: 'JWT_SECRET=${JWT_SECRET}', why: 'environment reference' }],
  },
];
