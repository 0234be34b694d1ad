/**
 * Secrets benchmark: precision / recall of kt's secret scanner on ../shared/corpora/secrets.jsonl, per type and
 * per source, side by side with secretlint's recommended preset (run in the same process on the same items);
 * then throughput on source-like text and the time taken by 1 MB adversarial inputs.
 *
 *   node --import tsx bench/detection/secrets.ts [--corpus PATH] [--markdown]
 *
 * Scoring: a positive is found when a detection overlaps one of its `spans` (anywhere, if it has none);
 * any detection on a negative is a false positive. Precision = TP / (TP + FP) over items.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as presetRecommend } from '@secretlint/secretlint-rule-preset-recommend';
import { createSecretScanner } from '../../src/detect/secrets/scanner.js';

interface Item {
  id: string;
  text: string;
  label: 'positive' | 'negative';
  type: string;
  source: string;
  spans?: [number, number][];
}

interface Tally {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

type Range = [number, number];

const args = process.argv.slice(2);
const corpusPath = resolve(args[args.indexOf('--corpus') + 1] && args.includes('--corpus') ? args[args.indexOf('--corpus') + 1] : '/work/shared/corpora/secrets.jsonl');
const items: Item[] = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Item);

const scanner = createSecretScanner();
const kt = (text: string): Range[] => scanner.scan(text).map((d) => [d.start, d.end]);

async function secretlint(text: string): Promise<Range[]> {
  const result = await lintSource({
    source: { filePath: '/virtual/item.txt', content: text, contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: presetRecommend }] } },
  });
  return result.messages.map((m) => m.range as Range);
}

function hit(item: Item, found: Range[]): boolean {
  if (found.length === 0) return false;
  if (item.label === 'negative' || !item.spans || item.spans.length === 0) return true;
  return found.some(([s, e]) => item.spans!.some(([a, b]) => s < b && a < e));
}

const empty = (): Tally => ({ tp: 0, fn: 0, fp: 0, tn: 0 });
function add(t: Tally, item: Item, found: boolean): void {
  if (item.label === 'positive') found ? t.tp++ : t.fn++;
  else found ? t.fp++ : t.tn++;
}
const precision = (t: Tally) => (t.tp + t.fp === 0 ? NaN : t.tp / (t.tp + t.fp));
const recall = (t: Tally) => (t.tp + t.fn === 0 ? NaN : t.tp / (t.tp + t.fn));
const fmt = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
const sourceOf = (item: Item) => item.source.split('@')[0];

async function quality() {
  const total = { kt: empty(), sl: empty() };
  const byType = new Map<string, { kt: Tally; sl: Tally }>();
  const bySource = new Map<string, { kt: Tally; sl: Tally }>();
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const item of items) {
    const k = hit(item, kt(item.text));
    const s = hit(item, await secretlint(item.text));
    const typeKey = item.label === 'positive' ? item.type : `(neg) ${item.type}`;
    for (const [map, key] of [
      [byType, typeKey],
      [bySource, sourceOf(item)],
    ] as const) {
      if (!map.has(key)) map.set(key, { kt: empty(), sl: empty() });
      add(map.get(key)!.kt, item, k);
      add(map.get(key)!.sl, item, s);
    }
    add(total.kt, item, k);
    add(total.sl, item, s);
    if (item.label === 'positive' && !k) misses.push(`${item.id} ${item.type}`);
    if (item.label === 'negative' && k) falseAlarms.push(`${item.id} ${item.type}/${(item as { related_type?: string }).related_type ?? ''}`);
  }
  return { total, byType, bySource, misses, falseAlarms };
}

/** A few MB of real source code (TypeScript/JavaScript from node_modules) with a handful of secrets seeded in. */
function sourceText(targetBytes: number): string {
  const roots = ['node_modules/typescript/lib', 'node_modules/undici/lib', 'node_modules/zod', 'node_modules/commander', 'node_modules/pino'];
  const parts: string[] = [];
  let size = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (size >= targetBytes) return;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(?:[cm]?js|ts)$/.test(name) && st.size < 2_000_000) {
        const text = readFileSync(p, 'utf8');
        parts.push(text);
        size += text.length;
      }
    }
  };
  for (const r of roots) walk(resolve(r));
  const seeded = [
    `const token = "ghp_${'Z7'.repeat(18)}";`,
    `AWS_SECRET_ACCESS_KEY=${'k9Qx'.repeat(10)}`,
    `password = "Tr0ub4dor&3-horse"`,
    `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA7v'.repeat(20)}\n-----END RSA PRIVATE KEY-----`,
  ];
  return parts.join('\n') + '\n' + seeded.join('\n');
}

/**
 * Throughput over several runs. CPU time (user + system of this process) is reported next to wall time:
 * on a shared machine wall time mostly measures the neighbours, CPU time measures the scanner.
 */
function throughput(text: string, rounds = 12) {
  let findings = scanner.scan(text).length; // warm-up (JIT, regex compilation)
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    findings = scanner.scan(text).length;
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const rate = (ms: number) => text.length / 1e3 / ms;
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [c, w] = [sorted(cpu), sorted(wall)];
  const mid = Math.floor(rounds / 2);
  return { findings, cpuBest: rate(c[0]), cpuMedian: rate(c[mid]), wallBest: rate(w[0]), wallMedian: rate(w[mid]) };
}

function adversarial(): { name: string; ms: number; findings: number }[] {
  const mb = 1_000_000;
  const cases: [string, string][] = [
    ['a × 1M', 'a'.repeat(mb)],
    ['= × 1M', '='.repeat(mb)],
    ['base64 run', 'QUJD'.repeat(mb / 4)],
    ['password=" × N', 'password="'.repeat(mb / 10)],
    ['-----BEGIN PRIVATE KEY----- + 1 MB body, no END', '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(mb)],
    ['eyJ. repeated', 'eyJhbGciOi.'.repeat(mb / 11)],
    ['://a:b@ repeated', 'x://a:b'.repeat(mb / 7)],
    ['nested-quantifier bait aaaa…!', 'token = "' + 'a'.repeat(mb) + '!'],
    ['sk- / xoxb- prefixes', 'sk-xoxb-ghp_AKIA'.repeat(mb / 16)],
  ];
  return cases.map(([name, text]) => {
    const t0 = performance.now();
    const findings = scanner.scan(text).length;
    return { name, ms: performance.now() - t0, findings };
  });
}

const q = await quality();
const line = (name: string, k: Tally, s: Tally) =>
  `| ${name} | ${k.tp + k.fn} | ${k.fp + k.tn} | ${fmt(precision(k))} | ${fmt(recall(k))} | ${k.fp} | ${fmt(precision(s))} | ${fmt(recall(s))} | ${s.fp} |`;
const header = '| | positives | negatives | kt precision | kt recall | kt FP | secretlint precision | secretlint recall | secretlint FP |\n|---|---|---|---|---|---|---|---|---|';
console.log(`## Secrets: ${items.length} items from ${corpusPath}\n`);
console.log(header);
console.log(line('**all**', q.total.kt, q.total.sl));
console.log('\n### Per source\n');
console.log(header);
for (const [k, v] of [...q.bySource].sort()) console.log(line(k, v.kt, v.sl));
console.log('\n### Per type\n');
console.log(header);
for (const [k, v] of [...q.byType].sort()) console.log(line(k, v.kt, v.sl));
if (args.includes('--verbose')) {
  console.log('\nmissed:', q.misses.join('\n  '));
  console.log('\nfalse alarms:', q.falseAlarms.join('\n  '));
}

const text = sourceText(4_000_000);
const speed = throughput(text);
const load = (await import('node:os')).loadavg()[0].toFixed(1);
console.log(`\n### Speed\n\nsource-like text: ${(text.length / 1e6).toFixed(1)} MB of TypeScript/JavaScript, ${speed.findings} findings (the seeded ones), 1-min load average ${load}\n`);
console.log('| | best | median |\n|---|---|---|');
console.log(`| MB per CPU-second | **${speed.cpuBest.toFixed(0)}** | ${speed.cpuMedian.toFixed(0)} |`);
console.log(`| MB per wall-second | ${speed.wallBest.toFixed(0)} | ${speed.wallMedian.toFixed(0)} |\n`);
console.log('| 1 MB adversarial input | ms | findings |\n|---|---|---|');
for (const a of adversarial()) console.log(`| ${a.name} | ${a.ms.toFixed(0)} | ${a.findings} |`);
