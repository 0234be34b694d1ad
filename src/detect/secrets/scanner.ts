/**
 * The credential scanner: one Aho-Corasick pass finds rule keywords, each rule's regex runs only in a
 * window around its keyword hits, candidates go through the placeholder allow-list, entropy and the rule's
 * own validation, and the same runs on de-escaped / de-numbered views of tool output so a JSON-escaped
 * or `cat -n` listing cannot hide a key. Offsets always point into the original text, at the value.
 */
import RE2 from 're2';
import type { Detection, Detector } from '../types.js';
import type { SecretRule } from './rule.js';
import { compilePrefilter } from './prefilter.js';
import { derivedViews, type TextView } from './normalize.js';
import { entropy, isPlaceholder } from './validate.js';
import { SECRET_RULES } from './rules/index.js';

export interface SecretScannerOptions {
  /** User patterns (`additional_patterns`), compiled with RE2 so no input can make them slow. */
  additionalPatterns?: readonly { id: string; pattern: string }[];
  /** Replace the built-in rule pack (tests). */
  rules?: readonly SecretRule[];
}

/** A user pattern RE2 cannot compile; `index` is its position in `additionalPatterns`. */
export class SecretPatternError extends Error {
  readonly code = 'KT_ERR_INVALID_PATTERN';
  constructor(
    readonly index: number,
    readonly patternId: string,
    reason: string,
  ) {
    super(`additional_patterns[${index}] (${patternId}) is not a valid linear-time (RE2) pattern: ${reason}`);
    this.name = 'SecretPatternError';
  }
}

interface CompiledRule {
  rule: SecretRule;
  re: RegExp;
  before: number;
  after: number;
  priority: number;
}

interface Candidate {
  rule: string;
  start: number;
  end: number;
  priority: number;
}

/** Most keywords start the secret (a prefix); rules whose keyword sits later say so with `before`. */
const DEFAULT_BEFORE = 16;
const DEFAULT_AFTER = 256;

function compileRule(rule: SecretRule): CompiledRule {
  const flags = new Set(rule.pattern.flags.replace(/[gy]/g, ''));
  flags.add('g');
  flags.add('d');
  return {
    rule,
    re: new RegExp(rule.pattern.source, [...flags].join('')),
    before: rule.before ?? DEFAULT_BEFORE,
    after: rule.after ?? DEFAULT_AFTER,
    priority: rule.priority ?? 2,
  };
}

function compileUserPatterns(patterns: readonly { id: string; pattern: string }[]): { id: string; re: RE2 }[] {
  return patterns.map((p, index) => {
    try {
      return { id: p.id, re: new RE2(p.pattern, 'g') };
    } catch (err) {
      throw new SecretPatternError(index, p.id, err instanceof Error ? err.message : String(err));
    }
  });
}

/** Accepts a candidate value unless it is a placeholder, too regular, or fails the rule's check. */
function accept(c: CompiledRule, secret: string, match: string): boolean {
  if (secret.length === 0) return false;
  if (!c.rule.allowPlaceholders && isPlaceholder(secret)) return false;
  if (c.rule.minEntropy !== undefined && entropy(secret) < c.rule.minEntropy) return false;
  if (c.rule.validate && !c.rule.validate(secret, match)) return false;
  return true;
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

/** Run one rule over the windows around its keyword hits (hit starts ascending, may repeat). */
function runRule(c: CompiledRule, text: string, hits: number[], keywordLength: number, out: Candidate[]): void {
  let i = 0;
  while (i < hits.length) {
    const from = Math.max(0, hits[i] - c.before);
    let to = Math.min(text.length, hits[i] + keywordLength + c.after);
    // Merge windows that touch, so a value is never cut in two by a window edge.
    while (i + 1 < hits.length && hits[i + 1] - c.before <= to) {
      i++;
      to = Math.min(text.length, hits[i] + keywordLength + c.after);
    }
    i++;
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
      const span = secretSpan(m);
      if (!span) continue;
      const secret = slice.slice(span[0], span[1]);
      if (accept(c, secret, m[0])) out.push({ rule: c.rule.id, start: from + span[0], end: from + span[1], priority: c.priority });
    }
  }
}

/** Keep non-overlapping ranges: overlapping candidates merge into their union, named by the stronger rule. */
function merge(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Candidate[] = [];
  for (const c of candidates) {
    const last = out[out.length - 1];
    if (last && c.start < last.end) {
      const stronger = c.priority > last.priority || (c.priority === last.priority && c.end - c.start > last.end - last.start);
      if (stronger) last.rule = c.rule;
      last.priority = Math.max(last.priority, c.priority);
      last.end = Math.max(last.end, c.end);
    } else {
      out.push({ ...c });
    }
  }
  return out;
}

/** Build the `secret` detector. Throws `SecretPatternError` for a user pattern RE2 rejects. */
export function createSecretScanner(opts: SecretScannerOptions = {}): Detector {
  const compiled = (opts.rules ?? SECRET_RULES).map(compileRule);
  const user = compileUserPatterns(opts.additionalPatterns ?? []);
  const keywordIndex = new Map<string, number>();
  const keywordRules: number[][] = [];
  const fullText: CompiledRule[] = compiled.filter((c) => c.rule.keywords.length === 0 && !c.rule.anchors?.length);
  const anchored: CompiledRule[] = compiled.filter((c) => (c.rule.anchors?.length ?? 0) > 0);
  compiled.forEach((c, r) => {
    for (const raw of c.rule.keywords) {
      const kw = raw.toLowerCase();
      let k = keywordIndex.get(kw);
      if (k === undefined) {
        k = keywordRules.length;
        keywordIndex.set(kw, k);
        keywordRules.push([]);
      }
      if (!keywordRules[k].includes(r)) keywordRules[k].push(r);
    }
  });
  const keywords = [...keywordIndex.keys()];
  const prefilter = compilePrefilter(keywords);

  function scanView(text: string, out: Candidate[]): void {
    // Per rule: hit starts and the length of the keyword that produced them (longest wins the window).
    const hits = new Map<number, { starts: number[]; length: number }>();
    prefilter.scan(text, (k, start) => {
      for (const r of keywordRules[k]) {
        let h = hits.get(r);
        if (!h) hits.set(r, (h = { starts: [], length: 0 }));
        h.starts.push(start);
        h.length = Math.max(h.length, keywords[k].length);
      }
    });
    for (const [r, h] of hits) {
      h.starts.sort((a, b) => a - b);
      runRule(compiled[r], text, h.starts, h.length, out);
    }
    for (const c of fullText) runRule({ ...c, before: 0, after: text.length }, text, [0], 0, out);
    for (const c of anchored) {
      const starts: number[] = [];
      for (const a of c.rule.anchors!) {
        for (let i = text.indexOf(a); i !== -1; i = text.indexOf(a, i + 1)) {
          const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
          // Only at a word boundary: `ROOT`, `AND` or `TASK` never start a token.
          if (!((prev >= 48 && prev <= 57) || (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122))) starts.push(i);
        }
      }
      if (starts.length > 0) runRule(c, text, starts.sort((x, y) => x - y), 2, out);
    }
    for (const u of user) {
      u.re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = u.re.exec(text)) !== null) {
        if (m[0].length === 0) {
          u.re.lastIndex++;
          continue;
        }
        const group = m.groups?.secret;
        const offset = group !== undefined ? m[0].indexOf(group) : 0;
        const len = group !== undefined ? group.length : m[0].length;
        if (len > 0) out.push({ rule: u.id, start: m.index + offset, end: m.index + offset + len, priority: 3 });
      }
    }
  }

  /** Map view offsets back to the original text. */
  function mapBack(original: string, view: TextView, from: Candidate[], out: Candidate[]): void {
    for (const c of from) {
      // A character decoded from an escape (`\n`, `\\n` at two levels, `\u00e9`) ends after its escape.
      let end = view.map[c.end - 1];
      if (original.charCodeAt(end) === 92) {
        while (original.charCodeAt(end) === 92) end++;
        end += original[end] === 'u' ? 5 : 1;
      } else {
        end++;
      }
      out.push({ ...c, start: view.map[c.start], end: Math.min(end, original.length) });
    }
  }

  return {
    id: 'secrets',
    scan(text: string): Detection[] {
      const found: Candidate[] = [];
      scanView(text, found);
      for (const view of derivedViews(text)) {
        const inView: Candidate[] = [];
        scanView(view.text, inView);
        mapBack(text, view, inView, found);
      }
      return merge(found).map((c) => ({
        rule: c.rule,
        type: c.rule,
        category: 'secret' as const,
        start: c.start,
        end: c.end,
        confidence: c.priority >= 2 ? 0.9 : 0.6,
      }));
    },
  };
}
