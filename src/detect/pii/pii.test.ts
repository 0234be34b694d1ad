import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPiiDetector, resolveTypes } from './index.js';
import { ibanChecksumValid } from './iban.js';
import { luhnValid } from './payment-card.js';
import { ssnValid } from './us-ssn.js';

const pii = createPiiDetector();
const types = (text: string) => pii.scan(text).map((d) => d.type);
const values = (text: string) => pii.scan(text).map((d) => `${d.type}:${text.slice(d.start, d.end)}`);

describe('pii detector: true positives', () => {
  const cases: [string, string][] = [
    ['Contact me at jane.doe+work@example.co.uk please', 'email:jane.doe+work@example.co.uk'],
    ['punycode: user@xn--mnchen-3ya.de', 'email:user@xn--mnchen-3ya.de'],
    ['call me on +49 30 901820 tomorrow', 'phone:+49 30 901820'],
    ['My US number is (212) 413-0175.', 'phone:(212) 413-0175'],
    ['전화 010-1234-5678', 'phone:010-1234-5678'],
    ['card 4532 0151 1283 0366 exp 12/29', 'credit-card:4532 0151 1283 0366'],
    ['amex 3782-822463-10005', 'credit-card:3782-822463-10005'],
    ['IBAN: DE12 5001 0517 0648 4898 90 (a bank)', 'iban:DE12 5001 0517 0648 4898 90'],
    ['GB82WEST12345698765432', 'iban:GB82WEST12345698765432'],
    ['my SSN is 412-56-7890', 'us-ssn:412-56-7890'],
    ['ssn: 412567890', 'us-ssn:412567890'],
    ['client 93.184.216.34 connected', 'ip-address:93.184.216.34'],
    ['ping 2a02:4f1e::17:a3c now', 'ip-address:2a02:4f1e::17:a3c'],
    ['mapped ::ffff:93.184.216.34 here', 'ip-address:::ffff:93.184.216.34'],
    ['bare mobile', ''],
  ];
  for (const [text, want] of cases.filter((c) => c[1])) {
    it(`finds ${want}`, () => assert.ok(values(text).includes(want), `${JSON.stringify(values(text))}`));
  }
  it('finds a mobile number given as a bare value', () => assert.deepEqual(types('+33612345678'), ['phone']));
});

describe('pii detector: code and near misses stay quiet', () => {
  const quiet: string[] = [
    'const s3 = new S3Client({ region: "us-east-1" }); // EKS C4 cluster',
    'upgrade to version 1.2.3.4 then v10.0.0.1; pin pkg==2.31.0.1',
    '"dependencies": { "react": "^18.2.0", "zod": "4.1.12" }',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixes #1234',
    'id: 550e8400-e29b-41d4-a716-446655440000',
    'sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'const timeoutMs = 1800000000000; const snowflake_id = 4411223344556677889;',
    'std::cout << x; auto p = ::std::make_unique<T>(); xs[::2]; Foo::new()',
    'OID 1.3.6.1.4.1.311.21.8',
    'MAC 0a:1b:2c:3d:4e:5f at 12:34:56',
    'const phone = "{{user.phone}}"; mail = f"{user}@{domain}"',
    'git clone git@github.com:org/repo.git; icon@2x.png; npm i @scope/pkg@1.2.3',
    'range(0, 1000000) and 2024-01-15 and 15/01/2024 and 123456789',
    'card 4532 0151 1283 0367 fails Luhn',
    'RS12 4532 0151 1283 0366 70 is an IBAN near miss, not a card',
    'DE12 5001 0517 0648 4898 91 fails mod-97',
    'ssn 666-12-3456 and 000-12-3456 and 123-00-4567 are not issued',
    'ip 256.1.1.1, 192.168.1, 01.02.03.04',
    'The individual user ID is 42; S3 bucket eks-prod',
  ];
  for (const text of quiet) it(`quiet: ${text.slice(0, 50)}`, () => assert.deepEqual(values(text), []));
});

describe('pii detector: phone numbers that name a person, not a service or another id', () => {
  const phones = (text: string) => createPiiDetector({ types: ['phone'] }).scan(text).map((d) => text.slice(d.start, d.end));
  it('skips toll-free and premium-rate numbers, keeps personal ones of the same country', () => {
    assert.deepEqual(phones('call +1 800 555 0199 or +44 909 879 0000'), []);
    assert.deepEqual(phones('call +44 20 7946 0958 or +49 30 901820'), ['+44 20 7946 0958', '+49 30 901820']);
  });
  it('rejects a trunk prefix after the country code unless written (0)', () => {
    assert.deepEqual(phones('tel +49030123456789'), []);
    assert.deepEqual(phones('tel +49 (0)30 12345678'), ['+49 (0)30 12345678']);
  });
  it('takes "my number is" as phone context, but not a card or account number', () => {
    assert.deepEqual(phones('my number is 13912345670'), ['13912345670']);
    assert.deepEqual(phones('my card number is 13912345670'), []);
    assert.deepEqual(phones('her account number: 13912345670'), []);
  });
  it('leaves dotted runs that start with an IPv4 address and bare SSN layouts alone', () => {
    assert.deepEqual(phones('10.1.2.3.4'), []);
    assert.deepEqual(phones('078-05-1121'), []);
    assert.deepEqual(phones('call me: 078-05-1121'), ['078-05-1121']);
  });
});

describe('pii detector: options and validators', () => {
  it('restricts to the configured types and rejects unknown names', () => {
    const emailOnly = createPiiDetector({ types: ['EMAIL_ADDRESS'] });
    assert.deepEqual(emailOnly.scan('a@b.com and +49 30 901820').map((d) => d.type), ['email']);
    assert.throws(() => resolveTypes(['emial']), /unknown PII type/);
  });
  it('runs detect_patterns in re2 and rejects backreferences', () => {
    const d = createPiiDetector({ types: ['email'], detectPatterns: [{ id: 'employee-id', pattern: 'EMP-\\d{6}' }] });
    const found = d.scan('ticket for EMP-123456');
    assert.deepEqual(found.map((x) => [x.type, x.start, x.end]), [['employee-id', 11, 21]]);
    assert.throws(() => createPiiDetector({ detectPatterns: [{ id: 'bad', pattern: '(a)\\1' }] }), /linear-time/);
  });
  it('checks Luhn, mod-97 and SSA rules', () => {
    assert.equal(luhnValid('4532015112830366'), true);
    assert.equal(luhnValid('4532015112830367'), false);
    assert.equal(ibanChecksumValid('GB82WEST12345698765432'), true);
    assert.equal(ibanChecksumValid('GB82WEST12345698765433'), false);
    assert.equal(ssnValid('123', '45', '6789'), true);
    assert.equal(ssnValid('900', '45', '6789'), false);
  });
  it('reports offsets, never values', () => {
    const [d] = pii.scan('mail a@mail.acme-corp.com');
    assert.deepEqual(Object.keys(d!).sort(), ['category', 'confidence', 'end', 'rule', 'start', 'type']);
  });
});

describe('pii detector: email is linear in long atext runs', () => {
  // A forward regex tried every start inside these runs and read to the run's end each time (5 s for the
  // 50 KB data URI, 150 s for 200 KB); a regression makes these tests hang past the test timeout.
  const emailOnly = createPiiDetector({ types: ['email'] });
  const emails = (text: string) => emailOnly.scan(text).map((d) => text.slice(d.start, d.end));
  for (const size of [50_000, 200_000]) {
    it(`finds the address after a ${size / 1000} KB data URI`, () => {
      const text = `<img src="data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUg'.repeat(size / 22)}"> contact: a@b.co`;
      assert.deepEqual(emails(text), ['a@b.co']);
    });
  }
  it("finds nothing in 'a.' × 40,000 + '@'", () => assert.deepEqual(emails('a.'.repeat(40_000) + '@'), []));
  it('does not take a local part longer than 64 characters (RFC 5321)', () => {
    assert.deepEqual(emails('a.'.repeat(40_000) + '@acme-corp.com'), []);
    assert.deepEqual(emails(`${'b'.repeat(64)}@acme-corp.com`), [`${'b'.repeat(64)}@acme-corp.com`]);
    assert.deepEqual(emails(`${'b'.repeat(65)}@acme-corp.com`), []);
  });
  it('keeps dot-atom rules: no leading, trailing or doubled dots', () => {
    assert.deepEqual(emails('x..foo@a.com .bar@a.com baz.@a.com'), ['foo@a.com', 'bar@a.com']);
    assert.deepEqual(emails("'jane.doe@acme-corp.org', mailto:bob.smith@acme-corp.com,"), ['jane.doe@acme-corp.org', 'bob.smith@acme-corp.com']);
  });
  it('handles a megabyte of @ and atext without a domain', () => {
    assert.deepEqual(emails('a@'.repeat(500_000)), []);
    assert.deepEqual(emails(`${'x'.repeat(1 << 20)}@`), []);
  });
});

describe('pii detector: bounded on 1 MB adversarial input', () => {
  const MB = 1 << 20;
  const inputs = {
    'digit run': '7'.repeat(MB),
    'digit groups': '12 34 '.repeat(MB / 6),
    'phones with context': 'tel 030 1234567 '.repeat(MB / 16),
    'emails': 'a.b.c.d@e.f.g.h.acme-corp.com '.repeat(MB / 30),
    'dots and colons': '1.1.1.1:1::'.repeat(MB / 11),
    'at signs': '@'.repeat(MB),
  };
  for (const [name, text] of Object.entries(inputs)) {
    it(`completes on ${name}`, () => {
      const found = pii.scan(text);
      assert.ok(Array.isArray(found));
      if (name === 'emails') assert.ok(found.length > 30000);
    });
  }
});
