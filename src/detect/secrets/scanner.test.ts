/** Scanner behaviour: offsets at the value, wrappers coding assistants add, user patterns, bounded time. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretScanner, SecretPatternError } from './scanner.js';
import { fake, fakeMacaroon } from './sample.js';
import { githubTokenWithChecksum, prefixedCrcValid, pypiMacaroonValid } from './validate.js';

const scanner = createSecretScanner();
const pemLines = () => [
  '-----BEGIN RSA PRIVATE KEY-----',
  ...Array.from({ length: 8 }, () => fake(64, 'aAn+')),
  '-----END RSA PRIVATE KEY-----',
];

/** The one detection a text must produce, and the text it covers. */
function only(text: string) {
  const found = scanner.scan(text);
  assert.equal(found.length, 1, `expected one detection, got ${JSON.stringify(found)}`);
  return { ...found[0], covered: text.slice(found[0].start, found[0].end) };
}

describe('secret scanner', () => {
  it('reports the value, not the variable name, with category secret', () => {
    const token = `ghp_${fake(36)}`;
    const d = only(`const GITHUB_TOKEN = "${token}";\n`);
    assert.equal(d.covered, token);
    assert.equal(d.category, 'secret');
    assert.equal(d.rule, 'github-pat');

    const password = fake(16, 'aAn!#');
    assert.equal(only(`db:\n  password: "${password}"\n`).covered, password);
  });

  it('finds nothing in ordinary code', () => {
    const code = [
      'export function hashPassword(password: string): string {',
      '  const token = request.headers.authorization;',
      '  return crypto.createHash("sha256").update(password).digest("hex");',
      '}',
      'const apiKey = process.env.OPENAI_API_KEY;',
      "const url = `https://${host}:${port}/v1`;",
    ].join('\n');
    assert.deepEqual(scanner.scan(code), []);
  });

  it('sees through cat -n line numbers (Claude Code Read) and covers the whole key', () => {
    const lines = pemLines();
    const numbered = lines.map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');
    const d = only(numbered);
    assert.ok(d.covered.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
    assert.ok(d.covered.endsWith('-----END RSA PRIVATE KEY-----'));
    for (const line of lines.slice(1, -1)) assert.ok(d.covered.includes(line), 'a key line was left outside the range');
  });

  for (const [name, prefix] of [
    ['12: ', (n: number) => `${n}: `],
    ['12 | ', (n: number) => `${n} | `],
  ] as const) {
    it(`sees through "${name}" line prefixes`, () => {
      const text = pemLines().map((l, i) => prefix(i + 1) + l).join('\n');
      const d = only(text);
      assert.ok(d.covered.includes('-----END RSA PRIVATE KEY-----'));
    });
  }

  it('sees through JSON-escaped file contents (Cline) and maps offsets back to the escaped text', () => {
    const file = pemLines().map((l, i) => `${i + 1} | ${l}`).join('\n');
    const escaped = JSON.stringify({ path: 'id_rsa', content: file });
    const wrapped = JSON.stringify(`[read_file for 'id_rsa'] Result:\n${escaped}`);
    const d = only(wrapped);
    assert.ok(d.covered.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
    assert.ok(d.covered.endsWith('-----END RSA PRIVATE KEY-----'));
    // Replacing exactly that range removes every line of the key from what would be sent.
    const redacted = wrapped.slice(0, d.start) + '[REDACTED]' + wrapped.slice(d.end);
    assert.ok(!redacted.includes('PRIVATE KEY'));
  });

  it('finds a single-line token inside a JSON string with escaped quotes', () => {
    const token = `sk-proj-${fake(40)}T3BlbkFJ${fake(40)}`;
    const body = JSON.stringify({ role: 'tool', content: JSON.stringify({ env: `OPENAI_API_KEY=\"${token}\"` }) });
    const d = only(body);
    assert.equal(d.covered, token);
  });

  it('finds a key deep in a long listing: only the stretches around hits are unwrapped, and in full', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `const value${i} = compute(${i});`);
    const lines = [...filler, ...pemLines(), ...filler];
    const numbered = lines.map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');
    const d = only(numbered);
    assert.ok(d.covered.startsWith('-----BEGIN RSA PRIVATE KEY-----') && d.covered.endsWith('-----END RSA PRIVATE KEY-----'));
    const escaped = JSON.stringify(lines.join('\n')).slice(1, -1);
    const e = only(escaped);
    assert.ok(e.covered.startsWith('-----BEGIN RSA PRIVATE KEY-----') && e.covered.endsWith('-----END RSA PRIVATE KEY-----'));
  });

  it('widens an unwrapped stretch when escapes shrink it more than the room kept (\\u00XX bodies)', () => {
    const lines = pemLines();
    // 40 KB of key body, six escaped characters for each one decoded: more than twice the rule's reach raw.
    const body = Array.from({ length: 600 }, () => fake(64, 'aAn+')).join('\n');
    const uEscaped = [...body].map((ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')).join('');
    const text = `"note": "a\\nb\\nc", "key": "${lines[0]}\\n${uEscaped}\\n${lines.at(-1)}"`;
    const d = only(text);
    assert.ok(d.covered.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
    assert.ok(d.covered.endsWith('-----END RSA PRIVATE KEY-----'), 'the whole escaped body is covered');
  });

  it('finds keywords and anchors as JSON escapes leave them (`:\\/\\/`, `\\nSK…`)', () => {
    const url = `postgres:\\/\\/app:${fake(16)}@db.internal:5432\\/app`;
    const text = `{"env": "A=1\\nB=2\\nDATABASE_URL=${url}\\nTWILIO=\\nSK${fake(32, 'h')}\\n"}`;
    const rules = scanner.scan(text).map((x) => x.rule).sort();
    assert.deepEqual(rules, ['twilio-key', 'url-basic-auth']);
  });

  it('does not flag documentation examples and placeholders', () => {
    for (const text of [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'password: ${DB_PASSWORD}',
      'api_key = "<your-api-key>"',
      'Authorization: Bearer $TOKEN',
      'DATABASE_URL=postgres://user:${PGPASSWORD}@localhost/db',
    ]) {
      assert.deepEqual(scanner.scan(text), [], text);
    }
  });

  it('merges overlapping findings into one range named by the more specific rule', () => {
    const key = `sk_live_${fake(32)}`;
    const d = only(`STRIPE_SECRET = "${key}"`);
    assert.equal(d.rule, 'stripe-key');
    assert.equal(d.covered, key);
  });

  describe('format checksums', () => {
    it('validate GitHub / npm CRC32 tails and PyPI macaroons', () => {
      const token = githubTokenWithChecksum('ghp_', fake(30));
      assert.equal(prefixedCrcValid(token), true);
      assert.equal(prefixedCrcValid(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), false);
      assert.equal(prefixedCrcValid(githubTokenWithChecksum('npm_', fake(30))), true);
      const macaroon = fakeMacaroon('pypi.org');
      assert.equal(pypiMacaroonValid(macaroon), true);
      assert.equal(pypiMacaroonValid(macaroon.slice(0, -8)), false, 'a truncated macaroon does not parse');
      assert.equal(pypiMacaroonValid(`pypi-AgEIcHlwaS5vcmc${fake(170, 'aAn_-')}`), false);
    });

    it('raise confidence, and a checksummed token is a secret even when its random part looks regular', () => {
      const checked = githubTokenWithChecksum('ghp_', `${'Q'.repeat(10)}${fake(20)}`);
      const d = only(`token: ${checked}`);
      assert.equal(d.covered, checked);
      assert.equal(d.confidence, 0.99);
      // The same shape without a valid tail is a placeholder, and an ordinary unchecked token keeps 0.9.
      assert.deepEqual(scanner.scan(`token: ghp_${'Q'.repeat(10)}${fake(26)}`), []);
      assert.equal(only(`token: ghp_${fake(36)}`).confidence, 0.9);
    });
  });

  describe('additional patterns', () => {
    it('compile with RE2 and report the secret group or the whole match', () => {
      const s = createSecretScanner({
        additionalPatterns: [
          { id: 'acme-internal', pattern: 'ACME-[0-9]{6}' },
          { id: 'acme-named', pattern: 'acme_key=(?P<secret>[a-z]{8})' },
        ],
      });
      const text = 'ticket ACME-123456 and acme_key=qwertyui done';
      const found = s.scan(text).map((d) => [d.rule, text.slice(d.start, d.end)]);
      assert.deepEqual(found, [
        ['acme-internal', 'ACME-123456'],
        ['acme-named', 'qwertyui'],
      ]);
    });

    it('reject what RE2 cannot compile, naming the pattern index', () => {
      assert.throws(
        () => createSecretScanner({ additionalPatterns: [{ id: 'ok', pattern: 'a+' }, { id: 'backref', pattern: '(a)\\1' }] }),
        (err: unknown) => err instanceof SecretPatternError && err.index === 1 && err.code === 'KT_ERR_INVALID_PATTERN' && /additional_patterns\[1\]/.test(err.message),
      );
    });
  });

  it('finishes 1 MB adversarial inputs (long runs, nested-quantifier bait, repeated prefixes)', () => {
    const mb = 1_000_000;
    const inputs = [
      'a'.repeat(mb),
      '='.repeat(mb),
      'QUJD'.repeat(mb / 4),
      'password="'.repeat(mb / 10),
      '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(mb),
      '-----BEGIN PRIVATE KEY-----\n'.repeat(mb / 28),
      'eyJhbGciOi.'.repeat(mb / 11),
      'x://a:b'.repeat(mb / 7),
      'token = "' + 'a'.repeat(mb) + '!',
      'sk-xoxb-ghp_AKIA'.repeat(mb / 16),
      '\\n'.repeat(mb / 2),
      '1\t'.repeat(mb / 2),
    ];
    for (const text of inputs) {
      const found = scanner.scan(text);
      assert.ok(Array.isArray(found));
      // Runs of one character are placeholders, never secrets.
      if (/^(.)\1+$/.test(text)) assert.deepEqual(found, []);
    }
  });
});
