/** `kt init [--template default] [--output F] [--force]`: scaffold a commented policy-config.yaml. */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitError, EXIT } from '../../cli/exit.js';
import { configJsonSchema } from '../json-schema.js';
import { TEMPLATES_DIR, templateText } from '../load.js';

export interface InitOptions {
  template?: string;
  output?: string;
  force?: boolean;
  stdout?: { write(s: string): unknown };
}

export function listTemplates(): string[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/** Name of the schema file written beside the config; the templates' modeline points at it. */
export const SCHEMA_FILE = 'policy-config.schema.json';

export async function init(opts: InitOptions): Promise<{ config: string; schema?: string }> {
  const out = opts.stdout ?? process.stdout;
  const template = opts.template ?? 'default';
  const templates = listTemplates();
  if (!templates.includes(template)) throw new ExitError(EXIT.usage, `kt init: unknown template "${template}"; available: ${templates.join(', ')}`);
  const output = opts.output ?? 'policy-config.yaml';
  const exists = () => new ExitError(EXIT.usage, `kt init: ${output} already exists; use --force to overwrite it or --output to choose another file`);
  if (existsSync(output) && !opts.force) throw exists();
  // 'wx' also refuses a file that appeared since the check above: never overwrite without --force.
  await writeFile(output, templateText(template), { flag: opts.force ? 'w' : 'wx' }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EEXIST' ? exists() : err;
  });
  const schemaPath = join(dirname(output), SCHEMA_FILE);
  let schema: string | undefined;
  if (!existsSync(schemaPath) || opts.force) {
    await writeFile(schemaPath, JSON.stringify(configJsonSchema(), null, 2) + '\n');
    schema = schemaPath;
  }
  out.write(
    [
      `wrote ${output} (template ${template})${schema ? ` and ${schema} (editor completion)` : ''}`,
      'next:',
      `  kt policy lint --file ${output}`,
      `  kt gateway run --policy-config ${output}`,
      '',
    ].join('\n'),
  );
  return { config: output, schema };
}
