/**
 * Term matching for `dlp-filter` (and safety-filter's own `keywords`): organisation terms (codenames,
 * licence headers, repository ids) matched case-insensitively on word boundaries, optionally fuzzily
 * (`fuzzy_matching`, `max_distance`: Damerau–Levenshtein per word, multi-word terms word by word),
 * regex terms and `detect_patterns` in re2. Work is bounded: each distinct token is compared with each
 * term word once, and a global comparison budget caps what an adversarial text can cost.
 *
 * The detector also states its stream hold-back contract (`pending`): what end of a text may still
 * become a match — a trailing partial word that starts a term (or, fuzzily, is within reach of one),
 * and, when regexes are configured, the whole trailing run (a regex's shape is the user's).
 */
import type { FindingCategory } from '../../policy/types.js';
import type { Detection, Detector } from '../types.js';
import { damerauLevenshtein } from './edit-distance.js';
import { compileUserPattern, matchAll, type CompiledPattern, type UserPattern } from './user-pattern.js';

export interface TermSpec {
  /** Reported as `<category>.<id>` and as the detection type (the placeholder label). */
  id: string;
  term: string;
  /** The term is an RE2 regex (case-insensitive). */
  regex?: boolean;
}

export interface TermDetectorOptions {
  /** Plain strings get ids `term-1`, `term-2` … by position. */
  blockedTerms?: (string | TermSpec)[];
  detectPatterns?: UserPattern[];
  fuzzyMatching?: boolean;
  /** Edits allowed per term (default 1). Short terms get fewer: a term of n letters allows at most ⌊(n−1)/3⌋. */
  maxDistance?: number;
  /** Default `dlp`. */
  category?: FindingCategory;
  /** One type for every detection (safety keywords); default: the term's or pattern's id. */
  type?: string;
}

export interface TermDetector extends Detector {
  /** Offset in `text` from which its end may still grow into a match (`text.length`: nothing pending). */
  pending(text: string): number;
}

// DP cells (characters compared) per scan; past it only exact matches are reported, so a huge input stays bounded.
const FUZZY_BUDGET = 20_000_000;
const TOKEN = /[\p{L}\p{N}_]+/gu;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

// Unicode-mode regexes reject needless escapes such as `\-`, so only syntax characters are escaped.
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

interface FuzzyTerm {
  id: string;
  tokens: string[];
  allowed: number;
}

export function createTermDetector(opts: TermDetectorOptions = {}): TermDetector {
  const category = opts.category ?? 'dlp';
  const specs = (opts.blockedTerms ?? [])
    .map((t, i) => (typeof t === 'string' ? { id: `term-${i + 1}`, term: t } : t))
    .map((t) => ({ ...t, term: t.regex ? t.term : t.term.trim() }))
    .filter((t) => t.term.length > 0);
  const literal = specs.filter((t) => !t.regex);
  const regexes: CompiledPattern[] = [
    ...specs.filter((t) => t.regex).map((t) => compileUserPattern({ id: t.id, pattern: t.term }, true)),
    ...(opts.detectPatterns ?? []).map((p) => compileUserPattern(p)),
  ];
  // Literal alternation of escaped terms, longest first; boundaries are any non-word character.
  const exact = literal.length
    ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...literal].sort((a, b) => b.term.length - a.term.length).map((t) => escapeRegex(t.term).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu')
    : undefined;
  const idOf = new Map(literal.map((t) => [norm(t.term), t.id]));
  const maxDistance = Math.max(0, opts.maxDistance ?? 1);
  const fuzzy: FuzzyTerm[] = opts.fuzzyMatching
    ? literal.map((t) => {
        const tokens = t.term.toLowerCase().match(TOKEN) ?? [];
        const len = tokens.join('').length;
        return { id: t.id, tokens, allowed: Math.min(maxDistance, Math.floor((len - 1) / 3)) };
      }).filter((f) => f.tokens.length > 0 && f.allowed > 0)
    : [];
  // Every proper prefix of every literal term (normalised), for the hold-back contract.
  const prefixes = new Set<string>();
  let longest = 0;
  for (const t of literal) {
    const n = norm(t.term);
    longest = Math.max(longest, n.length);
    for (let k = 1; k < n.length; k++) prefixes.add(n.slice(0, k));
  }
  const type = (id: string) => opts.type ?? id;

  return {
    id: category === 'dlp' ? 'dlp' : `terms:${category}`,
    scan: function scanTerms(text: string): Detection[] {
      const out: Detection[] = [];
      const covered = fuzzy.length ? new Uint8Array(text.length) : undefined;
      if (exact) {
        exact.lastIndex = 0;
        for (let m = exact.exec(text); m; m = exact.exec(text)) {
          const id = idOf.get(norm(m[0])) ?? literal[0]!.id;
          out.push({ rule: `${category}.${id}`, type: type(id), category, start: m.index, end: m.index + m[0].length, confidence: 1 });
          covered?.fill(1, m.index, m.index + m[0].length);
        }
      }
      if (covered) fuzzyScan(text, fuzzy, covered, out, category, type);
      for (const p of regexes) {
        for (const [start, end] of matchAll(p, text)) out.push({ rule: `${category}.${p.id}`, type: type(p.id), category, start, end, confidence: 1 });
      }
      return out.sort((a, b) => a.start - b.start || a.end - b.end);
    },
    pending(text: string): number {
      let cut = text.length;
      if (regexes.length) cut = trailingNonSpace(text);
      if (literal.length === 0) return cut;
      // A suffix that starts at a word boundary and is a proper prefix of a term may still become it.
      const from = Math.max(0, text.length - longest);
      const lower = text.slice(from).toLowerCase();
      for (let p = 0; p < lower.length && from + p < cut; p++) {
        if (from + p > 0 && WORD_CHAR.test(text[from + p - 1]!)) continue;
        if (!WORD_CHAR.test(lower[p]!)) continue;
        if (prefixes.has(lower.slice(p).replace(/\s+/g, ' '))) {
          cut = from + p;
          break;
        }
      }
      if (fuzzy.length) cut = Math.min(cut, fuzzyPending(text, fuzzy));
      return cut;
    },
  };
}

function trailingNonSpace(text: string): number {
  let i = text.length;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  return i;
}

/**
 * Fuzzy hold-back: the trailing words (a finished word followed by spaces counts as finished) whose
 * finished part is within reach of a term's first words and whose last, partial word is within reach
 * of a prefix of the next term word.
 */
function fuzzyPending(text: string, fuzzy: FuzzyTerm[]): number {
  const tail = text.slice(-200);
  const base = text.length - tail.length;
  const words: { s: number; v: string }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(tail); m; m = TOKEN.exec(tail)) words.push({ s: m.index, v: m[0].toLowerCase() });
  if (words.length === 0) return text.length;
  const last = words[words.length - 1]!;
  const lastOpen = last.s + last.v.length === tail.length; // the last word may still grow
  let cut = text.length;
  for (const f of fuzzy) {
    // Try aligning the trailing words with the term's first k words.
    for (let k = 1; k <= Math.min(f.tokens.length, words.length); k++) {
      const ws = words.slice(words.length - k);
      let total = 0;
      for (let j = 0; j < k && total <= f.allowed; j++) {
        const open = j === k - 1 && lastOpen;
        total += open ? prefixDistance(ws[j]!.v, f.tokens[j]!, f.allowed) : damerauLevenshtein(ws[j]!.v, f.tokens[j]!, f.allowed);
      }
      // A finished sequence matching the whole term is a detection already; pending only if more is to come.
      const complete = k === f.tokens.length && !lastOpen;
      if (total <= f.allowed && !complete) cut = Math.min(cut, base + ws[0]!.s);
    }
  }
  return cut;
}

/** Smallest edit distance between `w` and any prefix of `term` (how far `w` is from starting it). */
function prefixDistance(w: string, term: string, max: number): number {
  if (w.length > term.length + max) return max + 1;
  let prev = Array.from({ length: term.length + 1 }, (_, j) => j);
  for (let i = 1; i <= w.length; i++) {
    const cur = [i];
    for (let j = 1; j <= term.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (w[i - 1] === term[j - 1] ? 0 : 1));
    prev = cur;
  }
  return Math.min(...prev);
}

/** `covered` marks characters already reported, so a fuzzy hit never overlaps an exact one or another fuzzy one. */
function fuzzyScan(text: string, fuzzy: FuzzyTerm[], covered: Uint8Array, out: Detection[], category: FindingCategory, type: (id: string) => string): void {
  const toks: { s: number; e: number; v: string }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) toks.push({ s: m.index, e: m.index + m[0].length, v: m[0].toLowerCase() });
  let budget = FUZZY_BUDGET;
  // Distance of each distinct token to each fuzzy term word, computed once.
  const words = fuzzy.flatMap((f) => f.tokens.map((w) => ({ w, allowed: f.allowed })));
  const offsets: number[] = [];
  fuzzy.reduce((o, f) => (offsets.push(o), o + f.tokens.length), 0);
  const memo = new Map<string, Int8Array>();
  const distances = (tok: string): Int8Array | undefined => {
    let d = memo.get(tok);
    if (d) return d;
    d = new Int8Array(words.length);
    for (let w = 0; w < words.length; w++) {
      const { w: word, allowed } = words[w]!;
      if (Math.abs(tok.length - word.length) > allowed) {
        d[w] = allowed + 1;
        continue;
      }
      if (budget <= 0) return undefined;
      budget -= tok.length * word.length;
      d[w] = damerauLevenshtein(tok, word, allowed);
    }
    if (memo.size < 200_000) memo.set(tok, d);
    return d;
  };
  for (let i = 0; i < toks.length; i++) {
    const first = distances(toks[i]!.v);
    if (!first) return;
    for (let t = 0; t < fuzzy.length; t++) {
      const f = fuzzy[t]!;
      const k = f.tokens.length;
      if (i + k > toks.length || first[offsets[t]!]! > f.allowed) continue;
      let total = first[offsets[t]!]!;
      for (let j = 1; j < k && total <= f.allowed; j++) {
        const d = distances(toks[i + j]!.v);
        if (!d) return;
        total += d[offsets[t]! + j]!;
      }
      if (total === 0 || total > f.allowed) continue; // exact hits were reported by the exact pass
      const s = toks[i]!.s;
      const e = toks[i + k - 1]!.e;
      if (covered[s] === 1 || covered[e - 1] === 1) continue;
      out.push({ rule: `${category}.${f.id}.fuzzy`, type: type(f.id), category, start: s, end: e, confidence: 0.8 });
      covered.fill(1, s, e);
    }
  }
}
