/**
 * Every user-supplied regex is compiled with RE2 at load/lint time: RE2 runs in linear time, so no input
 * can make a scan take seconds, and a pattern it cannot accept is reported with its path (E004).
 */
import RE2 from 're2';

export interface PatternRef {
  path: PropertyKey[];
  source: string;
}

/** Where each kind keeps user regexes. `blocked_terms` entries are regexes only with `regex: true`. */
export function patternsOfPolicy(kind: string, block: unknown, base: PropertyKey[]): PatternRef[] {
  if (!block || typeof block !== 'object') return [];
  const b = block as Record<string, unknown>;
  const out: PatternRef[] = [];
  const list = (arr: unknown, path: PropertyKey[]): void => {
    if (!Array.isArray(arr)) return;
    arr.forEach((p, i) => {
      if (typeof p === 'string') out.push({ path: [...path, i], source: p });
      else if (p && typeof (p as { pattern?: unknown }).pattern === 'string') out.push({ path: [...path, i, 'pattern'], source: (p as { pattern: string }).pattern });
    });
  };
  switch (kind) {
    case 'prompt-injection':
      list((b.detection as Record<string, unknown> | undefined)?.attack_patterns, [...base, 'detection', 'attack_patterns']);
      break;
    case 'pii-detector':
      list(b.detect_patterns, [...base, 'detect_patterns']);
      break;
    case 'dlp-filter':
      list(b.detect_patterns, [...base, 'detect_patterns']);
      if (Array.isArray(b.blocked_terms))
        b.blocked_terms.forEach((t, i) => {
          if (t && typeof t === 'object' && (t as { regex?: boolean }).regex) out.push({ path: [...base, 'blocked_terms', i, 'term'], source: (t as { term: string }).term });
        });
      break;
    case 'code-sanitation':
    case 'code-sanitizer':
      list(b.additional_patterns, [...base, 'additional_patterns']);
      break;
  }
  return out;
}

/** The RE2 error message, or undefined when the pattern compiles. */
export function re2Error(source: string): string | undefined {
  try {
    new RE2(source, 'u');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
