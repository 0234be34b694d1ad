/** Checks the schema cannot express: E003, E004, E009, E012, E013 and the warnings. */
import { didYouMean, formatPath, type Diagnostic } from './diagnostics.js';
import { locate, type SourceDoc } from './locate.js';
import { patternsOfPolicy, re2Error } from './regex-check.js';
import type { KtConfig } from './schema.js';
import { POLICY_KINDS, REQUIRES_SETTINGS, resolvePolicyKind } from './sections/policies/index.js';

export interface CheckOptions {
  /** Environment used for the missing-variable warning (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs on the merged raw value even when the schema failed (so lint reports everything at once):
 * every access is guarded.
 */
export function checkConfig(raw: unknown, srcs: readonly SourceDoc[], opts: CheckOptions = {}): Diagnostic[] {
  const env = opts.env ?? process.env;
  const out: Diagnostic[] = [];
  const add = (code: string, severity: Diagnostic['severity'], path: PropertyKey[], message: string, help?: string): void => {
    const loc = locate(srcs, path);
    out.push({ code, severity, file: loc.file, line: loc.line, col: loc.col, path: formatPath(path), message, ...(help ? { help } : {}) });
  };
  const config = (isObj(raw) ? raw : {}) as Partial<KtConfig>;
  const policy = (isObj(config.policy) ? config.policy : {}) as Record<string, unknown>;
  const chain = Array.isArray(config.policies?.chain) ? (config.policies.chain as unknown[]) : [];

  checkPolicyMap(policy, ['policy'], add);
  const chainKinds = new Map<string, number>();
  chain.forEach((name, i) => {
    const kind = typeof name === 'string' ? resolvePolicyKind(name) : undefined;
    if (!kind) return; // reported by the schema (E001)
    if (chainKinds.has(kind)) add('W003', 'warning', ['policies', 'chain', i], `${kind} appears more than once in policies.chain; it runs once per entry`);
    chainKinds.set(kind, i);
    const needs = REQUIRES_SETTINGS[kind];
    const block = policy[kind] ?? (kind === 'code-sanitation' ? policy['code-sanitizer'] : undefined);
    const reason = needs?.(block);
    if (reason) add('E003', 'error', ['policies', 'chain', i], reason, `add a policy.${kind} block, or remove ${kind} from the chain`);
  });
  // A misspelt chain entry (E001) already points at the block it meant; don't also warn it is unused.
  const meant = new Set(chain.filter((n): n is string => typeof n === 'string' && !resolvePolicyKind(n)).map((n) => didYouMean(n, POLICY_KINDS)));
  for (const name of Object.keys(policy)) {
    const kind = resolvePolicyKind(name);
    if (kind && !chainKinds.has(kind) && !meant.has(kind)) add('W002', 'warning', ['policy', name], `policy.${name} is configured but ${name} is not in policies.chain, so it does not run`, `add ${name} to policies.chain to enable it`);
  }
  if ((policy['prompt-injection'] as { use_embedding?: unknown } | undefined)?.use_embedding === true)
    add('W004', 'warning', ['policy', 'prompt-injection', 'use_embedding'], 'use_embedding is not available in this build (no network model); the pattern and heuristic detectors run instead');

  const targets = (Array.isArray(config.providers?.targets) ? config.providers.targets : []) as unknown[];
  if (!config.providers) add('W005', 'warning', [], 'no providers section: every request will fail with "no target"', 'add providers.targets, e.g. { id: demo, provider: demo }');
  const seen = new Map<string, number>();
  targets.forEach((target, i) => {
    if (!isObj(target) || typeof target.id !== 'string') return;
    const t = target as { id: string; secret_key_ref?: { env?: unknown; store?: unknown } };
    const first = seen.get(t.id);
    if (first !== undefined) add('E009', 'error', ['providers', 'targets', i, 'id'], `target id "${t.id}" is already used by providers.targets[${first}]`, 'target ids must be unique');
    else seen.set(t.id, i);
    const envName = t.secret_key_ref?.env;
    if (t.secret_key_ref?.store !== undefined)
      add('W004', 'warning', ['providers', 'targets', i, 'secret_key_ref', 'store'], `secret_key_ref.store needs the control plane, which this gateway is not connected to: target "${t.id}" is unavailable`, 'use secret_key_ref.env for a standalone gateway');
    if (typeof envName === 'string' && !env[envName]) add('W001', 'warning', ['providers', 'targets', i, 'secret_key_ref', 'env'], `environment variable ${envName} is not set: target "${t.id}" is unavailable until it is`, `export ${envName}=… before starting the gateway`);
  });

  const scopeNames = new Map<string, number>();
  (Array.isArray(config.scopes) ? config.scopes : []).forEach((s: unknown, i) => {
    if (!isObj(s)) return;
    // Requests resolve to a scope by name: a second one of the same name would run the first one's bundle.
    if (typeof s.name === 'string') {
      const first = scopeNames.get(s.name);
      if (first !== undefined) add('E013', 'error', ['scopes', i, 'name'], `scope name "${s.name}" is already used by scopes[${first}]`, 'scope names must be unique: rename one, or merge the two scopes');
      else scopeNames.set(s.name, i);
    }
    const scopePolicy = isObj(s.policy) ? (s.policy as Record<string, unknown>) : {};
    if (isObj(s.policy)) checkPolicyMap(scopePolicy, ['scopes', i, 'policy'], add);
    // A scope's chain sees the scope's overlay on top of the base blocks.
    if (Array.isArray(s.chain))
      s.chain.forEach((name: unknown, j: number) => {
        const kind = typeof name === 'string' ? resolvePolicyKind(name) : undefined;
        const reason = kind && REQUIRES_SETTINGS[kind]?.(scopePolicy[kind] ?? policy[kind]);
        if (reason) add('E003', 'error', ['scopes', i, 'chain', j], reason, `add a policy.${kind} block (or scopes[${i}].policy.${kind}), or remove ${kind} from this chain`);
      });
  });
  return out;
}

function isObj(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

type Add = (code: string, severity: Diagnostic['severity'], path: PropertyKey[], message: string, help?: string) => void;

function checkPolicyMap(policy: Record<string, unknown>, base: PropertyKey[], add: Add): void {
  if (policy['code-sanitation'] && policy['code-sanitizer'])
    add('E012', 'error', [...base, 'code-sanitizer'], 'code-sanitizer is an alias of code-sanitation and both are configured', 'keep one of the two blocks');
  for (const [name, block] of Object.entries(policy)) {
    if (!resolvePolicyKind(name)) continue;
    for (const ref of patternsOfPolicy(name, block, [...base, name])) {
      const err = re2Error(ref.source);
      if (err) add('E004', 'error', ref.path, `${formatPath(ref.path)} is not a valid RE2 regular expression: ${err}`, 'RE2 has no lookaround or backreferences; rewrite the pattern without them');
    }
  }
}
