/**
 * Precision on source code: the default chain (code-sanitation, pii-detector, prompt-injection) over
 * source trees on this machine, each file scanned as a tool result — how a coding assistant sends a file
 * it read. Ordinary code holds no attack, no personal data and (apart from test fixtures) no live
 * credential, so every finding is a candidate false positive; the table reports them per MB of code, by
 * action (what the user would see: redact rewrites the file the model reads, block stops the turn, flag
 * only records).
 *
 *   node --import tsx bench/detection/code.ts [--cat-n] [--list] [--json]
 *
 * `--cat-n` scans the files as `cat -n` listings (Claude Code's Read tool). `--list` prints every finding
 * of the PII and injection policies with a little context (for finding what to fix; these are local files).
 * The detectors' own sources (src/detect/**: rule packs, lexicons, test vectors) quote what they detect
 * and are reported on their own row, never mixed into the totals.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createTextScanner, type ScanFinding } from '../../src/policy/text-scan.js';

const ROOT = resolve(import.meta.dirname, '../..');
const NM = join(ROOT, 'node_modules');

interface Tree {
  name: string;
  dir: string;
  /** File name filter. */
  ext: RegExp;
  skip?: RegExp;
  /** Reported apart from the totals. */
  apart?: boolean;
}

const CODE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
const TEST = /(?:\.test\.|\.spec\.|__tests__|\/tests?\/)/;
const TREES: Tree[] = [
  { name: 'kt src (without src/detect)', dir: join(ROOT, 'src'), ext: /\.ts$/, skip: /\.test\.ts$|^detect\// },
  { name: 'kt src/detect (detector sources, apart)', dir: join(ROOT, 'src/detect'), ext: /\.ts$/, skip: /\.test\.ts$/, apart: true },
  { name: 'undici/lib', dir: join(NM, 'undici/lib'), ext: CODE },
  { name: 'pg/lib', dir: join(NM, 'pg/lib'), ext: CODE },
  { name: 'yaml/dist', dir: join(NM, 'yaml/dist'), ext: /\.js$/ },
  { name: 'zod/src', dir: join(NM, 'zod/src'), ext: /\.ts$/, skip: TEST },
  { name: 'commander', dir: join(NM, 'commander'), ext: /\.(?:js|d\.ts)$/, skip: /^node_modules\// },
  { name: 'pino/lib', dir: join(NM, 'pino/lib'), ext: CODE },
  { name: 'openai/src', dir: join(NM, 'openai/src'), ext: /\.ts$/ },
  { name: '@anthropic-ai/sdk/src', dir: join(NM, '@anthropic-ai/sdk/src'), ext: /\.ts$/ },
];

function files(t: Tree): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      const rel = relative(t.dir, p);
      if (t.skip?.test(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (t.ext.test(n)) out.push(p);
    }
  };
  try {
    walk(t.dir);
  } catch {
    return [];
  }
  return out;
}

const catN = (text: string) => text.split('\n').map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');
const ACTIONS = ['redact', 'block', 'flag'] as const;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const shape = args.includes('--cat-n') ? 'cat -n listings' : 'raw files';
  const { scan } = createTextScanner(undefined, { role: 'tool_result' });
  const rows: { tree: Tree; mb: number; files: number; byAction: Record<string, number>; filesHit: number }[] = [];
  const byRule = new Map<string, Record<string, number>>(); // policy/rule → action → count (totals trees only)
  const listing: string[] = [];
  let totalMb = 0;
  const cpu0 = process.cpuUsage();
  for (const tree of TREES) {
    const list = files(tree);
    if (list.length === 0) continue;
    let chars = 0;
    let filesHit = 0;
    const byAction: Record<string, number> = { redact: 0, block: 0, flag: 0 };
    for (const f of list) {
      const raw = readFileSync(f, 'utf8');
      const text = shape === 'raw files' ? raw : catN(raw);
      chars += text.length;
      const found: ScanFinding[] = await scan(text);
      if (found.length) filesHit++;
      for (const d of found) {
        byAction[d.action] = (byAction[d.action] ?? 0) + 1;
        if (!tree.apart) {
          const k = `${d.policy} ${d.rule}`;
          const r = byRule.get(k) ?? { redact: 0, block: 0, flag: 0 };
          r[d.action] = (r[d.action] ?? 0) + 1;
          byRule.set(k, r);
        }
        if (args.includes('--list') && d.policy !== 'code-sanitation') {
          const ctx = text.slice(Math.max(0, d.start - 40), Math.min(text.length, d.end + 30));
          listing.push(`${relative(ROOT, f)} ${d.policy} ${d.rule} ${d.action} ${JSON.stringify(ctx)}`);
        }
      }
    }
    const mb = chars / 1e6;
    if (!tree.apart) totalMb += mb;
    rows.push({ tree, mb, files: list.length, byAction, filesHit });
  }
  const cpu = process.cpuUsage(cpu0);
  const perMb = (n: number, mb: number) => (n / mb).toFixed(1);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ shape, rows: rows.map((r) => ({ tree: r.tree.name, mb: r.mb, files: r.files, filesHit: r.filesHit, ...r.byAction })), byRule: Object.fromEntries(byRule), totalMb }));
    return;
  }
  const out: string[] = [];
  out.push(`**Default chain on source code, ${shape}, role tool_result** — findings per MB of code (count in brackets)`, '');
  out.push('| tree | MB | files | files with a finding | redact / MB | block / MB | flag / MB |', '|---|---|---|---|---|---|---|');
  const total: Record<string, number> = { redact: 0, block: 0, flag: 0 };
  let totalFiles = 0;
  let totalHit = 0;
  for (const r of rows) {
    if (!r.tree.apart) {
      for (const a of ACTIONS) total[a]! += r.byAction[a] ?? 0;
      totalFiles += r.files;
      totalHit += r.filesHit;
    }
  }
  const line = (name: string, mb: number, n: number, hit: number, a: Record<string, number>) =>
    `| ${name} | ${mb.toFixed(2)} | ${n} | ${hit} | ${ACTIONS.map((k) => `${perMb(a[k] ?? 0, mb)} (${a[k] ?? 0})`).join(' | ')} |`;
  for (const r of rows) if (!r.tree.apart) out.push(line(r.tree.name, r.mb, r.files, r.filesHit, r.byAction));
  out.push(line('**all of the above**', totalMb, totalFiles, totalHit, total));
  for (const r of rows) if (r.tree.apart) out.push(line(r.tree.name, r.mb, r.files, r.filesHit, r.byAction));
  out.push('', `**By policy and rule** (all trees but src/detect; per MB of ${totalMb.toFixed(2)} MB)`, '', '| policy | rule | redact / MB | block / MB | flag / MB |', '|---|---|---|---|---|');
  for (const [k, a] of [...byRule].sort((x, y) => x[0].localeCompare(y[0]))) {
    const [policy, rule] = k.split(' ');
    out.push(`| ${policy} | ${rule} | ${ACTIONS.map((x) => `${perMb(a[x] ?? 0, totalMb)} (${a[x] ?? 0})`).join(' | ')} |`);
  }
  out.push('', `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s for the whole run; 1-min load average ${loadavg()[0]!.toFixed(1)}, ${cpus().length} CPUs`);
  console.log(out.join('\n'));
  if (listing.length) console.log('\n' + listing.join('\n'));
}

await main();
