/**
 * Validation helpers shared by rules: Shannon entropy, the placeholder / documented-example allow-list
 * (AWS's `…EXAMPLE` keys, `xxxx`, `<your-key>`, `${VAR}`), and format checksums (GitHub / npm CRC32 base62,
 * PyPI macaroons).
 */

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /[A-Za-z0-9+/]EXAMPLE/, // AWS documentation keys (AKIAIOSFODNN7EXAMPLE) and their imitations
  /([A-Za-z])\1{9,}/, // aaaaaaaaaa, XXXXXXXXXX
  /(\d)\1{15,}/,
  /\*{4,}|#{5,}|x{6,}|X{6,}|•{3,}|\.{3,}/,
  /<[^<>]{0,40}>/, // <your-key>, <%= ENV %>
  /\$\{\s*[A-Za-z_][\w.:-]*\s*\}|\{\{\s*[\w.| ]+\}\}|\$\([\w -]*\)|%\(\w+\)s|%[A-Z_]+%/, // ${VAR}, {{ var }}, $(cmd), %(x)s, %VAR%
  /^\$[A-Za-z_][\w]*$/, // a bare $VARIABLE
  /your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|insert[_-]?(?:key|token)[_-]?here|put[_-]your|replace[_-]?(?:me|with)|changeme|redacted|dummy/i,
  /(?:token|key|secret|password)[_-]?here/i, // …AccessTokenHere, API_KEY_HERE
  /(\d{3,})[-_]\1[-_]\1/, // 1234-1234-1234: a repeated group
  /a1b2c3d4/i, // the interleaved sequence documentation uses
  /^(?:abc)?(?:123)?(?:xyz)?$/i,
];

/** True for values that are documentation examples or template placeholders rather than secrets. */
export function isPlaceholder(value: string): boolean {
  for (const re of PLACEHOLDER_PATTERNS) if (re.test(value)) return true;
  return false;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let crcTable: Int32Array | undefined;

/** CRC-32 (IEEE 802.3) of an ASCII string. */
export function crc32(value: string): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < value.length; i++) crc = crcTable[(crc ^ value.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function base62(n: number, width: number): string {
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's current token format (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 30 random characters + 6 characters
 * of base62 CRC32 over the random part; github.blog, "Behind GitHub's new authentication token formats",
 * 2021). npm's `npm_` tokens use the same layout. Older 40-hex tokens have no checksum.
 */
export function prefixedCrcValid(token: string): boolean {
  const m = /^(gh[pousr]_|npm_)([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(token);
  if (!m) return false;
  return base62(crc32(m[2]!), 6) === m[3];
}

/** Kept for callers that only know GitHub tokens. */
export const githubChecksumValid = (token: string): boolean => token.startsWith('gh') && prefixedCrcValid(token);

/** Build a token with a valid checksum (`ghp_`, `npm_` …; used by tests to make examples). */
export function githubTokenWithChecksum(prefix: string, random30: string): string {
  return prefix + random30 + base62(crc32(random30), 6);
}

/** Reads one unsigned LEB128 varint; undefined past the end. */
function varint(buf: Buffer, at: { i: number }): number | undefined {
  let n = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at.i >= buf.length) return undefined;
    const b = buf[at.i++]!;
    n += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return n;
  }
  return undefined;
}

/**
 * A PyPI API token is `pypi-` + a base64url macaroon in libmacaroons' v2 binary layout: version byte 2, a
 * location / identifier section, caveat sections, each closed by an end-of-section byte, then a 32-byte
 * signature. Only a complete, well-formed macaroon parses.
 */
export function pypiMacaroonValid(token: string): boolean {
  if (!token.startsWith('pypi-')) return false;
  const buf = Buffer.from(token.slice(5), 'base64url');
  if (buf[0] !== 2) return false;
  const at = { i: 1 };
  let sawIdentifier = false;
  // Field types: 0 end of section, 1 location, 2 identifier, 4 verification id, 6 signature.
  for (let sections = 0; sections < 256 && at.i < buf.length; ) {
    const type = varint(buf, at);
    if (type === undefined) return false;
    if (type === 0) {
      sections++;
      continue;
    }
    const len = varint(buf, at);
    if (len === undefined || at.i + len > buf.length) return false;
    if (type === 2) sawIdentifier = true;
    else if (type === 6) return sawIdentifier && sections >= 2 && len === 32 && at.i + len === buf.length;
    else if (type !== 1 && type !== 4) return false;
    at.i += len;
  }
  return false;
}

/** Hex, base64 or mixed alphanumerics with both letters and digits: random-looking. */
export function hasLettersAndDigits(value: string): boolean {
  return /[A-Za-z]/.test(value) && /\d/.test(value);
}
