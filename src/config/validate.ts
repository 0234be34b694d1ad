/** Turns zod issues into coded diagnostics with positions, valid-key lists and did-you-mean. */
import type { z } from 'zod';
import { didYouMean, formatPath, type Diagnostic } from './diagnostics.js';
import { locate, type SourceDoc } from './locate.js';
import { keysAt } from './schema.js';
import { POLICY_NAMES } from './sections/policies/index.js';

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

const EXPECTED: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', int: 'an integer' };

/** A policy map is `policy` at the root or inside a scope: its keys are kinds (E001, not E002). */
function isPolicyMap(path: readonly PropertyKey[]): boolean {
  return path.length > 0 && path[path.length - 1] === 'policy' && (path.length === 1 || path[0] === 'scopes');
}

function isChainEntry(path: readonly PropertyKey[]): boolean {
  return path.length >= 2 && typeof path[path.length - 1] === 'number' && path[path.length - 2] === 'chain';
}

/** The union branch that best explains the failure: skip branches that rejected the value's type outright. */
function pickBranch(errors: Issue[][]): Issue[] | undefined {
  const plausible = errors.filter((b) => !(b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0));
  if (plausible.length === 0) return undefined;
  return plausible.reduce((a, b) => (b.length < a.length ? b : a));
}

/** Hints for the YAML typing surprises: 1.0 is a number, yes is a string. */
function typeHelp(expected: string, got: unknown): string | undefined {
  if (expected === 'string' && typeof got === 'number') return `quote the value: "${String(got)}"`;
  if (expected === 'boolean' && typeof got === 'string') return 'write true or false (unquoted)';
  if (expected === 'number' && typeof got === 'string' && got.trim() !== '' && !Number.isNaN(Number(got))) return 'remove the quotes';
  if (expected === 'array' && (typeof got === 'string' || (got && typeof got === 'object'))) return 'write a list: one "- item" per line';
  return undefined;
}

export function issuesToDiagnostics(
  issues: readonly Issue[],
  schema: z.ZodType,
  input: unknown,
  srcs: readonly SourceDoc[],
  base: readonly PropertyKey[] = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (code: string, path: readonly PropertyKey[], message: string, help?: string, atKey = false): void => {
    const loc = locate(srcs, path, atKey);
    out.push({ code, severity: 'error', file: loc.file, line: loc.line, col: loc.col, path: formatPath(path), message, ...(help ? { help } : {}) });
  };
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const p = formatPath(path) || '(root)';
    switch (issue.code) {
      case 'unrecognized_keys': {
        for (const key of issue.keys) {
          const keyPath = [...path, key];
          if (isPolicyMap(path)) {
            const guess = didYouMean(key, POLICY_NAMES);
            push('E001', keyPath, `unknown policy kind "${key}" under ${p}${guess ? ` — did you mean "${guess}"?` : ''}; known kinds: ${POLICY_NAMES.join(', ')}`, guess ? `rename it to ${guess}` : undefined, true);
            continue;
          }
          const valid = keysAt(schema, path) ?? [];
          const guess = didYouMean(key, valid);
          push('E002', keyPath, `unknown key "${key}" in ${p}${guess ? ` — did you mean "${guess}"?` : ''}; valid keys: ${valid.join(', ')}`, guess ? `rename it to ${guess}` : 'remove it: unknown keys are errors, not ignored', true);
        }
        break;
      }
      case 'invalid_value': {
        const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
        const got = valueAt(input, path);
        if (isChainEntry(path)) {
          const guess = typeof got === 'string' ? didYouMean(got, POLICY_NAMES) : undefined;
          push('E001', path, `unknown policy kind ${JSON.stringify(got)} in ${p}${guess ? ` — did you mean "${guess}"?` : ''}; known kinds: ${POLICY_NAMES.join(', ')}`, guess ? `rename it to ${guess}` : undefined);
        } else {
          const guess = typeof got === 'string' ? didYouMean(got, issue.values.map(String)) : undefined;
          push('E006', path, `${p} is ${JSON.stringify(got)}${guess ? ` — did you mean "${guess}"?` : ''}; allowed: ${allowed}`);
        }
        break;
      }
      case 'invalid_type': {
        const got = valueAt(input, path);
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        if (got === undefined) push('E007', path, `${p} is required (${expected})`, `add ${String(path[path.length - 1])}: under ${formatPath(path.slice(0, -1)) || 'the top level'}`);
        else push('E005', path, `${p} must be ${expected}, got ${typeName(got)}`, path[path.length - 1] === 'version' ? 'write a quoted SemVer version such as "1.0.0"' : typeHelp(issue.expected, got));
        break;
      }
      case 'invalid_union': {
        const branch = pickBranch(issue.errors as Issue[][]);
        if (branch) out.push(...issuesToDiagnostics(branch, schema, input, srcs, path));
        else push('E005', path, `${p} has the wrong type (${typeName(valueAt(input, path))})`, 'see docs/CONFIG.md for the accepted forms');
        break;
      }
      default:
        push('E008', path, `${p}: ${issue.message}`);
    }
  }
  return out;
}
