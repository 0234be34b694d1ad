/** YAML text → validated, normalised config plus diagnostics with file:line:col. */
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { checkConfig, type CheckOptions } from './checks.js';
import type { SourceDoc } from './locate.js';
import { mergeConfigValues } from './merge.js';
import { normaliseConfig } from './normalise.js';
import { configSchema, type KtConfig } from './schema.js';
import { issuesToDiagnostics } from './validate.js';

export interface ParsedSource {
  src: SourceDoc;
  value: unknown;
  diagnostics: Diagnostic[];
}

/** Parses YAML only; syntax errors (including duplicate keys) are E010. */
export function parseYamlSource(text: string, file: string): ParsedSource {
  const lineCounter = new LineCounter();
  // uniqueKeys (default) makes a duplicated key an error instead of a silent override.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, strict: true });
  const src: SourceDoc = { file, doc, lineCounter };
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return { code: 'E010', severity: 'error', file, line, col, path: '', message: `YAML syntax error: ${e.message.split('\n')[0]}`, help: 'check indentation and quoting at this position' };
  });
  let value: unknown;
  if (diagnostics.length === 0) {
    try {
      // maxAliasCount bounds alias expansion ("billion laughs").
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      diagnostics.push({ code: 'E010', severity: 'error', file, line: 1, col: 1, path: '', message: `YAML error: ${(err as Error).message}` });
    }
  }
  return { src, value: value ?? (diagnostics.length ? undefined : {}), diagnostics };
}

/** Validates the merge of already-parsed sources (in order); the config is set only when there is no error. */
export function validateSources(parsed: readonly ParsedSource[], opts: CheckOptions = {}): { config?: KtConfig; diagnostics: Diagnostic[] } {
  const diagnostics = parsed.flatMap((p) => p.diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const srcs = parsed.map((p) => p.src);
  const merged = parsed.reduce<unknown>((acc, p) => mergeConfigValues(acc, p.value), {});
  const result = configSchema.safeParse(merged);
  if (!result.success) diagnostics.push(...issuesToDiagnostics(result.error.issues, configSchema, merged, srcs));
  diagnostics.push(...checkConfig(merged, srcs, opts));
  sortDiagnostics(diagnostics, parsed.map((p) => p.src.file));
  if (!result.success || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { config: normaliseConfig(result.data), diagnostics };
}

/** Errors first, then by file order, line, column. */
export function sortDiagnostics(ds: Diagnostic[], files: readonly string[]): void {
  const sev = (d: Diagnostic): number => (d.severity === 'error' ? 0 : 1);
  ds.sort((a, b) => sev(a) - sev(b) || files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.col - b.col);
}

export function parseConfigText(text: string, file: string, opts: CheckOptions = {}): { config?: KtConfig; diagnostics: Diagnostic[] } {
  return validateSources([parseYamlSource(text, file)], opts);
}
