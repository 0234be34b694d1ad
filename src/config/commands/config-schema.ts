/** `kt config schema [--output F]`: the JSON Schema of policy-config.yaml, for editor completion. */
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../json-schema.js';

export interface ConfigSchemaOptions {
  output?: string;
  stdout?: { write(s: string): unknown };
}

export async function configSchemaCommand(opts: ConfigSchemaOptions): Promise<void> {
  const text = JSON.stringify(configJsonSchema(), null, 2) + '\n';
  if (opts.output) {
    await writeFile(opts.output, text);
    (opts.stdout ?? process.stderr).write(`wrote ${opts.output}\n`);
  } else (opts.stdout ?? process.stdout).write(text);
}
