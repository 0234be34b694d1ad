/**
 * Finds base64, hex and Morse blobs whose decoding is readable text, so an instruction cannot hide in an encoding.
 * Work is bounded: runs are found by one character-class regex each (no alternation, so no backtracking
 * over a multi-megabyte run), the pattern regexes only ever see a slice of at most MAX_BLOB characters,
 * each blob is decoded once, and the total decoded per scan is capped.
 */

export interface DecodedBlob {
  start: number;
  end: number;
  text: string;
}

const HEX = /(?:\\x[0-9a-fA-F]{2}){8,}|\b(?:[0-9a-fA-F]{2}[ :]?){12,}/g;
const MAX_DECODED = 256 * 1024;
/** Longest part of one run that is decoded or matched; an instruction hidden later in a run is not looked for. */
const MAX_BLOB = 64 * 1024;

// Character classes of the three encodings, as bits of one table.
const BASE64 = 1;
const HEXISH = 2;
const MORSEISH = 4;
const CLASS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') CLASS[c.charCodeAt(0)]! |= BASE64;
for (const c of '0123456789ABCDEFabcdef :\\x') CLASS[c.charCodeAt(0)]! |= HEXISH;
for (const c of '.- /') CLASS[c.charCodeAt(0)]! |= MORSEISH;
/** Fewest hex digits a HEX match holds (8 `\\xNN` escapes): a run of spaces and colons is not looked at. */
const MIN_HEX_DIGITS = 16;

const inClass = (text: string, i: number, bit: number) => {
  const c = text.charCodeAt(i);
  return c < 128 && (CLASS[c]! & bit) !== 0;
};

/**
 * Maximal runs of class `bit` at least `min` long, as a flat [start, end, start, end, …] list. A run that
 * long covers two consecutive multiples of min/2, so only every (min/2)-th character is looked at until
 * two neighbouring samples are both in the class; then the run around them is measured. Code is mostly
 * short words, so this reads a fraction of the text (a regex with a minimum run length rescans every
 * short run, and overflows the stack on a multi-megabyte one).
 */
function longRuns(text: string, bit: number, min: number): number[] {
  const out: number[] = [];
  const stride = min >> 1;
  const n = text.length;
  let prevIn = false;
  for (let p = 0; p < n; p += stride) {
    const here = inClass(text, p, bit);
    if (!(here && prevIn)) {
      prevIn = here;
      continue;
    }
    // Samples p - stride and p are both in the class: is everything between them too?
    let q = p - stride + 1;
    while (q < p && inClass(text, q, bit)) q++;
    if (q < p) {
      prevIn = true;
      continue;
    }
    let s = p - stride;
    while (s > 0 && inClass(text, s - 1, bit)) s--;
    let e = p + 1;
    while (e < n && inClass(text, e, bit)) e++;
    if (e - s >= min) out.push(s, e);
    // Resume at the first sample after the run (which is not in the class).
    p = Math.floor(e / stride) * stride;
    prevIn = false;
  }
  return out;
}

function hexDigits(text: string, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e && n < MIN_HEX_DIGITS; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) n++;
  }
  return n;
}

/** Matches of a global regex inside each run, on slices of at most MAX_BLOB characters. */
function* matchesInRuns(text: string, re: RegExp, runs: number[], enough?: (s: number, e: number) => boolean): Generator<{ index: number; text: string }> {
  for (let r = 0; r < runs.length; r += 2) {
    const s = runs[r]!;
    const e = runs[r + 1]!;
    if (enough && !enough(s, e)) continue;
    const slice = text.slice(s, Math.min(e, s + MAX_BLOB));
    re.lastIndex = 0;
    for (let m = re.exec(slice); m; m = re.exec(slice)) yield { index: s + m.index, text: m[0] };
  }
}
// International Morse, letters and digits: dots/dashes separated by spaces, words by two or more spaces or `/`.
const MORSE_RUN = /(?:[.-]{1,6}(?: {1,3}| ?\/ ?)){9,}[.-]{1,6}/g;
const MORSE: Record<string, string> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i',
  '.---': 'j', '-.-': 'k', '.-..': 'l', '--': 'm', '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r',
  '...': 's', '-': 't', '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z',
  '-----': '0', '.----': '1', '..---': '2', '...--': '3', '....-': '4', '.....': '5', '-....': '6',
  '--...': '7', '---..': '8', '----.': '9', '.-.-.-': '.', '--..--': ',', '..--..': '?',
};

function decodeMorse(run: string): string {
  return run
    .split(/ {2,}| ?\/ ?/)
    .map((w) => w.split(' ').map((c) => MORSE[c] ?? '').join(''))
    .join(' ');
}

/** Printable text (letters, spaces, punctuation) rather than binary, keys or hashes. */
function readable(s: string): boolean {
  if (s.length < 12) return false;
  let printable = 0;
  let spaces = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9 || c >= 0xa0) printable++;
    if (c === 32) spaces++;
  }
  return printable / s.length > 0.95 && spaces >= 1 && !s.includes('\uFFFD');
}

export function findEncoded(text: string): DecodedBlob[] {
  const out: DecodedBlob[] = [];
  let budget = MAX_DECODED;
  const base64 = longRuns(text, BASE64, 24);
  for (let r = 0; r < base64.length; r += 2) {
    const s = base64[r]!;
    const e = base64[r + 1]!;
    if (budget <= 0) break;
    let end = e;
    while (end < text.length && end - e < 2 && text.charCodeAt(end) === 61) end++; // `=` padding
    // Decode at most MAX_BLOB characters, cut on a 4-character boundary so the prefix decodes cleanly.
    const raw = end - s > MAX_BLOB ? text.slice(s, s + MAX_BLOB) : text.slice(s, end);
    // Real base64 of prose mixes cases; a run of one case or of hex digits is an identifier or hash.
    if (!/[a-z]/.test(raw) || !/[A-Z]/.test(raw)) continue;
    const decoded = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    budget -= decoded.length;
    if (readable(decoded)) out.push({ start: s, end, text: decoded });
  }
  for (const m of matchesInRuns(text, HEX, longRuns(text, HEXISH, 24), (s, e) => hexDigits(text, s, e) >= MIN_HEX_DIGITS)) {
    if (budget <= 0) break;
    const hex = m.text.replace(/\\x|[ :]/g, '');
    const decoded = Buffer.from(hex.length % 2 ? hex.slice(0, -1) : hex, 'hex').toString('utf8');
    budget -= decoded.length;
    if (readable(decoded)) out.push({ start: m.index, end: m.index + m.text.length, text: decoded });
  }
  if (text.includes('.-') || text.includes('-.')) {
    for (const m of matchesInRuns(text, MORSE_RUN, longRuns(text, MORSEISH, 20))) {
      if (budget <= 0) break;
      const decoded = decodeMorse(m.text);
      budget -= decoded.length;
      if (decoded.includes(' ')) out.push({ start: m.index, end: m.index + m.text.length, text: decoded });
    }
  }
  return out;
}
