/**
 * Running one compiled rule over the windows around its keyword hits in a text (the text as sent, or an
 * unwrapped view of a stretch of it), and mapping what a view found back to offsets in the original.
 */
import type { SecretRule } from './rule.js';
import type { TextView } from './normalize.js';
import { entropy, isPlaceholder } from './validate.js';

export interface CompiledRule {
  rule: SecretRule;
  re: RegExp;
  before: number;
  after: number;
  priority: number;
  /** The pattern can match a line feed, so a line-numbered listing must be unwrapped for it (see `spansLines`). */
  lines: boolean;
  /** The pattern anchored (`y`), for rules that say where their matches start. */
  sticky?: RegExp;
}

export interface Candidate {
  rule: string;
  start: number;
  end: number;
  priority: number;
  /** The value's format checksum holds. */
  checked?: boolean;
}

/** Keyword hit starts of one rule (ascending after `sortHits`) and the longest keyword that produced them. */
export interface RuleHits {
  starts: number[];
  length: number;
}

/** Most keywords start the secret (a prefix); rules whose keyword sits later say so with `before`. */
const DEFAULT_BEFORE = 16;
const DEFAULT_AFTER = 256;

export function compileRule(rule: SecretRule): CompiledRule {
  const flags = new Set(rule.pattern.flags.replace(/[gy]/g, ''));
  flags.add('g');
  flags.add('d');
  return {
    rule,
    re: new RegExp(rule.pattern.source, [...flags].join('')),
    before: rule.before ?? DEFAULT_BEFORE,
    after: rule.after ?? DEFAULT_AFTER,
    priority: rule.priority ?? 2,
    lines: spansLines(rule.pattern),
    sticky: rule.starts ? new RegExp(rule.pattern.source, [...flags].filter((f) => f !== 'g').join('') + 'y') : undefined,
  };
}

/**
 * Whether a pattern can match a line feed: `\s`, `\n`, `\W`, `\D`, `.` under `s`, or a negated class that
 * does not exclude it. A pattern that cannot finds the same values in a line-numbered listing as in its
 * unwrapped view (a prefix only ever sits where a line starts), so the listing needs no second look for it.
 * Conservative: anything it does not understand counts as spanning.
 */
export function spansLines(re: RegExp): boolean {
  const src = re.source;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      const e = src[++i];
      if (e === 's' || e === 'n' || e === 'W' || e === 'D' || e === 'r' || e === 'P') return true;
      continue;
    }
    if (ch === '.' && re.flags.includes('s')) return true;
    if (ch === '[') {
      let j = i + 1;
      const negated = src[j] === '^';
      if (negated) j++;
      let body = '';
      if (src[j] === ']') body += src[j++];
      for (; j < src.length && src[j] !== ']'; j++) body += src[j] === '\\' ? src[j] + src[++j] : src[j];
      i = j;
      const feed = /\\[nsr]|\n/.test(body);
      if (negated ? !feed || /\\[SWD]/.test(body) : feed || /\\[WD]/.test(body)) return true;
    }
  }
  return false;
}

const REJECT = 0;
const ACCEPT = 1;
/** Accepted, and the format's own checksum holds: generated, not typed (`Candidate.checked`). */
const CHECKED = 2;

/**
 * Whether a candidate value is a secret: not a placeholder, random enough, and passing the rule's check.
 * A value whose format checksum holds was generated, not typed: it skips the placeholder list and the
 * entropy gate (a random tail may look regular by chance) but still passes the rule's own validation.
 */
function accept(c: CompiledRule, secret: string, match: string): number {
  if (secret.length === 0) return REJECT;
  const checked = c.rule.checksum?.(secret) === true;
  if (!checked && !c.rule.allowPlaceholders && isPlaceholder(secret)) return REJECT;
  if (!checked && c.rule.minEntropy !== undefined && entropy(secret) < c.rule.minEntropy) return REJECT;
  if (c.rule.validate && !c.rule.validate(secret, match)) return REJECT;
  return checked ? CHECKED : ACCEPT;
}

/** The first `secret…` named group that took part in the match, else the whole match. */
function secretSpan(m: RegExpExecArray): [number, number] | undefined {
  const groups = m.indices?.groups;
  if (groups) {
    for (const name in groups) {
      const span = groups[name];
      if (span && name.startsWith('secret')) return span;
    }
  }
  return m.indices?.[0];
}

/** The stretches one rule's pattern runs over: a window per hit, windows that touch merged (ascending). */
function windowsFor(c: CompiledRule, text: string, hits: readonly number[], keywordLength: number): number[] {
  const out: number[] = [];
  const n = text.length;
  const around = c.rule.around;
  let sorted = true;
  for (const h of hits) {
    let from = Math.max(0, h - c.before);
    let to = Math.min(n, h + keywordLength + c.after);
    if (around) {
      const w = around(text, h, keywordLength);
      if (!w) continue;
      from = Math.max(from, w[0]);
      to = Math.min(to, w[1]);
      if (from >= to) continue;
    }
    const last = out.length - 2;
    // Merge windows that touch, so a value is never cut in two by a window edge.
    if (last >= 0 && from <= out[last + 1]! && from >= out[last]!) out[last + 1] = Math.max(out[last + 1]!, to);
    else {
      if (last >= 0 && from < out[last]!) sorted = false;
      out.push(from, to);
    }
  }
  if (sorted) return out;
  const pairs: [number, number][] = [];
  for (let i = 0; i < out.length; i += 2) pairs.push([out[i]!, out[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const merged: number[] = [];
  for (const [f, t] of pairs) {
    if (merged.length > 0 && f <= merged[merged.length - 1]!) merged[merged.length - 1] = Math.max(merged[merged.length - 1]!, t);
    else merged.push(f, t);
  }
  return merged;
}

/** Record one match of `c` (its `secret` span at `offset` in the text) if its value is accepted. */
function take(c: CompiledRule, m: RegExpExecArray, source: string, offset: number, out: Candidate[]): void {
  const span = secretSpan(m);
  if (!span) return;
  const secret = source.slice(span[0], span[1]);
  const verdict = accept(c, secret, m[0]);
  if (verdict === REJECT) return;
  const cand: Candidate = { rule: c.rule.id, start: offset + span[0], end: offset + span[1], priority: c.priority };
  if (verdict === CHECKED) cand.checked = true;
  out.push(cand);
}

/** A rule that says where its matches start: the anchored pattern at each start, leftmost first, no overlaps. */
function runAnchored(c: CompiledRule, text: string, hits: readonly number[], keywordLength: number, out: Candidate[]): void {
  const positions: number[] = [];
  for (const h of hits) for (const p of c.rule.starts!(text, h, keywordLength)) if (p >= 0 && p < text.length) positions.push(p);
  positions.sort((a, b) => a - b);
  const re = c.sticky!;
  let end = -1;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (p < end || (i > 0 && p === positions[i - 1])) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (m === null || m[0].length === 0) continue;
    end = p + m[0].length;
    take(c, m, text, 0, out);
  }
}

/** Run one rule over the windows around its keyword hits (hit starts ascending, may repeat). */
export function runRule(c: CompiledRule, text: string, hits: readonly number[], keywordLength: number, out: Candidate[]): void {
  if (c.sticky) {
    runAnchored(c, text, hits, keywordLength, out);
    return;
  }
  const windows = windowsFor(c, text, hits, keywordLength);
  for (let w = 0; w < windows.length; w += 2) {
    const from = windows[w]!;
    const to = windows[w + 1]!;
    const slice = text.slice(from, to);
    if (c.rule.requires !== undefined && !slice.includes(c.rule.requires)) continue;
    const re = c.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(slice)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      take(c, m, slice, from, out);
    }
  }
}

/** Map candidates found in a view back to the original text. */
export function mapBack(original: string, view: TextView, from: readonly Candidate[], out: Candidate[]): void {
  for (const c of from) {
    // A character decoded from an escape (`\n`, `\\n` at two levels, `\u00e9`) ends after its escape.
    let end = view.map[c.end - 1]!;
    if (original.charCodeAt(end) === 92) {
      while (original.charCodeAt(end) === 92) end++;
      end += original[end] === 'u' ? 5 : 1;
    } else {
      end++;
    }
    out.push({ ...c, start: view.map[c.start]!, end: Math.min(end, original.length) });
  }
}
