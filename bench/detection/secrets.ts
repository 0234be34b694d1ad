/**
 * Secrets benchmark: precision / recall of kt's secret scanner on ../shared/corpora/secrets.jsonl, per type and
 * per source, side by side with secretlint's recommended preset (run in the same process on the same items);
 * then throughput on source-like text and the time taken by 1 MB adversarial inputs.
 *
 *   node --import tsx bench/detection/secrets.ts [--corpus PATH] [--verbose] [--only quality|speed]
 *
 * Scoring: a positive is found when a detection overlaps one of its `spans` (anywhere, if it has none);
 * any detection on a negative is a false positive. Precision = TP / (TP + FP) over items. The hold-out
 * table splits items by id parity (rules were tuned looking at even ids) and shows each source left out.
 * Speed is CPU time (user + system of this process; wall time measures the neighbours on a shared
 * machine), best and median of several rounds, per input shape: source files as they are, as a
 * `cat -n` listing (Claude Code's Read), and JSON-escaped inside a string (Cline).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
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
const sourceOf = (item: Item) => item.source.split('@')[0]!;
const sources = [...new Set(items.map(sourceOf))].sort();

async function quality() {
  const total = { kt: empty(), sl: empty() };
  const byType = new Map<string, { kt: Tally; sl: Tally }>();
  const bySource = new Map<string, { kt: Tally; sl: Tally }>();
  const byHalf = new Map<string, { kt: Tally; sl: Tally }>();
  const withoutSource = new Map<string, { kt: Tally; sl: Tally }>();
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const item of items) {
    const k = hit(item, kt(item.text));
    const s = hit(item, await secretlint(item.text));
    const typeKey = item.label === 'positive' ? item.type : `(neg) ${item.type}`;
    const parity = Number(item.id.replace(/\D/g, '')) % 2 === 0 ? 'even ids (looked at while writing rules)' : 'odd ids (held out)';
    const keys: [Map<string, { kt: Tally; sl: Tally }>, string][] = [
      [byType, typeKey],
      [bySource, sourceOf(item)],
      [byHalf, parity],
    ];
    for (const src of sources) if (src !== sourceOf(item)) keys.push([withoutSource, `all but ${src}`]);
    for (const [map, key] of keys) {
      if (!map.has(key)) map.set(key, { kt: empty(), sl: empty() });
      add(map.get(key)!.kt, item, k);
      add(map.get(key)!.sl, item, s);
    }
    add(total.kt, item, k);
    add(total.sl, item, s);
    if (item.label === 'positive' && !k) misses.push(`${item.id} ${item.type}`);
    if (item.label === 'negative' && k) falseAlarms.push(`${item.id} ${item.type}/${(item as { related_type?: string }).related_type ?? ''}`);
  }
  return { total, byType, bySource, byHalf, withoutSource, misses, falseAlarms };
}

function files(dir: string, ext: RegExp, out: string[] = [], limit = Infinity): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (out.length >= limit) break;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) files(p, ext, out, limit);
    else if (ext.test(name) && st.size < 2_000_000) out.push(p);
  }
  return out;
}

const read = (paths: string[]) => paths.map((p) => readFileSync(p, 'utf8'));
const catN = (text: string) => text.split('\n').map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);

/** About `bytes` of TypeScript/JavaScript from node_modules, with a handful of secrets seeded in. */
function nodeModules(bytes: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (const r of ['node_modules/typescript/lib', 'node_modules/undici/lib', 'node_modules/zod', 'node_modules/commander', 'node_modules/pino']) {
    for (const t of read(files(resolve(r), /\.(?:[cm]?js|ts)$/))) {
      if (size >= bytes) break;
      out.push(t);
      size += t.length;
    }
  }
  out.push(
    [
      `const token = "ghp_${'Z7'.repeat(18)}";`,
      `AWS_SECRET_ACCESS_KEY=${'k9Qx'.repeat(10)}`,
      `password = "Tr0ub4dor&3-horse"`,
      `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA7v'.repeat(20)}\n-----END RSA PRIVATE KEY-----`,
    ].join('\n'),
  );
  return out;
}

/**
 * Throughput over several rounds, each scanning every text of the shape once (as the policies scan one
 * segment at a time). CPU time is the steady number on a shared machine; wall time is shown next to it.
 */
function throughput(texts: string[], rounds = 12) {
  let findings = 0;
  for (const t of texts) findings += scanner.scan(t).length; // warm-up (JIT, regex compilation)
  const bytes = texts.reduce((a, t) => a + t.length, 0);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of texts) scanner.scan(t);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const rate = (ms: number) => bytes / 1e3 / ms;
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [c, w] = [sorted(cpu), sorted(wall)];
  const mid = Math.floor(rounds / 2);
  return { mb: bytes / 1e6, files: texts.length, findings, cpuBest: rate(c[0]!), cpuMedian: rate(c[mid]!), wallBest: rate(w[0]!), wallMedian: rate(w[mid]!) };
}

function speedShapes(): [string, string[]][] {
  const own = read(files(resolve('src'), /\.ts$/));
  const pg = read(files(resolve('node_modules/pg/lib'), /\.js$/));
  return [
    ['node_modules JS/TS (4 MB, 4 seeded secrets)', nodeModules(4_000_000)],
    ["this repository's src/**/*.ts", own],
    ['node_modules/pg/lib', pg],
    ['src as `cat -n` listings (Claude Code Read)', own.map(catN)],
    ['src JSON-escaped in a string (Cline)', own.map(jsonEscaped)],
    ['src `cat -n` then JSON-escaped', own.map((t) => jsonEscaped(catN(t)))],
  ];
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

const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const load = () => (os.loadavg()[0] ?? 0).toFixed(1);
// Speed first, in a fresh process: after a minute of secretlint the heap and the JIT state slow everything.
const speedAtStart = load();
const speed = only !== 'quality' ? speedShapes().map(([name, texts]) => [name, throughput(texts)] as const) : [];
const speedAtEnd = load();
const adversarialRuns = only !== 'quality' ? adversarial() : [];
if (only !== 'speed') {
  const q = await quality();
  const line = (name: string, k: Tally, s: Tally) =>
    `| ${name} | ${k.tp + k.fn} | ${k.fp + k.tn} | ${fmt(precision(k))} | ${fmt(recall(k))} | ${k.fp} | ${fmt(precision(s))} | ${fmt(recall(s))} | ${s.fp} |`;
  const header = '| | positives | negatives | kt precision | kt recall | kt FP | secretlint precision | secretlint recall | secretlint FP |\n|---|---|---|---|---|---|---|---|---|';
  console.log(`## Secrets: ${items.length} items from ${corpusPath}\n`);
  console.log(header);
  console.log(line('**all**', q.total.kt, q.total.sl));
  console.log('\n### Hold-out\n');
  console.log(header);
  for (const [k, v] of [...q.byHalf].sort()) console.log(line(k, v.kt, v.sl));
  for (const [k, v] of [...q.withoutSource].sort()) console.log(line(k, v.kt, v.sl));
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
}

if (only !== 'quality') {
  console.log(`\n### Speed\n\nCPU and wall MB/s, best and median of 12 rounds, measured before the quality run; ${os.cpus().length} CPUs, 1-min load average ${speedAtStart} at start, ${speedAtEnd} at the end\n`);
  console.log('| input | MB | files | findings | MB per CPU-s, best | median | MB per wall-s, best | median |\n|---|---|---|---|---|---|---|---|');
  for (const [name, r] of speed) {
    console.log(`| ${name} | ${r.mb.toFixed(2)} | ${r.files} | ${r.findings} | **${r.cpuBest.toFixed(0)}** | ${r.cpuMedian.toFixed(0)} | ${r.wallBest.toFixed(0)} | ${r.wallMedian.toFixed(0)} |`);
  }
  console.log('\n| 1 MB adversarial input | ms | findings |\n|---|---|---|');
  for (const a of adversarialRuns) console.log(`| ${a.name} | ${a.ms.toFixed(0)} | ${a.findings} |`);
}
