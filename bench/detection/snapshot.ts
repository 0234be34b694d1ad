/**
 * Finding sets of the injection and PII detectors, saved and compared: shows exactly what a detector
 * change changes, item by item, on the corpora and on source code (the trees of code.ts, each file as
 * a tool result). A speed change should leave every set identical; a precision change should change
 * only what it means to.
 *
 *   node --import tsx bench/detection/snapshot.ts --save /tmp/before.json
 *   node --import tsx bench/detection/snapshot.ts --compare /tmp/before.json [--all]
 *
 * `--compare` prints each item whose findings differ (id, role, before → after, a bit of the text);
 * `--all` prints every difference instead of the first 60 per set.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInjectionDetector } from '../../src/detect/injection/index.js';
import { createPiiDetector } from '../../src/detect/pii/index.js';
import type { Detection } from '../../src/detect/types.js';
import { loadCorpus } from './corpus.js';
import { roleOf } from './injection-roles.js';

const ROOT = resolve(import.meta.dirname, '../..');
type Snapshot = Record<string, Record<string, string>>; // set → item → findings key

const key = (ds: Detection[]) => ds.map((d) => `${d.rule}:${d.type}:${d.start}-${d.end}${(d as { advisory?: boolean }).advisory ? ':advisory' : ''}`).join(' ');

function codeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, ext: RegExp, skip?: RegExp) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (skip?.test(p)) continue;
      if (statSync(p).isDirectory()) walk(p, ext, skip);
      else if (ext.test(n)) out.push(p);
    }
  };
  walk(join(ROOT, 'src'), /\.ts$/, /\.test\.ts$/);
  for (const d of ['undici/lib', 'pg/lib', 'pino/lib', 'openai/src', '@anthropic-ai/sdk/src']) walk(join(ROOT, 'node_modules', d), /\.(?:ts|js|mjs|cjs)$/);
  walk(join(ROOT, 'node_modules/zod/src'), /\.ts$/, /tests?\//);
  return out;
}

function take(): Snapshot {
  const inj = createInjectionDetector();
  const pii = createPiiDetector();
  const snap: Snapshot = { injection: {}, 'injection-as-tool-result': {}, pii: {}, 'code-injection': {}, 'code-pii': {} };
  for (const it of loadCorpus('injection.jsonl')) {
    const role = roleOf(it);
    snap.injection![it.id] = key(inj.scan(it.text, { role }));
    if (role === 'user') snap['injection-as-tool-result']![it.id] = key(inj.scan(it.text, { role: 'tool_result' }));
  }
  for (const it of loadCorpus('pii.jsonl')) snap.pii![it.id] = key(pii.scan(it.text));
  for (const f of codeFiles()) {
    const text = readFileSync(f, 'utf8');
    const id = relative(ROOT, f);
    snap['code-injection']![id] = key(inj.scan(text, { role: 'tool_result' }));
    snap['code-pii']![id] = key(pii.scan(text));
  }
  return snap;
}

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const now = take();
const save = arg('--save');
if (save) {
  writeFileSync(save, JSON.stringify(now));
  console.log(`saved ${Object.entries(now).map(([k, v]) => `${k} ${Object.keys(v).length}`).join(', ')} → ${save}`);
}
const cmp = arg('--compare');
if (cmp) {
  const before = JSON.parse(readFileSync(cmp, 'utf8')) as Snapshot;
  const texts = new Map<string, string>();
  for (const it of [...loadCorpus('injection.jsonl'), ...loadCorpus('pii.jsonl')]) texts.set(it.id, it.text);
  for (const [set, items] of Object.entries(now)) {
    const diffs: string[] = [];
    let gained = 0;
    let lost = 0;
    for (const [id, after] of Object.entries(items)) {
      const was = before[set]?.[id] ?? '';
      if (was === after) continue;
      if (!was) gained++;
      else if (!after) lost++;
      const t = texts.get(id);
      diffs.push(`  ${id}: [${was || '—'}] → [${after || '—'}]${t ? ` ${JSON.stringify(t.slice(0, 100))}` : ''}`);
    }
    console.log(`${set}: ${diffs.length} items differ (${gained} newly found, ${lost} no longer found, ${diffs.length - gained - lost} changed)`);
    console.log((args.includes('--all') ? diffs : diffs.slice(0, 60)).join('\n'));
  }
}
