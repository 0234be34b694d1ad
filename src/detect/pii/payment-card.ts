/** Payment card numbers: issuer (IIN) ranges and lengths, then the Luhn checksum (ISO/IEC 7812-1). */
import type { Detection } from '../types.js';
import { before, isIdentChar } from './boundaries.js';

// The layouts cards are printed in: 4-4-4-4(+3), Amex/Diners 4-6-5(4), or 12–19 contiguous digits.
const CANDIDATE = /\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19}/g;

const IBAN_HEAD = /(?:^|[^A-Za-z0-9])[A-Z]{2}\d{2}[ -]$/;

/** Luhn mod-10 over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer ranges as published by the networks (prefix range, allowed lengths). */
const ISSUERS: { from: number; to: number; digits: number; lengths: number[] }[] = [
  { from: 4, to: 4, digits: 1, lengths: [13, 16, 19] }, // Visa
  { from: 51, to: 55, digits: 2, lengths: [16] }, // Mastercard
  { from: 2221, to: 2720, digits: 4, lengths: [16] }, // Mastercard 2-series
  { from: 34, to: 34, digits: 2, lengths: [15] }, // American Express
  { from: 37, to: 37, digits: 2, lengths: [15] },
  { from: 300, to: 305, digits: 3, lengths: [14, 16, 17, 18, 19] }, // Diners Club
  { from: 36, to: 36, digits: 2, lengths: [14, 16, 17, 18, 19] },
  { from: 38, to: 39, digits: 2, lengths: [14, 16, 17, 18, 19] },
  { from: 6011, to: 6011, digits: 4, lengths: [16, 17, 18, 19] }, // Discover
  { from: 644, to: 649, digits: 3, lengths: [16, 17, 18, 19] },
  { from: 65, to: 65, digits: 2, lengths: [16, 17, 18, 19] },
  { from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] }, // JCB
  { from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay
  { from: 50, to: 50, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { from: 56, to: 69, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { from: 2200, to: 2204, digits: 4, lengths: [16, 17, 18, 19] }, // Mir
  { from: 1, to: 1, digits: 1, lengths: [15] }, // UATP
  { from: 81, to: 81, digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay 81 series
  { from: 8600, to: 8600, digits: 4, lengths: [16] }, // Uzcard
  { from: 9860, to: 9860, digits: 4, lengths: [16] }, // Humo
];

export function issuerKnown(digits: string): boolean {
  for (const r of ISSUERS) {
    const p = Number(digits.slice(0, r.digits));
    if (p >= r.from && p <= r.to && r.lengths.includes(digits.length)) return true;
  }
  return false;
}

export function findPaymentCards(text: string, out: Detection[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    // Glued to a word, a longer number, a decimal or a hex string: an identifier, not a card.
    if (isIdentChar(text[start - 1]) || isIdentChar(text[end]) || text[start - 1] === '.' || text[start - 1] === '-') continue;
    if (text[end] === '.' && /\d/.test(text[end + 1] ?? '')) continue;
    // Groups after a country code and check digits (`RS35 2600 0560 …`) are an IBAN's account part.
    if (IBAN_HEAD.test(text.slice(Math.max(0, start - 6), start))) continue;
    const digits = m[0].replace(/[ -]/g, '');
    if (!issuerKnown(digits) || !luhnValid(digits)) continue;
    // Unformatted digit runs in code are usually ids or timestamps: keep them only outside identifiers' context.
    if (digits.length === m[0].length && /(?:\bid|_id|timestamp|\bts|nonce|seq|snowflake)["'\s:=]*$/.test(before(text, start, 16))) continue;
    out.push({ rule: 'credit-card', type: 'credit-card', category: 'pii', start, end, confidence: 0.9 });
  }
}
