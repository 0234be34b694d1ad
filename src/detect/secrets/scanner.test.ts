/** Scanner behaviour: offsets at the value, wrappers coding assistants add, user patterns, bounded time. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretScanner, SecretPatternError } from './scanner.js';
import { fake } from './sample.js';

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
