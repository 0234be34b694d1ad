/**
 * Prompt-injection detector: direct overrides, role-play jailbreaks, system-prompt extraction, fake
 * boundaries, planted (indirect) instructions and exfiltration requests, over de-obfuscated text.
 * Where the text sits decides what counts: an instruction in a tool result or document is planted
 * (indirect rules apply, lower threshold); a user talking *about* injection (writing a filter, asking
 * for examples) is not attacking, unless the text also carries hard evidence.
 */
import type { SegmentRole } from '../../dialects/types.js';
import type { Detection, Detector, ScanContext } from '../types.js';
import { compileUserPattern, matchAll } from '../keywords/user-pattern.js';
import { BOUNDARY_RULES } from './boundaries.js';
import { findEncoded } from './decode.js';
import { compileKeywords } from './keywords.js';
import { normalize } from './normalize.js';
import { compileRules, runRules } from './run-rules.js';
import { looksLikeCode, score } from './score.js';
import { findSquashed } from './squashed.js';
import { INJECTION_KINDS, RULES, type InjectionKind, type InjectionRule } from './rules.js';
import { MULTILINGUAL_RULES } from './rules-multilingual.js';

export interface InjectionDetectorOptions {
  /** Extra attack patterns (config `attack_patterns`), compiled in re2; a match alone is a detection. */
  attackPatterns?: string[];
  /** Decode base64/hex blobs and scan what they hide (default true). */
  decodeBase64?: boolean;
  /** Drop zero-width/tag characters, decode tag smuggling, NFKC full-width forms (default true). */
  normalizeUnicode?: boolean;
  /** Read Cyrillic/Greek look-alikes next to Latin letters as Latin (default true). */
  detectHomoglyphs?: boolean;
  /** Flag chat-template tokens, role tags and forged turns (default true). */
  rejectFakeBoundaries?: boolean;
  /** Score a segment needs before it is reported (default 3; raised by 4 when a user discusses injection). */
  threshold?: number;
}

/** Third-party content: whatever instructions it carries were not written by the user. */
const INDIRECT_ROLES = new Set<SegmentRole | undefined>(['tool_result']);

// Case carries meaning for these, so they run on the original text: `DAN` the persona, not Dan the name.
// `keywords` are lower-case rule keywords that the normalised view holds wherever a match is: the regex
// runs only when one occurs.
const RAW_RULES: { id: string; kind: InjectionKind; weight: number; re: RegExp; keywords: string[] }[] = [
  { id: 'jailbreak.dan-persona', kind: 'jailbreak', weight: 3, re: /\bDAN\b(?!\s+[A-Z][a-z])/g, keywords: ['dan'] },
  { id: 'jailbreak.stay-in-character', kind: 'jailbreak', weight: 2, re: /\bSTAY IN CHARACTER\b|\bDEVELOPER MODE\b|\bJAILBREAK\b/g, keywords: ['in character', 'developer mode', 'jail'] },
];

// A user discussing injection defences, asking for test data, or quoting an attack to classify it.
const META = /\b(?:detect(?:s|ing|ion|or)?|filter(?:s|ing)?|classif(?:y|ier|ication)|guard(?:rail)?s?|block(?:s|ing)?|prevent(?:s|ing|ion)?|sanitiz(?:e|ing|er)|defen[cs]es?|protect(?:ion)? against|mitigat(?:e|ion)|regex|unit tests?|test cases?|examples? of|is this (?:an? )?(?:prompt )?injection|how (?:do|can|to|would)\b[^.?\n]{0,40}\b(?:detect|stop|handle|prevent))\b[^.?\n]{0,60}\b(?:prompt[- ]injections?|injections?|jailbreaks?|attacks?)\b|\b(?:prompt[- ]injections?|jailbreaks?)\b[^.?\n]{0,60}\b(?:detect(?:or|ion)?|filter|classifier|guardrail|defen[cs]e|mitigation|benchmark|dataset)\b/;

/** What a code-like tool result adds to the threshold of windows holding weak evidence only. */
const CODE_WEAK_EXTRA = 2;

const KIND_TYPE: Record<InjectionKind, string> = {
  override: 'instruction-override',
  jailbreak: 'jailbreak',
  'prompt-leak': 'prompt-leak',
  boundary: 'fake-boundary',
  indirect: 'indirect-injection',
  exfiltration: 'exfiltration',
};

interface Hit {
  rule: InjectionRule | { id: string; kind: InjectionKind; weight: number };
  start: number;
  end: number;
}

export function createInjectionDetector(opts: InjectionDetectorOptions = {}): Detector {
  const decode = opts.decodeBase64 ?? true;
  const norm = { unicode: opts.normalizeUnicode ?? true, homoglyphs: opts.detectHomoglyphs ?? true };
  const rules = [...RULES, ...MULTILINGUAL_RULES, ...((opts.rejectFakeBoundaries ?? true) ? BOUNDARY_RULES : [])];
  const custom = (opts.attackPatterns ?? []).map((p, i) => compileUserPattern({ id: `attack-pattern-${i + 1}`, pattern: p }, true));

  // One pass over the text finds every rule keyword, instead of one `includes` per keyword.
  const keywords = compileKeywords(rules.flatMap((r) => [...r.keywords, ...(r.also ?? [])]));
  const compiled = compileRules(rules, keywords);
  const rawGates = RAW_RULES.map((r) => r.keywords.map((k) => keywords.id(k)));

  function collect(text: string, role: SegmentRole | undefined, depth: number, view = normalize(text, norm)): Hit[] {
    const found = keywords.scan(view.text);
    const hits: Hit[] = found.count ? runRules(view, compiled, found, INDIRECT_ROLES.has(role)) : [];
    for (const [i, r] of RAW_RULES.entries()) {
      if (!rawGates[i]!.some((k) => found.present[k] === 1)) continue;
      r.re.lastIndex = 0;
      const m = r.re.exec(text);
      if (m) hits.push({ rule: r, start: m.index, end: m.index + m[0].length });
    }
    // The letters-only reading is a fallback for spelled-apart text: it adds nothing where a rule already saw the kind.
    hits.push(...findSquashed(view, text, new Set(hits.map((h) => h.rule.kind))));
    if (decode && depth < 2) {
      for (const blob of findEncoded(text)) {
        for (const h of collect(blob.text, role, depth + 1)) {
          hits.push({ rule: { id: `${h.rule.id}.encoded`, kind: h.rule.kind, weight: h.rule.weight }, start: blob.start, end: blob.end });
        }
      }
    }
    return hits;
  }

  return {
    id: 'prompt-injection',
    scan: function scanInjection(text: string, ctx?: ScanContext): Detection[] {
      const out: Detection[] = [];
      for (const c of custom) {
        for (const [start, end] of matchAll(c, text)) {
          out.push({ rule: `injection.${c.id}`, type: 'custom-attack-pattern', category: 'injection', start, end, confidence: 1 });
        }
      }
      const role = ctx?.role;
      const view = normalize(text, norm);
      const hits = collect(text, role, 0, view);
      if (hits.length === 0) return out;
      const indirect = INDIRECT_ROLES.has(role);
      let threshold = opts.threshold ?? 3;
      // Talking about attacks is not attacking: demand much more evidence from a user or system text.
      if (!indirect && META.test(text.length > 20000 ? normalize(text.slice(0, 20000), norm).text : view.text)) threshold += 4;
      // A source file read by a tool is full of the weak words; there, weak evidence alone needs more.
      const firing = score(text, hits, threshold, { code: () => indirect && looksLikeCode(text), codeWeakExtra: CODE_WEAK_EXTRA });
      if (!firing) return out;
      // Report the strongest kind of the strongest window as the type; every contributing match is located (capped per rule).
      const top = INJECTION_KINDS.reduce((best, k) => ((firing.score.get(k) ?? 0) > (firing.score.get(best) ?? 0) ? k : best), INJECTION_KINDS[0]);
      const type = indirect && top !== 'exfiltration' ? 'indirect-injection' : KIND_TYPE[top];
      const confidence = Math.min(1, firing.total / 8);
      const perRule = new Map<string, number>();
      firing.hits.forEach((h, i) => {
        const n = perRule.get(h.rule.id) ?? 0;
        if (n >= 4) return;
        perRule.set(h.rule.id, n + 1);
        out.push({ rule: `injection.${h.rule.id}`, type, category: 'injection', start: h.start, end: h.end, confidence, ...(firing.advisory[i] ? { advisory: true } : {}) });
      });
      return out.sort((a, b) => a.start - b.start || a.end - b.end);
    },
  };
}
