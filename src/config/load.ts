/** Loading config files from disk, and the embedded default. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { parseYamlSource, validateSources, type ParsedSource } from './parse.js';
import type { KtConfig } from './schema.js';

export interface LoadedConfig {
  config: KtConfig;
  /** Short sha256 of the source text (all files, in order): the `config_version` on every event. */
  version: string;
  /** Absolute paths loaded, in merge order; empty for the embedded default. */
  files: string[];
  /** Formatted warnings (missing env vars, blocks not in the chain …). */
  warnings: string[];
}

export function configVersion(texts: readonly string[]): string {
  const h = createHash('sha256');
  for (const t of texts) h.update(t).update('\0');
  return h.digest('hex').slice(0, 12);
}

/** Reads, merges (see merge.ts) and validates; throws ConfigError listing every diagnostic on any error. */
export async function loadConfigFiles(files: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<LoadedConfig> {
  if (files.length === 0) return defaultConfig();
  const abs = files.map((f) => resolve(f));
  const texts: string[] = [];
  const parsed: ParsedSource[] = [];
  const readErrors: Diagnostic[] = [];
  for (const [i, file] of abs.entries()) {
    try {
      const text = await readFile(file, 'utf8');
      texts.push(text);
      parsed.push(parseYamlSource(text, files[i]));
    } catch (err) {
      readErrors.push({ code: 'E011', severity: 'error', file: files[i], line: 0, col: 0, path: '', message: `cannot read ${files[i]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    }
  }
  if (readErrors.length) throw new ConfigError(readErrors);
  const { config, diagnostics } = validateSources(parsed, opts);
  if (!config) throw new ConfigError(diagnostics);
  return { config, version: configVersion(texts), files: abs, warnings: diagnostics.map(formatDiagnostic) };
}

export const TEMPLATES_DIR = fileURLToPath(new URL('./templates/', import.meta.url));

/** Text of a bundled template (`default`, later `coding-assistant`). */
export function templateText(name: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid template name ${name}`);
  return readFileSync(resolve(TEMPLATES_DIR, `${name}.yaml`), 'utf8');
}

let cachedDefault: LoadedConfig | undefined;

/** The embedded default (templates/default.yaml): pack kt-default, a sensible chain, the demo provider. */
export function defaultConfig(): LoadedConfig {
  if (!cachedDefault) {
    const text = templateText('default');
    const { config, diagnostics } = validateSources([parseYamlSource(text, '<default>')]);
    if (!config) throw new ConfigError(diagnostics);
    cachedDefault = { config, version: configVersion([text]), files: [], warnings: [] };
  }
  return structuredClone(cachedDefault);
}
