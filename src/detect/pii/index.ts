/** PII detector: email, phone, payment card, IBAN, US SSN, IP address, plus user `detect_patterns` (re2). */
import type { CountryCode } from 'libphonenumber-js/max';
import type { Detection, Detector } from '../types.js';
import { compileUserPattern, matchAll, type UserPattern } from '../keywords/user-pattern.js';
import { findEmails } from './email.js';
import { findIbans } from './iban.js';
import { findIpAddresses, QUIET } from './ip-address.js';
import { findPaymentCards } from './payment-card.js';
import { DEFAULT_PHONE_REGIONS, findPhones } from './phone.js';
import { findUsSsns } from './us-ssn.js';

export const PII_TYPES = ['email', 'phone', 'credit-card', 'iban', 'us-ssn', 'ip-address'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** Aliases accepted in `pii-detector.types` (Presidio-style entity names and short forms). */
const TYPE_ALIASES: Record<string, PiiType> = {
  email: 'email', email_address: 'email',
  phone: 'phone', phone_number: 'phone',
  'credit-card': 'credit-card', credit_card: 'credit-card', card: 'credit-card', payment_card: 'credit-card',
  iban: 'iban', iban_code: 'iban',
  'us-ssn': 'us-ssn', ssn: 'us-ssn', us_ssn: 'us-ssn',
  'ip-address': 'ip-address', ip: 'ip-address', ip_address: 'ip-address',
};

export interface PiiDetectorOptions {
  /** Types to detect (default: all built-in types). Unknown names throw, so a typo cannot disable detection. */
  types?: string[];
  /** User patterns, compiled in re2; each match is reported with `type` = the pattern id. */
  detectPatterns?: UserPattern[];
  /** Regions whose national phone formats count without a `+` (default: a few large ones, US first). */
  phoneRegions?: string[];
  /** IP addresses of private networks count too (`pii-detector.ip.include_private`); default off. */
  ip?: { includePrivate?: boolean };
  /**
   * Values reserved for examples, tests and fiction count too (default off): documentation, loopback and
   * link-local addresses, example.com/.test/.invalid mailboxes, 555-0100–0199 numbers, 123-45-6789.
   */
  includeReserved?: boolean;
}

/** Seven digits joined as a phone candidate may join them (see phone.ts CANDIDATE); card and SSN layouts are narrower. */
const SEVEN_DIGITS = /\d(?:(?:[ .\/-]|\) ?| ?\()?\d){6}/;

// When two types claim the same characters, the stricter validator wins: a Luhn-valid card beats a phone.
const PRIORITY: Record<string, number> = { email: 0, iban: 1, 'credit-card': 2, 'us-ssn': 3, 'ip-address': 4, phone: 5 };

export function resolveTypes(types: string[] | undefined): Set<PiiType> {
  if (!types || types.length === 0) return new Set(PII_TYPES);
  const out = new Set<PiiType>();
  for (const t of types) {
    const key = TYPE_ALIASES[t.toLowerCase().replace(/\s+/g, '_')] ?? TYPE_ALIASES[t.toLowerCase()];
    if (!key) throw new Error(`unknown PII type "${t}" (known: ${PII_TYPES.join(', ')})`);
    out.add(key);
  }
  return out;
}

export function createPiiDetector(opts: PiiDetectorOptions = {}): Detector {
  const types = resolveTypes(opts.types);
  const patterns = (opts.detectPatterns ?? []).map((p) => compileUserPattern(p));
  const reserved = opts.includeReserved ?? false;
  const phone = { regions: (opts.phoneRegions as CountryCode[] | undefined) ?? DEFAULT_PHONE_REGIONS, includeReserved: reserved };
  const ip = { includePrivate: opts.ip?.includePrivate ?? false, includeReserved: reserved };
  return {
    id: 'pii',
    scan: function scanPii(text: string): Detection[] {
      const found: Detection[] = [];
      // Every built-in type needs a digit or an `@`: skip prose without either in one pass.
      if (/[0-9@]/.test(text)) {
        if (types.has('email')) findEmails(text, found, { includeReserved: reserved });
        if (types.has('iban')) findIbans(text, found);
        if (types.has('ip-address')) findIpAddresses(text, found, ip);
        // Cards, SSNs and phone numbers all hold seven digits with at most a separator between them:
        // one pass decides whether any of their three scans can find something (most code cannot).
        if (SEVEN_DIGITS.test(text)) {
          if (types.has('credit-card')) findPaymentCards(text, found);
          if (types.has('us-ssn')) findUsSsns(text, found, { includeReserved: reserved });
          if (types.has('phone')) findPhones(text, found, phone);
        }
      }
      const out = dropOverlaps(found).filter((d) => d.rule !== QUIET);
      for (const p of patterns) {
        for (const [start, end] of matchAll(p, text)) {
          out.push({ rule: `pattern.${p.id}`, type: p.id, category: 'pii', start, end, confidence: 1 });
        }
      }
      return out.sort((a, b) => a.start - b.start || a.end - b.end);
    },
  };
}

/** Sweep by start; inside each cluster of overlapping detections the higher-priority type wins. */
function dropOverlaps(found: Detection[]): Detection[] {
  found.sort((a, b) => a.start - b.start);
  const kept: Detection[] = [];
  let cluster: Detection[] = [];
  let clusterEnd = -1;
  const flush = () => {
    cluster.sort((a, b) => (PRIORITY[a.type] ?? 9) - (PRIORITY[b.type] ?? 9) || a.start - b.start);
    const chosen: Detection[] = [];
    for (const d of cluster) if (!chosen.some((k) => d.start < k.end && k.start < d.end)) chosen.push(d);
    kept.push(...chosen);
    cluster = [];
  };
  for (const d of found) {
    if (d.start >= clusterEnd && cluster.length > 0) flush();
    cluster.push(d);
    clusterEnd = Math.max(clusterEnd, d.end);
  }
  flush();
  return kept;
}
