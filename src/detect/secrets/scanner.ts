/**
 * The credential scanner: one Aho-Corasick pass over the text as sent finds every rule keyword (and
 * native `indexOf` the case-sensitive anchors); each rule's regex runs only in a window around its hits;
 * candidates go through the placeholder allow-list, entropy and the rule's own validation. When the text
 * is a JSON-escaped or line-numbered listing, the same hits are looked at again in an unwrapped view of
 * just the stretches around them (windows.ts), so a `cat -n` listing or an escaped file cannot hide a
 * key and ordinary text pays for one pass (a JSON-escaped text is only read decoded). Offsets always point
 * into the original text, at the value.
 */
import RE2 from 're2';
import type { Detection, Detector } from '../types.js';
import type { SecretRule } from './rule.js';
import { compilePrefilter } from './prefilter.js';
import { derivedViews, viewMode } from './normalize.js';
import { compileRule, mapBack, runRule, type Candidate, type CompiledRule, type RuleHits } from './run-rule.js';
import { scanWindows } from './windows.js';
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

function compileUserPatterns(patterns: readonly { id: string; pattern: string }[]): { id: string; re: RE2 }[] {
  return patterns.map((p, index) => {
    try {
      return { id: p.id, re: new RE2(p.pattern, 'g') };
    } catch (err) {
      throw new SecretPatternError(index, p.id, err instanceof Error ? err.message : String(err));
    }
  });
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
      if (c.checked) last.checked = true;
      last.priority = Math.max(last.priority, c.priority);
      last.end = Math.max(last.end, c.end);
    } else {
      out.push({ ...c });
    }
  }
  return out;
}

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Build the `secret` detector. Throws `SecretPatternError` for a user pattern RE2 rejects. */
export function createSecretScanner(opts: SecretScannerOptions = {}): Detector {
  const compiled = (opts.rules ?? SECRET_RULES).map(compileRule);
  const user = compileUserPatterns(opts.additionalPatterns ?? []);
  const keywordIndex = new Map<string, number>();
  const keywordRules: number[][] = [];
  const keywordLengths: number[] = [];
  const fullText: CompiledRule[] = compiled.filter((c) => c.rule.keywords.length === 0 && !c.rule.anchors?.length);
  // Case-sensitive anchors of all rules, found in one native regex pass (they are literals).
  const anchorRules = new Map<string, number[]>();
  compiled.forEach((c, r) => {
    for (const a of c.rule.anchors ?? []) anchorRules.set(a, [...(anchorRules.get(a) ?? []), r]);
  });
  const anchorRe = anchorRules.size > 0 ? new RegExp([...anchorRules.keys()].map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : undefined;
  const addKeyword = (kw: string, r: number, length: number) => {
    let k = keywordIndex.get(kw);
    if (k === undefined) {
      k = keywordRules.length;
      keywordIndex.set(kw, k);
      keywordRules.push([]);
      keywordLengths.push(length);
    }
    if (!keywordRules[k]!.includes(r)) keywordRules[k]!.push(r);
  };
  compiled.forEach((c, r) => {
    for (const raw of c.rule.keywords) {
      const kw = raw.toLowerCase();
      addKeyword(kw, r, kw.length);
      // Some JSON encoders write `/` as `\/`: the escaped spelling is a hit too (its window is the same).
      if (kw.includes('/')) addKeyword(kw.replaceAll('/', '\\/'), r, kw.length);
    }
  });
  const prefilter = compilePrefilter([...keywordIndex.keys()]);

  /** Keyword and anchor hits per rule index, over the text as sent. */
  function collectHits(text: string, viewed: boolean): (RuleHits | undefined)[] {
    const hits: (RuleHits | undefined)[] = new Array(compiled.length);
    const { pairs, count } = prefilter.hits(text);
    for (let i = 0; i < count; i++) {
      const k = pairs[2 * i]!;
      const start = pairs[2 * i + 1]!;
      const len = keywordLengths[k]!;
      const rules = keywordRules[k]!;
      for (let j = 0; j < rules.length; j++) {
        const r = rules[j]!;
        const h = hits[r];
        if (h) {
          h.starts.push(start);
          if (len > h.length) h.length = len;
        } else hits[r] = { starts: [start], length: len };
      }
    }
    if (anchorRe) {
      anchorRe.lastIndex = 0;
      for (let m = anchorRe.exec(text); m !== null; m = anchorRe.exec(text)) {
        const i = m.index;
        // Only at a word boundary: `ROOT`, `AND` or `TASK` never start a token. In an escaped text,
        // `\nSK…` starts a line once decoded.
        const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
        if (isWordCode(prev) && !(viewed && i > 1 && text.charCodeAt(i - 2) === 92)) continue;
        for (const r of anchorRules.get(m[0])!) {
          const h = hits[r];
          if (h) {
            h.starts.push(i);
            if (h.length < m[0].length) h.length = m[0].length;
          } else hits[r] = { starts: [i], length: m[0].length };
        }
      }
    }
    for (const h of hits) if (h && h.starts.length > 1) h.starts.sort((x, y) => x - y);
    return hits;
  }

  function runUser(text: string, out: Candidate[]): void {
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

  return {
    id: 'secrets',
    scan(text: string): Detection[] {
      const found: Candidate[] = [];
      const mode = viewMode(text);
      const escaped = mode !== undefined && mode.json > 0;
      const hits = collectHits(text, escaped);
      // A JSON-escaped text is read decoded, around the same hits (windows.ts): its escapes are an
      // encoding, and patterns run over them only find values cut or run on at an escape.
      if (!escaped) hits.forEach((h, r) => h && runRule(compiled[r]!, text, h.starts, h.length, found));
      for (const c of fullText) runRule({ ...c, before: 0, after: text.length }, text, [0], 0, found);
      runUser(text, found);
      if (mode) {
        scanWindows(text, mode, compiled, hits, found);
        if (fullText.length > 0 || user.length > 0) {
          for (const view of derivedViews(text)) {
            const inView: Candidate[] = [];
            for (const c of fullText) runRule({ ...c, before: 0, after: view.text.length }, view.text, [0], 0, inView);
            runUser(view.text, inView);
            mapBack(text, view, inView, found);
          }
        }
      }
      if (found.length === 0) return [];
      return merge(found).map((c) => ({
        rule: c.rule,
        type: c.rule,
        category: 'secret' as const,
        start: c.start,
        end: c.end,
        confidence: c.checked ? 0.99 : c.priority >= 2 ? 0.9 : 0.6,
      }));
    },
  };
}
