/**
 * Config diagnostics: the codes (documented in docs/CONFIG.md), the error thrown on a bad config, and
 * the "did you mean" helper. A diagnostic always names the key path and what is allowed there.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** E001… for errors, W001… for warnings. */
  code: string;
  severity: Severity;
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. a missing file). */
  line: number;
  col: number;
  /** Dotted key path, e.g. `policy.pii-detector.redaction.marker_format` or `providers.targets[0].id`. */
  path: string;
  message: string;
  help?: string;
}

/** Every code, with a one-line description (docs/CONFIG.md has the same table; a test keeps them in sync). */
export const DIAGNOSTIC_CODES = {
  E001: 'Unknown policy kind (in policies.chain or as a policy.<kind> key).',
  E002: 'Unknown key: the schema is strict.',
  E003: 'A kind in the chain needs a policy.<kind> block with settings and has none.',
  E004: 'A regular expression RE2 cannot compile (lookaround, backreferences, syntax error).',
  E005: 'Wrong type (e.g. a string where a list is expected).',
  E006: 'Value not among the allowed values.',
  E007: 'Required key missing.',
  E008: 'Invalid value (format, range, length).',
  E009: 'Duplicate id.',
  E010: 'YAML syntax error.',
  E011: 'The file cannot be read.',
  E012: 'Both code-sanitation and its alias code-sanitizer are configured.',
  E013: 'Two scopes have the same name.', // (marked edit: scopes)
  W001: 'An environment variable named by secret_key_ref is not set; that target is unavailable.',
  W002: 'A policy.<kind> block is configured but the kind is not in policies.chain, so it does not run.',
  W003: 'A kind appears more than once in policies.chain.',
  W004: 'A setting is accepted but has no effect in this build.',
  W005: 'No provider targets are configured.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** `file:line:col: severity CODE path: message` and the help line, as lint prints it. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const head = `${where}: ${d.severity} ${d.code} ${d.path || '(root)'}: ${d.message}`;
  return d.help ? `${head}\n  help: ${d.help}` : head;
}

/** Thrown by loadConfigFiles when any file has an error; `diagnostics` holds warnings too. */
export class ConfigError extends Error {
  readonly code = 'KT_ERR_CONFIG';
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(`invalid configuration (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map(formatDiagnostic).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Printable path: `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a third of the word's length (at least 2 edits), if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const d = cl.replace(/[-_]/g, '') === w.replace(/[-_]/g, '') ? 0.5 : editDistance(w, cl);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
