/** `kt policy lint --file F [--file F2 …] [--json]`: validate policy-config.yaml without starting anything. */
import { readFile } from 'node:fs/promises';
import { ExitError, EXIT } from '../../cli/exit.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { parseYamlSource, validateSources, type ParsedSource } from '../parse.js';
import { mergeConfigValues } from '../merge.js';
import type { KtConfig } from '../schema.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
import { isSinglePolicyDocument, validateSinglePolicy } from '../single-policy.js';

export interface PolicyLintOptions {
  file: string[];
  json?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: { write(s: string): unknown };
}

export interface PolicyLintReport {
  ok: boolean;
  file: string;
  files: string[];
  kind: 'policy-config' | 'single-policy';
  pack?: { name: string; version: string; enabled: boolean };
  chain: string[];
  /** Each scope: its name, mode, what it matches on and the chain its requests run. */
  scopes?: { name: string; mode: string; match: string[]; chain: string[] }[];
  counts: { targets: number; policies: number; configured: number; errors: number; warnings: number };
  diagnostics: Diagnostic[];
}

export async function lintFiles(files: string[], env?: NodeJS.ProcessEnv): Promise<PolicyLintReport> {
  const parsed: ParsedSource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    try {
      parsed.push(parseYamlSource(await readFile(file, 'utf8'), file));
    } catch (err) {
      diagnostics.push({ code: 'E011', severity: 'error', file, line: 0, col: 0, path: '', message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    }
  }
  const base = { ok: false, file: files[0] ?? '', files, chain: [] as string[] };
  const count = (ds: Diagnostic[]) => ({ errors: ds.filter((d) => d.severity === 'error').length, warnings: ds.filter((d) => d.severity === 'warning').length });
  if (diagnostics.length) return { ...base, kind: 'policy-config', counts: { targets: 0, policies: 0, configured: 0, ...count(diagnostics) }, diagnostics };

  if (parsed.length === 1 && parsed[0].diagnostics.length === 0 && isSinglePolicyDocument(parsed[0].value)) {
    const r = validateSinglePolicy(parsed[0]);
    const c = count(r.diagnostics);
    return { ...base, ok: c.errors === 0, kind: 'single-policy', pack: r.header, chain: r.kind ? [r.kind] : [], counts: { targets: 0, policies: 1, configured: 1, ...c }, diagnostics: r.diagnostics };
  }
  const { config, diagnostics: ds } = validateSources(parsed, { env });
  const c = count(ds);
  // On errors, report what can be read from the raw merge so --json consumers still see pack and chain.
  const raw = (config ?? parsed.reduce<unknown>((acc, p) => mergeConfigValues(acc, p.value), {}) ?? {}) as DeepPartial<KtConfig>;
  const chain = Array.isArray(raw.policies?.chain) ? raw.policies.chain.filter((x): x is string => typeof x === 'string') : [];
  const pk = raw.pack;
  const scopes = Array.isArray(raw.scopes)
    ? raw.scopes.map((sc) => ({
        name: String(sc?.name),
        mode: sc?.mode ?? 'enforce',
        match: Object.keys(sc?.match ?? {}),
        chain: Array.isArray(sc?.chain) ? sc.chain.filter((x): x is string => typeof x === 'string') : chain,
      }))
    : undefined;
  return {
    ...base,
    ok: c.errors === 0,
    kind: 'policy-config',
    pack: pk && typeof pk === 'object' ? { name: String(pk.name), version: String(pk.version), enabled: pk.enabled !== false } : undefined,
    chain,
    scopes,
    counts: {
      targets: Array.isArray(raw.providers?.targets) ? raw.providers.targets.length : 0,
      policies: chain.length,
      configured: raw.policy && typeof raw.policy === 'object' ? Object.keys(raw.policy).length : 0,
      ...c,
    },
    diagnostics: ds,
  };
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export async function policyLint(opts: PolicyLintOptions): Promise<PolicyLintReport> {
  const out = opts.stdout ?? process.stdout;
  if (opts.file.length === 0) throw new ExitError(EXIT.usage, 'kt policy lint: --file is required (the policy-config.yaml to check)');
  const report = await lintFiles(opts.file, opts.env);
  if (opts.json) {
    out.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const lines = report.diagnostics.map(formatDiagnostic);
    const name = report.files.join(' + ');
    if (report.ok) {
      const what = report.kind === 'single-policy' ? 'policy' : 'pack';
      lines.unshift(
        `${name}: ok`,
        `  ${what}: ${report.pack?.name}@${report.pack?.version}${report.pack?.enabled === false ? ' (disabled)' : ''}`,
        `  chain: ${report.chain.join(' → ') || '(empty)'}`,
        ...(report.scopes ?? []).map((sc) => `  scope ${sc.name} (${sc.mode}, matched by ${sc.match.join(' + ') || 'nothing'}): ${sc.chain.join(' → ') || '(empty)'}`),
        `  ${plural(report.counts.policies, 'policy', 'policies')} in the chain (${report.counts.configured} configured), ${plural(report.counts.targets, 'target')}, ${plural(report.counts.warnings, 'warning')}`,
      );
    } else {
      lines.push(`${name}: ${plural(report.counts.errors, 'error')}, ${plural(report.counts.warnings, 'warning')}`);
    }
    out.write(lines.join('\n') + '\n');
  }
  if (!report.ok) throw new ExitError(EXIT.usage);
  return report;
}
