/**
 * Term and pattern matching for dlp-filter (and safety-filter's own keywords) until the shared keyword
 * detector is wired: literal terms case-insensitively on word boundaries, optional fuzzy matching of
 * single-word terms within `maxDistance` edits (Levenshtein over tokens), and `detect_patterns` in RE2.
 */
import type { Detection, Detector } from '../../../detect/types.js';
import type { FindingCategory } from '../../types.js';
import { compileUserPattern, matchAll } from '../../../detect/keywords/user-pattern.js';

export interface TermMatcherOptions {
  terms: { id: string; term: string; regex: boolean }[];
  patterns: { id: string; pattern: string }[];
  fuzzy: boolean;
  maxDistance: number;
  category: FindingCategory;
  type?: string;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Levenshtein distance, giving up once it exceeds `max` (tokens are short). */
function within(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return false;
    prev = cur;
  }
  return prev[b.length] <= max;
}

export function createTermMatcher(opts: TermMatcherOptions): Detector {
  const compiled = [
    ...opts.terms.map((t) => ({
      id: t.id,
      type: opts.type ?? t.id,
      re: compileUserPattern({ id: t.id, pattern: t.regex ? t.term : `(?:^|\\b)${escape(t.term).replace(/\s+/g, '\\s+')}(?:\\b|$)` }, true),
    })),
    ...opts.patterns.map((p) => ({ id: p.id, type: opts.type ?? p.id, re: compileUserPattern({ id: p.id, pattern: p.pattern }) })),
  ];
  // Fuzzy matching applies to single-word literal terms of 4+ letters: shorter ones would match everything.
  const fuzzy = opts.fuzzy && opts.maxDistance > 0 ? opts.terms.filter((t) => !t.regex && /^\p{L}[\p{L}\p{N}_-]{3,}$/u.test(t.term)).map((t) => ({ id: t.id, word: t.term.toLowerCase() })) : [];
  return {
    id: `terms:${opts.category}`,
    scan(text: string): Detection[] {
      const out: Detection[] = [];
      for (const c of compiled) for (const [start, end] of matchAll(c.re, text)) out.push({ rule: `${opts.category}.${c.id}`, type: c.type, category: opts.category, start, end });
      if (fuzzy.length)
        for (const m of text.matchAll(/[\p{L}\p{N}_-]{3,40}/gu)) {
          const w = m[0].toLowerCase();
          for (const f of fuzzy)
            if (w !== f.word && within(w, f.word, opts.maxDistance) && !out.some((d) => d.start <= m.index! && m.index! < d.end))
              out.push({ rule: `${opts.category}.${f.id}.fuzzy`, type: opts.type ?? f.id, category: opts.category, start: m.index!, end: m.index! + m[0].length });
        }
      return out.sort((a, b) => a.start - b.start);
    },
  };
}
