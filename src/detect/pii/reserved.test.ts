/**
 * Values that look like personal data in code and docs but belong to no one (loopback and documentation
 * addresses, example.com mailboxes, fictional 555-01xx numbers, the textbook SSN), URL user-info that is
 * not a mailbox, and spec section numbers that are not addresses — next to real values that must still be
 * found. Snippets written for this project.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPiiDetector } from './index.js';
import { ipClass, reservedDomain } from './reserved.js';

const pii = createPiiDetector();
const found = (text: string, det = pii) => det.scan(text).map((d) => `${d.type}:${text.slice(d.start, d.end)}`);

describe('pii on code: addresses of machines and documentation are not personal', () => {
  it('a server module with its listen address, a test network and a WireGuard peer', () => {
    const code = [
      "export const DEFAULT_LISTEN = '127.0.1.1:41002';",
      "const upstream = process.env.UPSTREAM ?? 'http://10.0.0.5:8080';",
      '// In tests the peer is 203.0.113.5 (TEST-NET-3) and the tunnel 10.0.0.2/32.',
      "if (h === '::1' || h === '0.0.0.7' || h === '::ffff:127.0.0.9' || h.startsWith('::ffff:127.')) return true;",
      "const docs = ['192.0.2.77', '198.51.100.7', '2001:db8:0:7::17', 'fe80::3%en1', '169.254.169.254', '224.0.0.251', '255.255.255.254'];",
      "const lan = ['192.168.1.20', '172.16.4.2', 'fd12:3456::1'];",
    ].join('\n');
    assert.deepEqual(found(code), []);
  });
  it('spec step numbers and OIDs in comments and case labels', () => {
    const code = [
      '      // 4.2.6.1',
      '      // 5.2.1.1. Append the result of collecting a sequence of code points.',
      '     12\t    // 19.2.3.2',
      '  /* RFC-2068, section 19.6.1.2 */',
      "  case '1.3.101.112': return 'SHA-512';",
    ].join('\n');
    assert.deepEqual(found(code), []);
  });
  it('a public address is still personal data, and private ones with ip.include_private', () => {
    assert.deepEqual(found('login from 81.2.69.160 at 09:14'), ['ip-address:81.2.69.160']);
    assert.deepEqual(found('// blocked 81.2.69.160 after three failures'), ['ip-address:81.2.69.160']);
    const withPrivate = createPiiDetector({ ip: { includePrivate: true } });
    assert.deepEqual(found("const lan = ['192.168.1.20', '127.0.1.1'];", withPrivate), ['ip-address:192.168.1.20']);
    const everything = createPiiDetector({ includeReserved: true, ip: { includePrivate: true } });
    assert.deepEqual(found("const lan = ['192.168.1.20', '127.0.1.1'];", everything), ['ip-address:192.168.1.20', 'ip-address:127.0.1.1']);
  });
  it('classifies by the IANA special-purpose registries, embedded IPv4 judged as IPv4', () => {
    const cases: [string, string][] = [
      ['127.0.1.1', 'reserved'], ['0.0.0.7', 'reserved'], ['203.0.113.9', 'reserved'], ['255.255.255.254', 'reserved'],
      ['10.1.2.3', 'private'], ['100.64.0.1', 'private'], ['fd00::1', 'private'], ['::ffff:192.168.7.3', 'private'],
      ['2001:db8::9:1', 'reserved'], ['64:ff9b::198.51.100.42', 'reserved'], ['fe80::3%en0', 'reserved'],
      ['81.2.69.160', 'public'], ['2a02:4f1e::17:a3c', 'public'], ['::ffff:81.2.69.160', 'public'],
    ];
    for (const [a, want] of cases) assert.equal(ipClass(a), want, a);
  });
});

describe('pii on code: mailboxes', () => {
  it('reserved and private-network domains are nobody’s mailbox', () => {
    const code = [
      "const admin = { email: 'admin@example.com', reply: 'noreply@mail.example.org' };",
      "await invite('dev@acme.test'); await invite('x@foo.invalid'); await invite('root@build.local');",
      "const svc = 'ci@runner.internal'; // and support@example.net in the README",
    ].join('\n');
    assert.deepEqual(found(code), []);
    assert.deepEqual(found("email: 'admin@example.com'", createPiiDetector({ includeReserved: true })), ['email:admin@example.com']);
  });
  it('URL user-info is a credential for the secret scanner, not an address', () => {
    const code = [
      'DATABASE_URL=postgres://app:s3cr3t-pw@db.acme-corp.com:5432/app',
      'git clone https://x-access-token:abc123token@github.com/acme/repo.git',
      'curl https://deploy:hunter2@registry.acme-corp.com/v2/',
      'redis://default:pw@cache.acme-corp.com:6379',
      'mysql://app:${DB_PASS}@db.acme-corp.com/app',
      'export PROXY=proxyuser:proxypass@proxy.acme-corp.com:3128',
    ].join('\n');
    assert.deepEqual(found(code), []);
  });
  it('addresses introduced by a label, in a mailto or in prose are still found', () => {
    assert.deepEqual(found('Email:ann.lee@acme-corp.com'), ['email:ann.lee@acme-corp.com']);
    assert.deepEqual(found('<a href="mailto:ann.lee@acme-corp.com">'), ['email:ann.lee@acme-corp.com']);
    assert.deepEqual(found('see https://acme-corp.com/team or write to ann.lee@acme-corp.com'), ['email:ann.lee@acme-corp.com']);
  });
  it('knows the reserved names', () => {
    for (const d of ['example.com', 'mail.example.org', 'example.net', 'shop.example', 'x.test', 'a.invalid', 'dev.localhost', 'printer.local', 'db.internal']) assert.ok(reservedDomain(d), d);
    for (const d of ['example.co.uk', 'examples.com', 'acme-corp.com', 'gmail.com', 'testing.io']) assert.ok(!reservedDomain(d), d);
  });
});

describe('pii on code: numbers', () => {
  it('fictional 555-01xx numbers and the textbook SSN in docs and fixtures', () => {
    const doc = [
      ' * Phone numbers in a national layout (`(212) 555-0175`) or international (`+1 415 555 0187`) count.',
      " * The SSN layout is `123-45-6789`; 666, 000 and 9xx areas are never issued: 666-12-3456, 900-12-3456.",
      "const fixture = { tel: '(415) 555-0199', ssn: '123-45-6789' };",
    ].join('\n');
    assert.deepEqual(found(doc), []);
    assert.deepEqual(found("tel: '(415) 555-0199'", createPiiDetector({ includeReserved: true })), ['phone:(415) 555-0199']);
  });
  it('arithmetic with a big constant is not an international number', () => {
    assert.deepEqual(found('immutable = cachedAt + 31536000000'), []);
    assert.deepEqual(found('call +31 20 794 0958 tomorrow'), ['phone:+31 20 794 0958']);
  });
  it('real-looking values next to them are still found', () => {
    assert.deepEqual(found('SSN 412-56-7890, mobile (212) 413-0175'), ['us-ssn:412-56-7890', 'phone:(212) 413-0175']);
  });
});

describe('pii on code: user-info checks stay linear', () => {
  // Each `@` looks back for a `://`; done per address over the whole text this is quadratic (minutes on a
  // megabyte of addresses), so these would hang past the test timeout.
  it('a megabyte of URLs with user-info, and of addresses after one URL', () => {
    const MB = 1 << 20;
    assert.deepEqual(found('https://u:p@h.acme-corp.com/ '.repeat(MB / 30)), []);
    const many = `see https://acme-corp.com/ then ${'ann@acme-corp.com '.repeat(MB / 18)}`;
    assert.equal(pii.scan(many).length, Math.floor(MB / 18));
  });
});
