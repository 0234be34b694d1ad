/** Safety-filter detector: the category lexicon in safety-lexicon.ts, restricted to the `block_if` categories. */
import type { Detection, Detector } from '../types.js';
import { SAFETY_CATEGORIES, SAFETY_LEXICON, type SafetyCategory } from './safety-lexicon.js';

export interface SafetyDetectorOptions {
  /** Categories to report (`block_if`); default all. Unknown names throw so a typo cannot disable a category. */
  categories?: string[];
}

const ALIASES: Record<string, SafetyCategory> = {
  violence: 'violence', 'self-harm': 'self-harm', self_harm: 'self-harm', selfharm: 'self-harm', suicide: 'self-harm',
  weapons: 'weapons', weapon: 'weapons', hate: 'hate', hate_speech: 'hate', 'hate-speech': 'hate',
  'sexual-minors': 'sexual-minors', sexual_minors: 'sexual-minors', csam: 'sexual-minors', child_safety: 'sexual-minors',
  malware: 'malware', cyber: 'malware',
  harassment: 'harassment', bullying: 'harassment',
  sexual: 'sexual', adult: 'sexual',
  'illegal-drugs': 'illegal-drugs', illegal_drugs: 'illegal-drugs', drugs: 'illegal-drugs',
  extremism: 'extremism', terrorism: 'extremism',
};

export function resolveSafetyCategories(names: string[] | undefined): Set<SafetyCategory> {
  if (!names || names.length === 0) return new Set(SAFETY_CATEGORIES);
  const out = new Set<SafetyCategory>();
  for (const n of names) {
    const c = ALIASES[n.toLowerCase()];
    if (!c) throw new Error(`unknown safety category "${n}" (known: ${SAFETY_CATEGORIES.join(', ')})`);
    out.add(c);
  }
  return out;
}

export function createSafetyDetector(opts: SafetyDetectorOptions = {}): Detector {
  const wanted = resolveSafetyCategories(opts.categories);
  const entries = SAFETY_LEXICON.filter((e) => wanted.has(e.category));
  return {
    id: 'safety',
    scan: function scanSafety(text: string): Detection[] {
      const lower = text.toLowerCase();
      const out: Detection[] = [];
      for (const e of entries) {
        if (!e.keywords.some((k) => lower.includes(k))) continue;
        e.re.lastIndex = 0;
        let n = 0;
        // `lower` keeps offsets for ASCII and nearly all text; the regex is case-insensitive anyway.
        for (let m = e.re.exec(text); m && n < 32; m = e.re.exec(text), n++) {
          out.push({ rule: `safety.${e.id}`, type: e.category, category: 'safety', start: m.index, end: m.index + m[0].length, confidence: 0.8 });
        }
      }
      return out.sort((a, b) => a.start - b.start);
    },
  };
}
