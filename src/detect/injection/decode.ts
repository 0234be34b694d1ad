/**
 * Finds base64, hex and Morse blobs whose decoding is readable text, so an instruction cannot hide in an encoding.
 * Work is bounded: runs are found by a plain character loop (a backtracking regex over one multi-megabyte
 * run overflows the stack), regexes only ever see a slice of at most MAX_BLOB characters, each blob is
 * decoded once, and the total decoded per scan is capped.
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

const isBase64 = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 95 || c === 45;
const isHexish = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 32 || c === 58 || c === 92 || c === 120;
const isMorseish = (c: number) => c === 46 || c === 45 || c === 32 || c === 47;

/** Maximal runs of `isChar` characters at least `min` long, as [start, end). */
function* runs(text: string, isChar: (c: number) => boolean, min: number): Generator<[number, number]> {
  for (let i = 0; i < text.length; ) {
    if (!isChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const s = i;
    while (i < text.length && isChar(text.charCodeAt(i))) i++;
    if (i - s >= min) yield [s, i];
  }
}

/** Matches of a global regex inside each run, on slices of at most MAX_BLOB characters. */
function* matchesInRuns(text: string, re: RegExp, isChar: (c: number) => boolean, min: number): Generator<{ index: number; text: string }> {
  for (const [s, e] of runs(text, isChar, min)) {
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
  for (const [s, e] of runs(text, isBase64, 24)) {
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
  for (const m of matchesInRuns(text, HEX, isHexish, 24)) {
    if (budget <= 0) break;
    const hex = m.text.replace(/\\x|[ :]/g, '');
    const decoded = Buffer.from(hex.length % 2 ? hex.slice(0, -1) : hex, 'hex').toString('utf8');
    budget -= decoded.length;
    if (readable(decoded)) out.push({ start: m.index, end: m.index + m.text.length, text: decoded });
  }
  if (text.includes('.-') || text.includes('-.')) {
    for (const m of matchesInRuns(text, MORSE_RUN, isMorseish, 20)) {
      if (budget <= 0) break;
      const decoded = decodeMorse(m.text);
      budget -= decoded.length;
      if (decoded.includes(' ')) out.push({ start: m.index, end: m.index + m.text.length, text: decoded });
    }
  }
  return out;
}
