/**
 * DLP term matching for `dlp-filter`: organisation terms (`blocked_terms`: codenames, licence headers,
 * repository ids) matched case-insensitively on word boundaries, optionally fuzzily (`fuzzy_matching`,
 * `max_distance`, Damerau–Levenshtein over tokens), plus `detect_patterns` compiled in re2.
 */
import type { Detection, Detector } from '../types.js';
import { damerauLevenshtein } from './edit-distance.js';
import { compileUserPattern, matchAll, type UserPattern } from './user-pattern.js';

export interface TermDetectorOptions {
  blockedTerms?: string[];
  detectPatterns?: UserPattern[];
  fuzzyMatching?: boolean;
  /** Edits allowed per term (default 1). Short terms get fewer: a term of n characters allows at most ⌊(n−1)/3⌋. */
  maxDistance?: number;
}

// Fuzzy comparisons per scan; past it only exact matches are reported, so a huge input stays bounded.
const FUZZY_BUDGET = 2_000_000;
const TOKEN = /[\p{L}\p{N}_]+/gu;

// Unicode-mode regexes reject needless escapes such as `\-`, so only syntax characters are escaped.
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface FuzzyTerm {
  index: number;
  tokens: string[];
  allowed: number;
}

export function createTermDetector(opts: TermDetectorOptions = {}): Detector {
  const terms = (opts.blockedTerms ?? []).map((t) => t.trim()).filter((t) => t.length > 0);
  const patterns = (opts.detectPatterns ?? []).map((p) => compileUserPattern(p));
  // Literal alternation of escaped terms, longest first; boundaries are any non-word character.
  const exact = terms.length
    ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...terms].sort((a, b) => b.length - a.length).map((t) => escapeRegex(t).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu')
    : undefined;
  const lowerIndex = new Map(terms.map((t, i) => [t.toLowerCase().replace(/\s+/g, ' '), i]));
  const maxDistance = Math.max(0, opts.maxDistance ?? 1);
  const fuzzy: FuzzyTerm[] = opts.fuzzyMatching
    ? terms.map((t, index) => {
        const tokens = t.toLowerCase().match(TOKEN) ?? [];
        const len = tokens.join('').length;
        return { index, tokens, allowed: Math.min(maxDistance, Math.floor((len - 1) / 3)) };
      }).filter((f) => f.tokens.length > 0 && f.allowed > 0)
    : [];

  return {
    id: 'dlp',
    scan: function scanTerms(text: string): Detection[] {
      const out: Detection[] = [];
      const covered = fuzzy.length ? new Uint8Array(text.length) : undefined;
      if (exact) {
        exact.lastIndex = 0;
        for (let m = exact.exec(text); m; m = exact.exec(text)) {
          const i = lowerIndex.get(m[0].toLowerCase().replace(/\s+/g, ' ')) ?? 0;
          out.push({ rule: `dlp.term.${i + 1}`, type: 'blocked-term', category: 'dlp', start: m.index, end: m.index + m[0].length, confidence: 1 });
          covered?.fill(1, m.index, m.index + m[0].length);
        }
      }
      if (covered) fuzzyScan(text, fuzzy, covered, out);
      for (const p of patterns) {
        for (const [start, end] of matchAll(p, text)) {
          out.push({ rule: `dlp.pattern.${p.id}`, type: p.id, category: 'dlp', start, end, confidence: 1 });
        }
      }
      return out.sort((a, b) => a.start - b.start || a.end - b.end);
    },
  };
}

/** `covered` marks characters already reported, so a fuzzy hit never overlaps an exact one or another fuzzy one. */
function fuzzyScan(text: string, fuzzy: FuzzyTerm[], covered: Uint8Array, out: Detection[]): void {
  const toks: { s: number; e: number; v: string }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) toks.push({ s: m.index, e: m.index + m[0].length, v: m[0].toLowerCase() });
  const isCovered = (s: number, e: number) => covered[s] === 1 || covered[e - 1] === 1;
  let budget = FUZZY_BUDGET;
  const memo = new Map<string, number>();
  for (const f of fuzzy) {
    const k = f.tokens.length;
    for (let i = 0; i + k <= toks.length && budget > 0; i++) {
      let total = 0;
      for (let j = 0; j < k && total <= f.allowed; j++) {
        const key = `${f.index}:${j}:${toks[i + j]!.v}`;
        let d = memo.get(key);
        if (d === undefined) {
          budget -= f.tokens[j]!.length;
          d = damerauLevenshtein(toks[i + j]!.v, f.tokens[j]!, f.allowed);
          if (memo.size < 100_000) memo.set(key, d);
        }
        total += d;
      }
      if (total === 0 || total > f.allowed) continue; // exact hits were reported by the exact pass
      const s = toks[i]!.s;
      const e = toks[i + k - 1]!.e;
      if (isCovered(s, e)) continue;
      out.push({ rule: `dlp.term.${f.index + 1}.fuzzy`, type: 'blocked-term', category: 'dlp', start: s, end: e, confidence: 0.8 });
      covered.fill(1, s, e);
    }
  }
}
