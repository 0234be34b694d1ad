/**
 * Phone numbers, validated against Google's libphonenumber metadata (`libphonenumber-js/max`).
 * Code is full of digit runs, so a number counts only when it is written like a phone number:
 *  - international (`+49 30 901820`): valid for its calling code;
 *  - after a context word ("phone", "tel", "전화"…): valid in any region;
 *  - in a national layout (`(212) 555-0175`): a valid mobile number of one of the configured regions;
 *  - standing alone as the whole value (a form field): a valid mobile number of any region.
 * Without a `+` or a context word only mobile ranges count: fixed-line plans such as Germany's accept almost
 * any digit run, and ids like `057 318 942` would pass.
 * Unformatted digit runs inside prose or code are never taken for phone numbers. Nor are service numbers
 * (toll-free, premium-rate, shared-cost, UAN, voicemail: they name a business line, not a person), an
 * international number written with its trunk prefix (`+49015…`; the `+49 (0)30…` convention is fine),
 * a dotted run that reads as an IPv4 address, or, without a context word, the US SSN layout `123-45-6789`.
 */
import { getCountries, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Detection } from '../types.js';
import { before, isBareValue, isIdentChar } from './boundaries.js';
import { fictionalNanp } from './reserved.js';

export interface PhoneOptions {
  /** Regions whose national formats are recognised without a `+` prefix. */
  regions: CountryCode[];
  /** Report numbers reserved for fiction (NANP 555-0100–0199) too; default off. */
  includeReserved?: boolean;
}

export const DEFAULT_PHONE_REGIONS: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'CN', 'JP'];

// A run that starts with `+`, `(` or a digit and holds digits with single separators between them.
const CANDIDATE = /(?:\+ ?|\()?\d(?:(?:[ .\/-]|\) ?| ?\()?\d){5,18}/g;
const CONTEXT =
  /(?:phone|tel\b|tel\.|telephone|mobile|cell|call|fax|whatsapp|sms|contact|dial|téléphone|teléfono|telefone|telefon|telepono|handy|numéro|número|cep|телефон|電話|电话|手机|전화|휴대폰|هاتف)[^\n\d]{0,24}$|\b(?:my|your|his|her|their|our|home|work|office)\b[^\n\d]{0,16}\bnumber\b[^\n\d]{0,12}$/;
// A number introduced as another kind of identifier is not a phone number, whatever its digits.
const OTHER_ID_CONTEXT =
  /(?:ssn|social security|tax id|\btin|passport|licen[cs]e|account|acct|card|iban|routing|order|invoice|ticket|issue|pr|\bid|#)[^\n\d]{0,12}$/;
const DATE_LIKE = /^\(?\d{4}[-./]\d{1,2}[-./]\d{1,2}\)?$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/;
// Four dotted groups of 1–3 digits read as an IPv4 address (valid or not), and so does a longer dotted
// run that starts with a valid one (`10.1.2.3.4`).
const IPV4_LIKE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV4_START = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\./;
const ipv4Like = (raw: string) => {
  if (IPV4_LIKE.test(raw)) return true;
  const m = IPV4_START.exec(raw);
  return m !== null && m.slice(1).every((g) => Number(g) <= 255);
};
// The US SSN layout (3-2-4): without a phone context word, an SSN (or a near miss of one), not a phone.
const SSN_LAYOUT = /^\d{3}([- .])\d{2}\1\d{4}$/;
// Numbers that reach a service, not a person.
const SERVICE_TYPES = new Set(['TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL']);
const GROUPED_CODE = /(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4} $/;
const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

// libphonenumber parses cost microseconds each; bound them per scan so a 1 MB input stays fast. Past the budget,
// `+` numbers of plausible length are still reported (over-redaction beats a leak), others are skipped.
const PARSE_BUDGET = 4000;
const ALL_REGIONS = getCountries();

class Validator {
  private parses = 0;
  exhausted(): boolean {
    return this.parses >= PARSE_BUDGET;
  }
  parse(candidate: string, region?: CountryCode): PhoneNumber | undefined {
    this.parses++;
    return parsePhoneNumberFromString(candidate, region);
  }
  validIn(candidate: string, regions: readonly CountryCode[], mobileOnly = false): boolean {
    for (const r of regions) {
      if (this.exhausted()) return false;
      const p = this.parse(candidate, r);
      if (p?.isValid() && (!mobileOnly || MOBILE_TYPES.has(p.getType() ?? ''))) return true;
    }
    return false;
  }
}

export function findPhones(text: string, out: Detection[], opts: PhoneOptions): void {
  const v = new Validator();
  const seen = new Map<string, number>();
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const raw = m[0];
    const prev = text[start - 1];
    if (isIdentChar(prev) || (prev !== undefined && '.-/+#:@$'.includes(prev))) continue;
    // `cachedAt + 31536000000`: a plus between operands, spaced on both sides, is arithmetic.
    if (raw.startsWith('+ ') && /[\w)\]] $/.test(text.slice(Math.max(0, start - 2), start))) continue;
    if (isIdentChar(text[end]) || (text[end] !== undefined && '-/'.includes(text[end]!) && /\d/.test(text[end + 1] ?? ''))) continue;
    if (text[end] === '.' && /\d/.test(text[end + 1] ?? '')) continue;
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    if (DATE_LIKE.test(raw) || ipv4Like(raw)) continue;
    // One dot is a decimal (`4294967296.0`); dotted phone layouts have at least two (`415.555.0132`).
    if (raw.indexOf('.') >= 0 && raw.indexOf('.') === raw.lastIndexOf('.')) continue;
    // Digits continuing a space-grouped code (`GB33 BUKB 2020 1555 5555 55`) belong to an account or reference.
    if (GROUPED_CODE.test(text.slice(Math.max(0, start - 5), start))) continue;
    const context = CONTEXT.test(before(text, start, 48));
    const otherId = !raw.startsWith('+') && OTHER_ID_CONTEXT.test(before(text, start, 24));
    const key = `${context ? 'c' : ''}${otherId ? 'o' : ''}${raw}`; // cache per scan: logs repeat numbers
    let confidence = seen.get(key);
    if (confidence === undefined) {
      confidence = classify(raw, digits, context, otherId, isBareValue(text, start, end), v, opts);
      seen.set(key, confidence);
    }
    if (confidence > 0 && !opts.includeReserved && fictional(digits)) continue;
    if (confidence > 0) out.push({ rule: 'phone', type: 'phone', category: 'pii', start, end, confidence });
  }
}

/** A North American number (ten digits, or eleven after the country code 1) in the range kept for fiction. */
function fictional(digits: string): boolean {
  const national = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
  return national.length === 10 && fictionalNanp(national);
}

function classify(raw: string, digits: string, context: boolean, otherId: boolean, bare: boolean, v: Validator, opts: PhoneOptions): number {
  if (raw.startsWith('+')) {
    if (v.exhausted()) return digits.length >= 8 ? 0.5 : 0;
    const p = v.parse(raw);
    if (!p?.isValid() || SERVICE_TYPES.has(p.getType() ?? '')) return 0;
    // Digits beyond calling code + national number: a trunk prefix written after the `+`, unless marked `(0)`.
    if (digits.length > p.countryCallingCode.length + p.nationalNumber.length && !raw.includes('(0)')) return 0;
    return 0.9;
  }
  if (otherId) return 0;
  if (!context && SSN_LAYOUT.test(raw)) return 0;
  if (context) return v.validIn(raw, opts.regions) || v.validIn(raw, ALL_REGIONS) ? 0.7 : 0;
  const formatted = /[ .()\/-]/.test(raw);
  if (formatted && v.validIn(raw, opts.regions, true)) return 0.8;
  if (bare && v.validIn(raw, ALL_REGIONS, true)) return 0.6;
  return 0;
}
