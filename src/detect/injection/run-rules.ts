/**
 * Runs the rule regexes over a normalised view, only where they can match. A rule's keywords are
 * substrings of every match it can make, so (1) a rule runs only when one of its keywords — and one of
 * its `also` keywords — occurs in the text, and (2) a rule with a `reach` runs only around those
 * occurrences: a match holding a keyword that starts at k starts in [k - before, k] and ends before
 * k + after. The regex sees a slice of the text that covers those starts plus one character of context
 * (for `\b`), is started one character in (so `^` cannot match at the slice's edge), and matches are taken
 * in text order with the same non-overlapping resume as one pass over the whole text: the windowed run
 * gives the same matches as the full one. Code mentions `code`, `your`, `user` and `mode` everywhere;
 * this is what keeps a source file from costing one pass per rule.
 */
import type { KeywordHits, KeywordIndex } from './keywords.js';
import { origin, type View } from './normalize.js';
import type { InjectionRule } from './rules.js';

export interface RuleHit {
  rule: InjectionRule;
  start: number;
  end: number;
}

/** Matches of one rule taken at most (a rule adds its weight once; a few locations are enough to report). */
const MAX_MATCHES = 16;
/** Start ranges closer than this are run as one slice (fewer regex calls, same matches). */
const MERGE_GAP = 256;

export interface CompiledRule {
  rule: InjectionRule;
  anchors: Int32Array;
  also: Int32Array | null;
}

export function compileRules(rules: readonly InjectionRule[], keywords: KeywordIndex): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    anchors: Int32Array.from(rule.keywords, (k) => keywords.id(k)),
    also: rule.also ? Int32Array.from(rule.also, (k) => keywords.id(k)) : null,
  }));
}

const anyPresent = (ids: Int32Array, present: Uint8Array) => {
  for (let i = 0; i < ids.length; i++) if (present[ids[i]!] === 1) return true;
  return false;
};

/** Matches of every rule that can match, given the keyword occurrences in `view.text`. */
export function runRules(view: View, rules: readonly CompiledRule[], found: KeywordHits, indirect: boolean): RuleHit[] {
  const out: RuleHit[] = [];
  const t = view.text;
  const { present, pairs, count } = found;
  if (count === 0) return out;
  // Keyword occurrences bucketed by keyword id (a counting sort), built once the first windowed rule needs them.
  let offsets: Int32Array | undefined;
  let starts: Int32Array | undefined;
  for (const c of rules) {
    const r = c.rule;
    if (r.indirectOnly && !indirect) continue;
    if (!anyPresent(c.anchors, present) || (c.also && !anyPresent(c.also, present))) continue;
    if (!r.reach || t.length <= r.reach[0] + r.reach[1]) {
      matchAll(view, r, 0, 0, t.length, 0, out);
      continue;
    }
    if (!offsets || !starts) {
      offsets = new Int32Array(present.length + 1);
      for (let i = 0; i < count; i++) offsets[pairs[2 * i]! + 1]!++;
      for (let k = 0; k < present.length; k++) offsets[k + 1]! += offsets[k]!;
      starts = new Int32Array(count);
      const fill = offsets.slice(0, present.length);
      for (let i = 0; i < count; i++) starts[fill[pairs[2 * i]!]!++] = pairs[2 * i + 1]!;
    }
    let n = 0;
    for (let i = 0; i < c.anchors.length; i++) n += offsets[c.anchors[i]! + 1]! - offsets[c.anchors[i]!]!;
    const ks = new Int32Array(n);
    n = 0;
    for (let i = 0; i < c.anchors.length; i++) {
      const a = c.anchors[i]!;
      ks.set(starts.subarray(offsets[a]!, offsets[a + 1]!), n);
      n += offsets[a + 1]! - offsets[a]!;
    }
    ks.sort();
    const [before, after] = r.reach;
    let found = 0;
    let resume = 0;
    let lo = -1;
    let hi = -1;
    const flush = () => {
      if (lo < 0 || found >= MAX_MATCHES) return;
      const from = Math.max(lo, resume);
      if (from > hi) return;
      const sliceStart = Math.max(0, from - 1);
      const sliceEnd = Math.min(t.length, hi + after);
      const got = matchAll(view, r, sliceStart, from, sliceEnd, found, out, hi);
      found = got.found;
      resume = Math.max(resume, got.resume);
    };
    for (const k of ks) {
      const a = Math.max(0, k - before);
      if (lo >= 0 && a <= hi + MERGE_GAP) {
        if (k > hi) hi = k;
        continue;
      }
      flush();
      lo = a;
      hi = k;
    }
    flush();
  }
  return out;
}

/**
 * Matches of `r` in t[sliceStart, sliceEnd) that start at or after `from` (and at or before `lastStart`),
 * appended to `out`; returns the running match count and where the next search resumes.
 */
function matchAll(view: View, r: InjectionRule, sliceStart: number, from: number, sliceEnd: number, found: number, out: RuleHit[], lastStart = Infinity): { found: number; resume: number } {
  const whole = sliceStart === 0 && sliceEnd === view.text.length;
  const s = whole ? view.text : view.text.slice(sliceStart, sliceEnd);
  const re = r.re;
  re.lastIndex = from - sliceStart;
  let resume = from;
  for (let m = re.exec(s); m && found < MAX_MATCHES; m = re.exec(s)) {
    const start = sliceStart + m.index;
    if (start > lastStart) break;
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const end = start + m[0].length;
    out.push({ rule: r, start: origin(view, start), end: origin(view, end - 1) + 1 });
    found++;
    resume = end;
  }
  return { found, resume };
}
