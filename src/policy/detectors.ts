/**
 * The detector factories policies are built from. Policies never import detector modules themselves:
 * they get these factories, so tests can hand in small detectors and the engine stays independent of
 * which detector implementation serves a category.
 */
import type { Detector } from '../detect/types.js';
import { createPiiDetector, type PiiDetectorOptions } from '../detect/pii/index.js';
import { SECRET_RULES } from '../detect/secrets/rules/index.js';
import { createSecretScanner, type SecretScannerOptions } from '../detect/secrets/scanner.js';
import { createShellDetector } from '../detect/secrets/shell.js';
import { createInjectionDetector } from '../detect/injection/index.js';
import { createDelimiterDetector } from '../detect/injection/boundaries.js';
import { createTermDetector } from '../detect/keywords/blocked-terms.js';
import { createSafetyDetector } from '../detect/keywords/safety.js';

/** A detector that also states what end of a streamed text may still become a match (stream/tails.ts). */
export type PendingDetector = Detector & { pending?(text: string): number };

export interface DetectorFactories {
  secrets(opts: SecretScannerOptions): Detector;
  /** Lower-case literal prefixes of the secret rules, for the stream guard's hold-back. */
  secretCandidates(): readonly string[];
  shell?(): Detector;
  pii(opts: PiiDetectorOptions): Detector;
  injection?(opts: InjectionOptions): Detector;
  /** Chat-template control tokens, for prompt-injection's boundaries.enforce_delimiters. */
  delimiters?(): Detector;
  terms(opts: TermOptions): PendingDetector;
  safety?(opts: SafetyOptions): Detector;
}

export interface InjectionOptions {
  attackPatterns?: { id: string; pattern: string }[];
  decodeBase64?: boolean;
  normalizeUnicode?: boolean;
  detectHomoglyphs?: boolean;
  rejectFakeBoundaries?: boolean;
  /** Score a segment needs (detection.sensitivity). */
  threshold?: number;
}

export interface TermOptions {
  terms: { id: string; term: string; regex: boolean }[];
  patterns: { id: string; pattern: string }[];
  fuzzy: boolean;
  maxDistance: number;
  /** Default `dlp`; safety-filter's own keywords use `safety`. */
  category?: 'dlp' | 'safety';
  /** One type for every detection (default: the term's id). */
  type?: string;
}

export interface SafetyOptions {
  /** `block_if` categories (default all). */
  categories?: readonly string[];
}

/** Literal prefixes of common credential formats; the rule pack's keywords are added when it exports them. */
export const BASE_SECRET_CANDIDATES = [
  'sk-', 'sk_', 'rk_', 'pk_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'akia', 'asia',
  'aiza', 'xox', 'eyj', '-----begin', 'npm_', 'pypi-', 'hf_', 'shpat_', 'sg.', 'sq0', 'dop_v1_', 'dapi', 'ya29.',
  'AccountKey='.toLowerCase(), 'postgres://', 'postgresql://', 'mysql://', 'mongodb', 'redis://', 'amqp://', 'https://', 'http://',
];

let candidates: readonly string[] | undefined;

/** The rule pack's keywords (its prefilter literals) plus the common prefixes above, lower case. */
function secretCandidates(): readonly string[] {
  candidates ??= [...new Set([...BASE_SECRET_CANDIDATES, ...SECRET_RULES.flatMap((r) => r.keywords.map((k) => k.toLowerCase()))])].filter((k) => k.trim().length > 0);
  return candidates;
}

export const defaultDetectors: DetectorFactories = {
  secrets: (opts) => createSecretScanner(opts),
  secretCandidates: () => secretCandidates(),
  shell: () => createShellDetector(),
  injection: (o) =>
    createInjectionDetector({
      attackPatterns: o.attackPatterns?.map((p) => p.pattern),
      decodeBase64: o.decodeBase64,
      normalizeUnicode: o.normalizeUnicode,
      detectHomoglyphs: o.detectHomoglyphs,
      rejectFakeBoundaries: o.rejectFakeBoundaries,
      threshold: o.threshold,
    }),
  pii: (opts) => createPiiDetector(opts),
  delimiters: () => createDelimiterDetector(),
  terms: (o) =>
    createTermDetector({
      blockedTerms: o.terms,
      detectPatterns: o.patterns,
      fuzzyMatching: o.fuzzy,
      maxDistance: o.maxDistance,
      category: o.category,
      type: o.type,
    }),
  safety: (o) => createSafetyDetector({ categories: o.categories ? [...o.categories] : undefined }),
};
