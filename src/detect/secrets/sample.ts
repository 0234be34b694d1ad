/**
 * Deterministic fake credential bodies for rule examples and tests. Examples are generated rather than
 * written out, so the repository holds no string that a secret scanner (ours or anyone's) would flag.
 */

const ALPHABETS: Record<string, string> = {
  a: 'abcdefghijklmnopqrstuvwxyz',
  A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  n: '0123456789',
  h: '0123456789abcdef',
  H: '0123456789ABCDEF',
  '-': '-',
  _: '_',
  '+': '+/',
  '.': '.',
  '~': '~',
};

let state = 0x2545f491;

/** mulberry32: small, seedable, good enough to look random. */
function next(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * `len` characters drawn from the named alphabets (`a` lower, `A` upper, `n` digits, `h` lower hex,
 * `H` upper hex, `-`, `_`, `+` (`+/`), `.`, `~`). The output always mixes letters and digits when the
 * alphabet has both, so it never reads as a word or a placeholder.
 */
export function fake(len: number, alphabets = 'aAn'): string {
  const chars = [...new Set([...alphabets].map((a) => ALPHABETS[a] ?? a).join(''))].join('');
  for (;;) {
    let out = '';
    for (let i = 0; i < len; i++) out += chars[Math.floor(next() * chars.length)];
    const needsMix = /[a-zA-Z]/.test(chars) && /\d/.test(chars) && len >= 8;
    if (!needsMix || (/[a-zA-Z]/.test(out) && /\d/.test(out) && !/(.)\1{3}/.test(out))) return out;
  }
}

/** A random lower-case UUID v4. */
export function fakeUuid(): string {
  const h = fake(32, 'h');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A well-formed PyPI token: `pypi-` + a base64url v2 macaroon (location, a random identifier, one caveat,
 * a random 32-byte signature), so checksum-style validation has something real to parse.
 */
export function fakeMacaroon(location: string): string {
  const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
  const caveat = Buffer.from(JSON.stringify({ version: 1, permissions: { projects: [fake(12, 'a')] }, expires: 1900000000 }));
  const bytes = Buffer.concat([
    Buffer.from([2]),
    field(1, Buffer.from(location)),
    field(2, Buffer.from(fake(32, 'h'), 'hex')),
    Buffer.from([0]),
    field(2, caveat),
    Buffer.from([0, 0]),
    field(6, Buffer.from(fake(64, 'h'), 'hex')),
  ]);
  return `pypi-${bytes.toString('base64url')}`;
}
