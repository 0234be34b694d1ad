/**
 * PII detector quality and speed on ../shared/corpora/pii.jsonl.
 * Run: node --import tsx bench/detection/pii.ts [--markdown]
 *
 * Scoring, per item and per in-scope type T (email, phone, credit-card, iban, us-ssn, ip-address):
 *  - a positive of type T is a TP when a T detection overlaps one of its labelled spans, else a FN;
 *  - any T detection on a negative (near-miss) item is a FP for T; a negative of related type T with none is a TN;
 *  - a T detection overlapping the labelled span of a positive of another in-scope type is a FP for T;
 *  - detections on positives of out-of-scope types (national-id, tax-id, passport…) are listed separately as
 *    "cross-type" hits: they are PII, but not of the type we claimed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createPiiDetector, PII_TYPES } from '../../src/detect/pii/index.js';
import type { Detection } from '../../src/detect/types.js';
import { add, type Counts, half, loadCorpus, sourceOf, table, timeMs, zero } from './corpus.js';

const detector = createPiiDetector();
const items = loadCorpus('pii.jsonl');
const inScope = new Set<string>(PII_TYPES);

const overlaps = (d: Detection, spans: [number, number][] | undefined, len: number) =>
  (spans && spans.length > 0 ? spans : [[0, len] as [number, number]]).some(([s, e]) => d.start < e && s < d.end);

function evaluate(det: typeof detector) {
  const byType = new Map<string, Counts>();
  const bySource = new Map<string, Counts>();
  const byHalf = new Map<string, Counts>();
  const crossType = new Map<string, number>();
  const missed: string[] = [];
  const falsePos: string[] = [];
  for (const it of items) {
    const dets = det.scan(it.text);
    const h = `${half(it)} ids`;
    const src = sourceOf(it);
    const count = (t: string, k: keyof Counts) => {
      add(byType, t, k);
      add(bySource, src, k);
      add(byHalf, h, k);
      add(byHalf, 'all', k);
    };
    if (it.label === 'positive' && inScope.has(it.type)) {
      if (dets.some((d) => d.type === it.type && overlaps(d, it.spans, it.text.length))) count(it.type, 'tp');
      else {
        count(it.type, 'fn');
        missed.push(`${it.id} ${it.type} ${JSON.stringify(it.text.slice(0, 80))}`);
      }
      for (const d of dets) {
        if (d.type !== it.type && overlaps(d, it.spans, it.text.length)) {
          count(d.type, 'fp');
          falsePos.push(`${it.id} ${d.type} on ${it.type} ${JSON.stringify(it.text.slice(0, 80))}`);
        }
      }
    } else if (it.label === 'negative') {
      const types = new Set(dets.map((d) => d.type));
      for (const t of types) {
        count(t, 'fp');
        falsePos.push(`${it.id} ${t} on near-miss ${it.related_type} ${JSON.stringify(it.text.slice(0, 80))}`);
      }
      if (it.related_type && inScope.has(it.related_type) && !types.has(it.related_type)) count(it.related_type, 'tn');
    } else {
      for (const d of dets) {
        if (overlaps(d, it.spans, it.text.length)) {
          const k = `${d.type} on ${it.type}`;
          crossType.set(k, (crossType.get(k) ?? 0) + 1);
        }
      }
    }
  }
  return { byType, bySource, byHalf, crossType, missed, falsePos };
}

const { byType, bySource, byHalf, crossType, missed, falsePos } = evaluate(detector);
// The corpus labels every syntactically valid value (validator.js fixtures: loopback, documentation and
// private addresses, example.com mailboxes); this run counts them as kt does when asked to.
const everything = evaluate(createPiiDetector({ includeReserved: true, ip: { includePrivate: true } }));

// Code precision: the code items of the injection corpus (HumanEval prompts, Stack Exchange code contexts,
// code-search queries) hold no personal data, so every detection there is a false positive on code.
const code = loadCorpus('injection.jsonl').filter((i) => /^benign-code|^benign-coding/.test(i.type));
const codeHits = new Map<string, number>();
const codeErrors: string[] = [];
for (const it of code) {
  for (const d of detector.scan(it.text)) {
    codeHits.set(d.type, (codeHits.get(d.type) ?? 0) + 1);
    codeErrors.push(`${it.id} ${d.type} ${JSON.stringify(it.text.slice(Math.max(0, d.start - 30), d.end + 30))}`);
  }
}

// Speed on 1 MB inputs: source-like text and adversarial runs.
const MB = 1 << 20;
const inputs: Record<string, string> = {
  'source-like': 'const s3 = new S3Client({ region: "eu-west-1" }); // EKS v1.2.3 sha 9fceb02d0ae598e95dc970b74767f19372d61af8\n'.repeat(MB / 110),
  'digit run': '1'.repeat(MB),
  'digits and dashes': '12-'.repeat(MB / 3),
  'many emails': 'a.b@example.com '.repeat(MB / 16),
  'many phones with context': 'phone: +1 212 555 0175, tel 030 901820; '.repeat(MB / 42),
  'colons and hex': 'ab:'.repeat(MB / 3),
};

const out: string[] = [];
out.push(table('PII by type (all items)', byType));
out.push(table('PII by source', bySource));
out.push(table('PII hold-out: rules were written looking at even ids; odd ids held out', byHalf));
out.push(table('PII by type with include_reserved and ip.include_private (every syntactically valid value counts, as the corpus labels them)', everything.byType));
out.push(table('… and overall', new Map([...everything.byHalf].filter(([k]) => k === 'all'))));
out.push('**Cross-type hits on out-of-scope PII positives** (PII redacted under another type name)\n\n' +
  ([...crossType].sort().map(([k, v]) => `- ${k}: ${v}`).join('\n') || '- none'));
out.push(`**Detections on ${code.length} code items of injection.jsonl** (benign-code-prompt, benign-code-context, benign-coding-question; all are false positives)\n`);
out[out.length - 1] += [...codeHits].map(([k, v]) => `- ${k}: ${v}`).join('\n') || '- none';
out.push('**Not covered** (no detector; counted nowhere above): ' +
  [...new Set(items.filter((i) => i.label === 'positive' && !inScope.has(i.type)).map((i) => i.type))].sort().join(', '));
const speed = ['**Speed, 1 MB inputs** (median of 5, wall clock on a shared 2-core machine)', '', '| input | ms | MB/s |', '|---|---|---|'];
for (const [name, text] of Object.entries(inputs)) {
  const ms = timeMs(() => detector.scan(text));
  speed.push(`| ${name} | ${ms.toFixed(1)} | ${((text.length / MB) / (ms / 1000)).toFixed(1)} |`);
}
out.push(speed.join('\n'));
// Real source, one file per scan as policies scan segments: this repository's src as `cat -n` listings.
{
  const listFiles = (dir: string, acc: string[] = []): string[] => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) listFiles(p, acc);
      else if (n.endsWith('.ts')) acc.push(readFileSync(p, 'utf8'));
    }
    return acc;
  };
  const own = listFiles(resolve(import.meta.dirname, '../../src'));
  const shapes: [string, string[]][] = [
    ["this repository's src/**/*.ts", own],
    ['the same as `cat -n` listings', own.map((t) => t.split('\n').map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n'))],
  ];
  const rows = ['**Speed on real source**, one file per scan (CPU time, best and median of 9 rounds)', '', '| input | MB | MB per CPU-s, best | median |', '|---|---|---|---|'];
  for (const [name, texts] of shapes) {
    for (const t of texts) detector.scan(t);
    const cpu: number[] = [];
    for (let r = 0; r < 9; r++) {
      const c = process.cpuUsage();
      for (const t of texts) detector.scan(t);
      const u = process.cpuUsage(c);
      cpu.push((u.user + u.system) / 1000);
    }
    cpu.sort((a, b) => a - b);
    const bytes = texts.reduce((a, t) => a + t.length, 0);
    rows.push(`| ${name} | ${(bytes / 1e6).toFixed(2)} | **${(bytes / 1e3 / cpu[0]!).toFixed(0)}** | ${(bytes / 1e3 / cpu[4]!).toFixed(0)} |`);
  }
  rows.push('', `1-min load average ${loadavg()[0]!.toFixed(1)}, ${cpus().length} CPUs`);
  out.push(rows.join('\n'));
}
console.log(out.join('\n\n'));
if (process.argv.includes('--errors')) {
  console.log('\nMISSED\n' + missed.join('\n'));
  console.log('\nFALSE POSITIVES\n' + falsePos.join('\n'));
  console.log('\nON CODE\n' + codeErrors.join('\n'));
}
void zero;
