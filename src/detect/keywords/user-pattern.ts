/** Compiles user-supplied regexes (attack_patterns, detect_patterns, blocked_terms) in re2, a linear-time engine. */
import RE2 from 're2';

export interface UserPattern {
  id: string;
  pattern: string;
}

export interface CompiledPattern {
  id: string;
  regex: RE2;
}

/** Thrown for a pattern re2 cannot compile (backreferences, lookaround): lint rejects it, scans never see it. */
export class InvalidPatternError extends Error {
  readonly code = 'KT_ERR_INVALID_PATTERN';
  constructor(
    readonly patternId: string,
    reason: string,
  ) {
    super(`pattern ${patternId} is not supported by the linear-time regex engine: ${reason}`);
  }
}

/**
 * Inline `(?i)` is accepted as in Go/RE2 configs; the pattern always runs global so every match is found.
 */
export function compileUserPattern(p: UserPattern, caseInsensitive = false): CompiledPattern {
  let source = p.pattern;
  let flags = 'gu';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags += 'i';
  } else if (caseInsensitive) flags += 'i';
  try {
    return { id: p.id, regex: new RE2(source, flags) };
  } catch (err) {
    throw new InvalidPatternError(p.id, (err as Error).message);
  }
}

/** Every non-empty match of a compiled pattern, as [start, end) offsets. */
export function* matchAll(c: CompiledPattern, text: string): Generator<[number, number]> {
  const re = c.regex;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(text);
    if (!m) return;
    if (m[0].length === 0) {
      re.lastIndex = m.index + 1;
      if (re.lastIndex > text.length) return;
      continue;
    }
    yield [m.index, m.index + m[0].length];
  }
}
