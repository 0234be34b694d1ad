/**
 * Single-policy documents: `policy: {name, version, enabled}` plus one kind's sections at the top level
 * (the documented form for prompt-injection and quality-scorer). Lint accepts them; the gateway loads
 * only full policy-config.yaml files.
 */
import { z } from 'zod';
import { didYouMean, formatPath, type Diagnostic } from './diagnostics.js';
import { locate } from './locate.js';
import type { ParsedSource } from './parse.js';
import { patternsOfPolicy, re2Error } from './regex-check.js';
import { packSchema } from './sections/pack.js';
import { POLICY_NAMES, POLICY_SCHEMAS, resolvePolicyKind, type PolicyKind } from './sections/policies/index.js';
import { issuesToDiagnostics } from './validate.js';

export interface SinglePolicyResult {
  kind?: PolicyKind;
  header?: { name: string; version: string; enabled: boolean };
  diagnostics: Diagnostic[];
}

/** True when the document is shaped like a single-policy document rather than a policy-config.yaml. */
export function isSinglePolicyDocument(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const p = v.policy as Record<string, unknown> | undefined;
  return !('pack' in v) && !!p && typeof p === 'object' && typeof p.name === 'string';
}

export function validateSinglePolicy(parsed: ParsedSource): SinglePolicyResult {
  const value = parsed.value as Record<string, unknown>;
  const header = value.policy as Record<string, unknown>;
  const name = String(header.name);
  const kind = resolvePolicyKind(name);
  const srcs = [parsed.src];
  if (!kind) {
    const loc = locate(srcs, ['policy', 'name']);
    const guess = didYouMean(name, POLICY_NAMES);
    return {
      diagnostics: [
        {
          code: 'E001',
          severity: 'error',
          file: loc.file,
          line: loc.line,
          col: loc.col,
          path: 'policy.name',
          message: `unknown policy kind "${name}" in policy.name${guess ? ` — did you mean "${guess}"?` : ''}; known kinds: ${POLICY_NAMES.join(', ')}`,
        },
      ],
    };
  }
  const schema = z.strictObject({
    policy: packSchema.describe('Header of a single-policy document.'),
    ...POLICY_SCHEMAS[kind].shape,
  });
  const result = schema.safeParse(value);
  const diagnostics = result.success ? [] : issuesToDiagnostics(result.error.issues, schema, value, srcs);
  for (const ref of patternsOfPolicy(kind, value, [])) {
    const err = re2Error(ref.source);
    if (!err) continue;
    const loc = locate(srcs, ref.path);
    diagnostics.push({ code: 'E004', severity: 'error', file: loc.file, line: loc.line, col: loc.col, path: formatPath(ref.path), message: `${formatPath(ref.path)} is not a valid RE2 regular expression: ${err}` });
  }
  return { kind, header: result.success ? (result.data.policy as SinglePolicyResult['header']) : undefined, diagnostics };
}
