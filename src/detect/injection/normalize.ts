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
  /** Original offset of each character of `text`; one extra entry holds the original length. */
  map: Int32Array;
}

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

const isAsciiLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

const nfkcCache = new Map<string, string>();
function nfkc(ch: string): string {
  let v = nfkcCache.get(ch);
  if (v === undefined) {
    v = ch.normalize('NFKC').toLowerCase();
    if (nfkcCache.size < 4096) nfkcCache.set(ch, v);
  }
  return v;
}

const utf16 = new TextDecoder('utf-16le');

/** Growable UTF-16 output with an offset map; avoids per-character string allocation on megabyte inputs. */
class Builder {
  codes: Uint16Array;
  map: Int32Array;
  n = 0;
  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.map = new Int32Array(capacity + 1);
  }
  push(code: number, orig: number): void {
    if (this.n >= this.codes.length) {
      const codes = new Uint16Array(this.codes.length * 2 + 16);
      codes.set(this.codes);
      const map = new Int32Array(codes.length + 1);
      map.set(this.map);
      this.codes = codes;
      this.map = map;
    }
    this.codes[this.n] = code;
    this.map[this.n++] = orig;
  }
  view(origLength: number): View {
    this.map[this.n] = origLength;
    const text = utf16.decode(this.codes.subarray(0, this.n));
    return { text, map: this.map.subarray(0, this.n + 1) };
  }
}

function identityMap(n: number): Int32Array {
  const m = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) m[i] = i;
  return m;
}

const NON_ASCII = /[^\u0000-\u007f]/;

export function normalize(input: string, opts: NormalizeOptions): View {
  // Fast path: plain ASCII needs only lower-casing, which keeps offsets.
  if (!NON_ASCII.test(input)) return { text: deLeet(input.toLowerCase()), map: identityMap(input.length) };
  const b = new Builder(input.length + 16);
  for (let i = 0; i < input.length; ) {
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp < 0x80) {
      b.push(cp >= 65 && cp <= 90 ? cp + 32 : cp, i);
    } else if (opts.unicode && isInvisible(cp)) {
      // dropped
    } else if (opts.unicode && cp >= 0xe0020 && cp <= 0xe007e) {
      const c = cp - 0xe0000;
      b.push(c >= 65 && c <= 90 ? c + 32 : c, i);
    } else {
      const ch = input.slice(i, i + width);
      const glyph = opts.homoglyphs ? HOMOGLYPHS[ch] : undefined;
      const next = input[i + width];
      if (glyph && (isAsciiLetter(input[i - 1]) || isAsciiLetter(next) || (HOMOGLYPHS[next ?? ''] && isAsciiLetter(input[i + width + 1])))) {
        b.push(glyph.charCodeAt(0), i);
      } else {
        const n = opts.unicode ? nfkc(ch) : ch.toLowerCase();
        for (let k = 0; k < n.length; k++) b.push(n.charCodeAt(k), i);
      }
    }
    i += width;
  }
  const v = b.view(input.length);
  return { text: deLeet(v.text), map: v.map };
}

// A letter next to a leet character marks a candidate word; each word is expanded and rewritten once.
const LEET_SEED = /[a-z][0-9@$]|[0-9@$][a-z]/g;
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 64 || c === 36;

/** Inside a word that mixes letters and leet digits (`1gn0r3`), read the digits as letters. Same length. */
function deLeet(text: string): string {
  LEET_SEED.lastIndex = 0;
  let m = LEET_SEED.exec(text);
  if (!m) return text;
  const parts: string[] = [];
  let last = 0;
  for (; m; m = LEET_SEED.exec(text)) {
    let s = m.index;
    let e = m.index + 2;
    while (s > last && isWordCode(text.charCodeAt(s - 1))) s--;
    while (e < text.length && isWordCode(text.charCodeAt(e))) e++;
    LEET_SEED.lastIndex = e;
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
  parts.push(text.slice(last));
  return parts.join('');
}

const LETTER = /\p{L}/u;

/** Letters only (any script), from a normalised view: defeats spacing, punctuation and line-break splitting. */
export function squash(view: View): View {
  const t = view.text;
  const b = new Builder(t.length + 1);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c > 127 && LETTER.test(t[i]!))) b.push(c, view.map[i]!);
  }
  b.map[b.n] = view.map[t.length]!;
  return { text: utf16.decode(b.codes.subarray(0, b.n)), map: b.map.subarray(0, b.n + 1) };
}
