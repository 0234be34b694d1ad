/**
 * Normalised views of a text for injection matching, each with a map back to original offsets.
 * One linear pass: zero-width, variation-selector and soft-hyphen characters are dropped; Unicode tag
 * characters (U+E0020–E007E, "ASCII smuggling") are decoded to the ASCII they hide; full-width and other
 * compatibility forms (math alphanumerics, ligatures) go through NFKC; Cyrillic/Greek look-alikes next to
 * Latin letters become Latin; everything is lower-cased. A second pass undoes leetspeak inside mixed
 * letter-digit words, and a "squashed" view keeps letters only, so `i g n o r e`, `i.g.n.o.r.e` and
 * `ig\u200Bnore` all read `ignore`.
 */

export interface View {
  text: string;
  /**
   * Original offset of each character of `text`; one extra entry holds the original length. `null` when
   * the view keeps every offset (lower-casing and leetspeak rewrite characters in place): most texts.
   */
  map: Int32Array | null;
}

/** Original offset of view position `i`. */
export const origin = (v: View, i: number): number => (v.map ? v.map[i]! : i);

export interface NormalizeOptions {
  unicode: boolean;
  homoglyphs: boolean;
}

// Latin look-alikes (Unicode confusables, the ones seen in attacks): Cyrillic and Greek.
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ɡ: 'g', ӏ: 'l', А: 'a', В: 'b', Е: 'e', К: 'k',
  М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', Х: 'x', І: 'i', Ј: 'j', Ѕ: 's', α: 'a', ο: 'o', ν: 'v',
  ι: 'i', κ: 'k', τ: 't', ρ: 'p', υ: 'u', ε: 'e', Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k',
  Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Χ: 'x', Υ: 'y',
};

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x00ad ||
    cp === 0x034f || cp === 0x180e || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) ||
    cp === 0xe0001 || cp === 0xe007f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
  );
}

const isAsciiLetterCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
/** Latin letter code of each look-alike code unit, 0 for none (all look-alikes are in the BMP). */
const GLYPH = new Uint16Array(65536);
for (const [k, v] of Object.entries(HOMOGLYPHS)) GLYPH[k.charCodeAt(0)] = v.charCodeAt(0);

const nfkcCache = new Map<string, string>();
function nfkc(ch: string): string {
  let v = nfkcCache.get(ch);
  if (v === undefined) {
    v = ch.normalize('NFKC').toLowerCase();
    if (nfkcCache.size < 4096) nfkcCache.set(ch, v);
  }
  return v;
}

const NON_ASCII = /[^\u0000-\u007f]/g;

/**
 * The normalised form of this non-ASCII code unit is itself, in place: not invisible, not a tag
 * character, not a look-alike, NFKC-stable and lower-case (`—`, `→`, `é`, CJK). Surrogates never are
 * (astral characters go through the full pass).
 */
function inert(code: number, opts: NormalizeOptions): boolean {
  if (code >= 0xd800 && code <= 0xdfff) return false;
  const cache = opts.unicode ? (opts.homoglyphs ? INERT_UH : INERT_U) : opts.homoglyphs ? INERT_H : INERT;
  const known = cache[code]!;
  if (known !== 0) return known === 1;
  let yes = !(opts.unicode && isInvisible(code));
  const ch = String.fromCharCode(code);
  if (yes && opts.homoglyphs && GLYPH[code]) yes = false;
  if (yes) yes = (opts.unicode ? nfkc(ch) : ch.toLowerCase()) === ch;
  cache[code] = yes ? 1 : 2;
  return yes;
}
// Per option set, what `inert` said about each BMP code unit: 0 not asked yet, 1 inert, 2 not.
const INERT_UH = new Uint8Array(65536);
const INERT_U = new Uint8Array(65536);
const INERT_H = new Uint8Array(65536);
const INERT = new Uint8Array(65536);

/** Offset of the first non-ASCII code unit of `input` at or after `from` that is not inert, or -1. */
function nextNonInert(input: string, from: number, opts: NormalizeOptions): number {
  // Look at the next few code units directly (dense zero-width or look-alike soup), then let the regex
  // jump over ASCII (sparse `…` in code).
  const near = Math.min(input.length, from + 32);
  for (let i = from; i < near; i++) {
    const c = input.charCodeAt(i);
    if (c >= 128 && !inert(c, opts)) return i;
  }
  if (near >= input.length) return -1;
  NON_ASCII.lastIndex = near;
  for (let m = NON_ASCII.exec(input); m; m = NON_ASCII.exec(input)) if (!inert(m[0].charCodeAt(0), opts)) return m.index;
  return -1;
}

/** What one non-inert character at `i` (`width` code units) reads as. */
function replacement(input: string, i: number, cp: number, width: number, opts: NormalizeOptions): string {
  if (cp < 0x80) return String.fromCharCode(cp >= 65 && cp <= 90 ? cp + 32 : cp);
  if (opts.unicode && isInvisible(cp)) return '';
  if (opts.unicode && cp >= 0xe0020 && cp <= 0xe007e) {
    const c = cp - 0xe0000;
    return String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  const glyph = opts.homoglyphs && width === 1 ? GLYPH[cp]! : 0;
  if (glyph) {
    // A look-alike reads as Latin next to a Latin letter, or next to another look-alike that is.
    const next = input.charCodeAt(i + 1);
    if (isAsciiLetterCode(input.charCodeAt(i - 1)) || isAsciiLetterCode(next) || (GLYPH[next] && isAsciiLetterCode(input.charCodeAt(i + 2)))) return String.fromCharCode(glyph);
  }
  const ch = width === 1 ? String.fromCharCode(cp) : input.slice(i, i + width);
  return opts.unicode ? nfkc(ch) : ch.toLowerCase();
}

export function normalize(input: string, opts: NormalizeOptions): View {
  // Fast path: ASCII, and text whose other characters are already in normal form (`—`, `→`, CJK), needs
  // only lower-casing, which keeps offsets.
  let at = nextNonInert(input, 0, opts);
  if (at < 0) return { text: deLeet(input.toLowerCase()), map: null };
  // Otherwise the stretches between non-inert characters are lower-cased as they are (same length), and
  // each non-inert character is replaced by what it reads as, mapped back to its own offset.
  const parts: string[] = [];
  const map = new Int32Array(input.length * 2 + 8);
  let k = 0;
  let mapped = map;
  const put = (from: number, len: number, identity: boolean) => {
    if (k + len + 1 > mapped.length) {
      const grown = new Int32Array((k + len + 1) * 2);
      grown.set(mapped.subarray(0, k));
      mapped = grown;
    }
    if (identity) for (let q = 0; q < len; q++) mapped[k++] = from + q;
    else for (let q = 0; q < len; q++) mapped[k++] = from;
  };
  let last = 0;
  while (at >= 0) {
    if (at > last) {
      parts.push(input.slice(last, at).toLowerCase());
      put(last, at - last, true);
    }
    const cp = input.codePointAt(at)!;
    const width = cp > 0xffff ? 2 : 1;
    const r = replacement(input, at, cp, width, opts);
    if (r.length) {
      parts.push(r);
      put(at, r.length, false);
    }
    last = at + width;
    // Dense (zero-width soup, look-alike prose): one pass per code unit beats a slice per character.
    if (parts.length > 256 && parts.length * 4 > last) return dense(input, last, parts, mapped.subarray(0, k), opts);
    at = last < input.length ? nextNonInert(input, last, opts) : -1;
  }
  if (last < input.length) {
    parts.push(input.slice(last).toLowerCase());
    put(last, input.length - last, true);
  }
  put(input.length, 1, false);
  return { text: deLeet(parts.join('')), map: mapped.subarray(0, k) };
}

/** The rest of `input` from `from`, one code unit at a time, after the `parts` and `map` built so far. */
function dense(input: string, from: number, parts: string[], head: Int32Array, opts: NormalizeOptions): View {
  let codes = new Uint16Array(input.length - from + 16);
  let map = new Int32Array(head.length + codes.length + 1);
  map.set(head);
  let n = 0;
  let k = head.length;
  const push = (code: number, orig: number) => {
    if (n >= codes.length) {
      // NFKC can expand one character into several (`ﷺ`).
      const c2 = new Uint16Array(codes.length * 2);
      c2.set(codes);
      codes = c2;
      const m2 = new Int32Array(head.length + codes.length + 1);
      m2.set(map);
      map = m2;
    }
    codes[n++] = code;
    map[k++] = orig;
  };
  for (let i = from; i < input.length; ) {
    const c = input.charCodeAt(i);
    if (c < 128) {
      push(c >= 65 && c <= 90 ? c + 32 : c, i);
      i++;
    } else if (inert(c, opts)) {
      push(c, i);
      i++;
    } else {
      const cp = input.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const r = replacement(input, i, cp, width, opts);
      for (let q = 0; q < r.length; q++) push(r.charCodeAt(q), i);
      i += width;
    }
  }
  map[k] = input.length;
  parts.push(UTF16.decode(codes.subarray(0, n)));
  return { text: deLeet(parts.join('')), map: map.subarray(0, k + 1) };
}

const UTF16 = new TextDecoder('utf-16le');

// A letter next to a leet character marks a candidate word; each word is expanded and rewritten once.
// Two single-direction patterns: a fixed-length class sequence is one fast native scan each, where the
// alternation of both directions tries two branches at every position.
const SEED_LETTER_FIRST = /[a-z][0-9@$]/g;
const SEED_LEET_FIRST = /[0-9@$][a-z]/g;
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 64 || c === 36;

function seedsOf(text: string, re: RegExp): number[] {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

/** Inside a word that mixes letters and leet digits (`1gn0r3`), read the digits as letters. Same length. */
function deLeet(text: string): string {
  const a = seedsOf(text, SEED_LETTER_FIRST);
  const b = seedsOf(text, SEED_LEET_FIRST);
  if (a.length === 0 && b.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  let wordEnd = 0;
  // Seeds of both lists in text order; a seed inside a word already looked at adds nothing.
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    const seed = j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!;
    if (seed < wordEnd) continue;
    let s = seed;
    let e = seed + 2;
    while (s > last && isWordCode(text.charCodeAt(s - 1))) s--;
    while (e < text.length && isWordCode(text.charCodeAt(e))) e++;
    wordEnd = e;
    // Leetspeak hides words (`1gn0r3`); a run of dozens of letters and digits is a hash, a key or a blob.
    if (e - s > 40) continue;
    const w = text.slice(s, e);
    let letters = 0;
    let leet = 0;
    for (const c of w) {
      if (c >= 'a' && c <= 'z') letters++;
      else if (LEET[c]) leet++;
    }
    if (letters < 2 || leet === 0 || leet > letters * 2) continue;
    let out = '';
    for (const c of w) out += LEET[c] ?? c;
    parts.push(text.slice(last, s), out);
    last = e;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(last));
  return parts.join('');
}
