/**
 * Finds base64, hex and Morse blobs whose decoding is readable text, so an instruction cannot hide in an encoding.
 * Work is bounded: each blob is decoded once, and the total decoded per scan is capped.
 */

export interface DecodedBlob {
  start: number;
  end: number;
  text: string;
}

const BASE64 = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
const HEX = /(?:\\x[0-9a-fA-F]{2}){8,}|\b(?:[0-9a-fA-F]{2}[ :]?){12,}/g;
const MAX_DECODED = 256 * 1024;
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
  BASE64.lastIndex = 0;
  for (let m = BASE64.exec(text); m && budget > 0; m = BASE64.exec(text)) {
    const raw = m[0];
    // Real base64 of prose mixes cases; a run of one case or of hex digits is an identifier or hash.
    if (!/[a-z]/.test(raw) || !/[A-Z]/.test(raw)) continue;
    const decoded = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    budget -= decoded.length;
    if (readable(decoded)) out.push({ start: m.index, end: m.index + raw.length, text: decoded });
  }
  if (text.length >= 24) {
    HEX.lastIndex = 0;
    for (let m = HEX.exec(text); m && budget > 0; m = HEX.exec(text)) {
      const hex = m[0].replace(/\\x|[ :]/g, '');
      const decoded = Buffer.from(hex.length % 2 ? hex.slice(0, -1) : hex, 'hex').toString('utf8');
      budget -= decoded.length;
      if (readable(decoded)) out.push({ start: m.index, end: m.index + m[0].length, text: decoded });
    }
  }
  if (text.includes('.-') || text.includes('-.')) {
    MORSE_RUN.lastIndex = 0;
    for (let m = MORSE_RUN.exec(text); m && budget > 0; m = MORSE_RUN.exec(text)) {
      const decoded = decodeMorse(m[0]);
      budget -= decoded.length;
      if (decoded.includes(' ')) out.push({ start: m.index, end: m.index + m[0].length, text: decoded });
    }
  }
  return out;
}
