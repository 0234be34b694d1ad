/** Loads the labelled corpora in ../shared/corpora and computes precision/recall tables for the bench scripts. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CorpusItem {
  id: string;
  text: string;
  label: 'positive' | 'negative';
  type: string;
  source: string;
  spans?: [number, number][];
  related_type?: string;
  lang?: string;
}

export function corpusDir(): string {
  return process.env.KT_CORPORA ?? resolve(import.meta.dirname, '../../../shared/corpora');
}

export function loadCorpus(name: string): CorpusItem[] {
  return readFileSync(resolve(corpusDir(), name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusItem);
}

/** `owner/repo` of an item's source. */
export function sourceOf(item: CorpusItem): string {
  return item.source.split('@')[0]!;
}

/** Hold-out split: rules were tuned looking at even ids only; odd ids are the held-out half. */
export function half(item: CorpusItem): 'even' | 'odd' {
  const n = Number(item.id.replace(/\D/g, ''));
  return n % 2 === 0 ? 'even' : 'odd';
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

export function add(map: Map<string, Counts>, key: string, k: keyof Counts): void {
  let c = map.get(key);
  if (!c) map.set(key, (c = zero()));
  c[k]++;
}

export const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
export const precision = (c: Counts): number => c.tp / (c.tp + c.fp);
export const recall = (c: Counts): number => c.tp / (c.tp + c.fn);

export function row(name: string, c: Counts): string {
  return `| ${name} | ${c.tp} | ${c.fp} | ${c.fn} | ${c.tn} | ${fmt(precision(c))} | ${fmt(recall(c))} |`;
}

export function table(title: string, rows: Map<string, Counts>): string {
  const lines = [`**${title}**`, '', '| | TP | FP | FN | TN | precision | recall |', '|---|---|---|---|---|---|---|'];
  for (const [k, c] of [...rows].sort()) lines.push(row(k, c));
  return lines.join('\n');
}

/** Median wall time of `fn` in milliseconds over `runs` runs. */
export function timeMs(fn: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}
