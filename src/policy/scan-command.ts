/**
 * `kt scan`: findings for files or stdin, for pre-commit hooks and CI; `--jsonl` reads `{"id","text"}`
 * lines and writes `{"id","findings":[…]}` lines (how detection quality is measured). Output carries
 * offsets, rules and categories — never the matched text. Exit 1 when anything was found.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ConfigError, loadConfigFiles } from '../config/index.js';
import { EXIT, ExitError } from '../cli/exit.js';
import type { SegmentRole } from '../dialects/types.js';
import type { BuildOptions, PolicyConfigView } from './registry.js';
import { createTextScanner, type ScanFinding } from './text-scan.js';

export interface ScanOptions {
  files: string[];
  policyConfig?: string[];
  json?: boolean;
  jsonl?: boolean;
  role?: SegmentRole;
  stdin?: Readable;
  stdout?: Writable;
  /** Warnings (an option with no effect, a detector not available) go here, never into the findings output. */
  stderr?: Writable;
  /** Engine options (tests hand in detectors). */
  engine?: BuildOptions;
}

const ROLES: readonly SegmentRole[] = ['system', 'user', 'assistant', 'tool_result', 'tool_call', 'prompt', 'embedding'];

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `${line}:${offset - last}`;
}

export async function scan(opts: ScanOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const stdin = opts.stdin ?? process.stdin;
  let config: PolicyConfigView | undefined;
  const warnings: string[] = [];
  if (opts.policyConfig?.length) {
    try {
      const loaded = await loadConfigFiles(opts.policyConfig);
      config = loaded.config as PolicyConfigView;
      // Only what concerns scanning: the policy settings (not, say, a provider's missing key).
      warnings.push(...loaded.warnings.filter((w) => / W\d{3} polic(?:y|ies)\b/.test(w)));
    } catch (err) {
      if (err instanceof ConfigError) throw new ExitError(EXIT.usage, err.message);
      throw err;
    }
  }
  if (opts.role && !ROLES.includes(opts.role)) throw new ExitError(EXIT.usage, `kt scan: --role must be one of ${ROLES.join(', ')}`);
  const { scan: scanText, warnings: built } = createTextScanner(config, { ...opts.engine, role: opts.role });
  for (const w of [...warnings, ...built]) stderr.write(`kt scan: warning: ${w}\n`);
  let found = 0;

  if (opts.jsonl) {
    const rl = createInterface({ input: stdin, crlfDelay: Infinity });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (!line.trim()) continue;
      let item: { id?: unknown; text?: unknown };
      try {
        item = JSON.parse(line) as typeof item;
      } catch {
        throw new ExitError(EXIT.usage, `kt scan --jsonl: line ${n} is not JSON (expected {"id": …, "text": "…"})`);
      }
      if (typeof item.text !== 'string') throw new ExitError(EXIT.usage, `kt scan --jsonl: line ${n} has no string "text"`);
      const findings = await scanText(item.text);
      found += findings.length;
      stdout.write(JSON.stringify({ id: item.id ?? null, findings }) + '\n');
    }
  } else {
    const inputs = opts.files.length ? opts.files : ['-'];
    const results: { file: string; findings: ScanFinding[] }[] = [];
    for (const file of inputs) {
      let text: string;
      try {
        text = file === '-' ? await readAll(stdin) : await readFile(file, 'utf8');
      } catch (err) {
        throw new ExitError(EXIT.usage, `kt scan: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const findings = await scanText(text);
      found += findings.length;
      results.push({ file: file === '-' ? '<stdin>' : file, findings });
      if (!opts.json)
        for (const f of findings) stdout.write(`${file === '-' ? '<stdin>' : file}:${lineCol(text, f.start)}  ${f.category}  ${f.rule}  ${f.action}  (${f.policy})\n`);
    }
    if (opts.json) stdout.write(JSON.stringify({ ok: found === 0, files: results }, null, 2) + '\n');
    else stdout.write(found ? `${found} finding${found === 1 ? '' : 's'}\n` : 'no findings\n');
  }
  if (found > 0) throw new ExitError(EXIT.findings);
}
