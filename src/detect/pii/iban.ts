/** International bank account numbers: per-country length (ISO 13616 registry) and the mod-97 check (ISO 7064). */
import type { Detection } from '../types.js';
import { isIdentChar } from './boundaries.js';

// Country code, two check digits, then the BBAN, optionally grouped by single spaces.
const CANDIDATE = /[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}/g;

/** IBAN length by country, from the SWIFT IBAN registry plus the national (experimental) formats in use. */
const LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23,
  IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27,
  MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27,
  SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
  // National formats not (yet) in the registry, used by several African and Middle-Eastern banks.
  AO: 25, BF: 28, BJ: 28, CF: 27, CG: 27, CI: 28, CM: 27, CV: 25, DZ: 26, GA: 27, GQ: 27, GW: 25, IR: 26,
  KM: 27, MA: 28, MG: 27, ML: 28, MZ: 25, NE: 28, SN: 28, TD: 27, TG: 28,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed piecewise to stay within double precision. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

export function findIbans(text: string, out: Detection[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const start = m.index;
    if (isIdentChar(text[start - 1])) continue;
    const len = LENGTHS[m[0].slice(0, 2)];
    if (len === undefined) continue;
    // The greedy candidate may run into the next word (`… 0130 00 then`): cut it at the country's length.
    let compact = 0;
    let end = start;
    while (end < start + m[0].length && compact < len) {
      if (text[end] !== ' ') compact++;
      end++;
    }
    if (compact !== len || isIdentChar(text[end])) continue;
    const iban = text.slice(start, end).replace(/ /g, '');
    if (!ibanChecksumValid(iban)) continue;
    out.push({ rule: 'iban', type: 'iban', category: 'pii', start, end, confidence: 0.95 });
    CANDIDATE.lastIndex = end;
  }
}
