/** `kt events tail | export | verify`. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { ExitError, EXIT } from '../../cli/exit.js';
import type { DecisionEvent } from '../event.js';
import { EventStore, type EventQuery } from '../event-store.js';
import { cliDb, parseSince, type StoreArgs } from './cli-store.js';
import { connectEventStream, GatewayRefused, type LiveEvent, type LiveStream } from './follow.js';

/** Where `--follow` looks for the running gateway by default. */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:41002';

export interface TailOptions extends StoreArgs {
  since?: string;
  verdict?: string;
  user?: string;
  client?: string;
  limit?: string;
  json?: boolean;
  follow?: boolean;
  /** The running gateway whose live stream --follow reads (default http://127.0.0.1:41002). */
  url?: string;
  /** Access key for the gateway's event stream in keys mode (else $KT_KEY). */
  key?: string;
  /** Poll interval when --follow falls back to the store (ms). */
  intervalMs?: number;
  stdout?: Writable;
  stderr?: Writable;
  /** Stops --follow (tests); default: SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

function money(v: number | null): string {
  return v === null ? '$?' : `$${v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4)}`;
}

export function formatEventLine(e: DecisionEvent): string {
  const policies = e.policies
    .filter((p) => p.verdict !== 'allow' || p.findings.length)
    .map((p) => `${p.policy}:${p.verdict}${p.findings.length ? `(${p.findings.reduce((s, f) => s + f.count, 0)})` : ''}`)
    .join(',');
  const tokens = e.input_tokens === null && e.output_tokens === null ? '' : ` in=${e.input_tokens ?? '?'} out=${e.output_tokens ?? '?'}`;
  return [
    e.timestamp,
    e.verdict.padEnd(8),
    e.outcome.padEnd(14),
    String(e.status ?? '-').padEnd(3),
    e.client.padEnd(12),
    (e.user_id ?? '-').padEnd(10),
    e.model ?? (e.host ? `${e.route === 'CONNECT' ? 'CONNECT ' : ''}${e.host}` : e.target_id?.startsWith('proxy:') ? e.target_id.slice(6) : '-'), // (marked edit: proxy) proxied traffic without a model shows its host
    `${tokens.trim() || '-'}`,
    money(e.cost_usd),
    e.latency_ms === null ? '-' : `${Math.round(e.latency_ms)}ms`,
    e.reason_code ?? e.error_code ?? '',
    policies ? `[${policies}]` : '',
    e.id,
  ]
    .filter((s) => s !== '')
    .join('  ');
}

export async function eventsTail(opts: TailOptions): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const limit = opts.limit ? Number(opts.limit) : 20;
  if (!Number.isInteger(limit) || limit <= 0) throw new ExitError(EXIT.usage, 'kt events tail: --limit must be a positive integer');
  const { db } = await cliDb(opts);
  const store = await EventStore.open(db);
  try {
    const q: EventQuery = { verdict: opts.verdict, user: opts.user, client: opts.client, since: opts.since ? parseSince(opts.since) : undefined };
    const print = (e: DecisionEvent) => out.write((opts.json ? JSON.stringify(e) : formatEventLine(e)) + '\n');
    const signal = opts.signal ?? (opts.follow ? stopSignal() : new AbortController().signal);
    // Connect to the gateway first and buffer, so nothing stored between the first read and the stream is missed.
    let buffered: LiveEvent[] | undefined = [];
    let after = 0;
    const onLive = (e: LiveEvent) => {
      if (buffered) return void buffered.push(e);
      if (e.seq <= after) return;
      after = e.seq;
      if (matches(e.event, q)) print(e.event);
    };
    const live = opts.follow ? await openLive(opts, onLive, signal) : undefined;
    const first = (await store.query({ ...q, limit, order: 'desc' })).reverse();
    for (const r of first) print(r.event);
    if (!opts.follow) return;
    after = first.length ? first[first.length - 1].seq : (await store.head()).seq;
    const early = buffered;
    buffered = undefined;
    for (const e of early) onLive(e);
    if (live) {
      await live.done;
      if (signal.aborted) return;
      err.write(`kt: the gateway closed its event stream; following the store by polling instead\n`);
    }
    // Polling the store sees every gateway instance writing to it, not just one process.
    while (!signal.aborted) {
      await sleep(opts.intervalMs ?? 500, signal);
      const rows = await store.query({ ...q, afterSeq: after, limit: 1000, order: 'asc' });
      for (const r of rows) {
        print(r.event);
        after = r.seq;
      }
    }
  } finally {
    await store.close();
  }
}

/** The same filters the store query applies, for events from the live stream. */
function matches(e: DecisionEvent, q: EventQuery): boolean {
  if (q.verdict && e.verdict !== q.verdict) return false;
  if (q.user && e.user_id !== q.user) return false;
  if (q.client && e.client !== q.client) return false;
  if (q.since !== undefined && Date.parse(e.timestamp) < q.since) return false;
  return true;
}

/** The gateway's live stream, or undefined (said on stderr) when no gateway answers. A refused key is an error. */
async function openLive(opts: TailOptions, onEvent: (e: LiveEvent) => void, signal: AbortSignal): Promise<LiveStream | undefined> {
  const err = opts.stderr ?? process.stderr;
  const url = opts.url ?? DEFAULT_GATEWAY_URL;
  const key = opts.key ?? process.env.KT_KEY;
  try {
    return await connectEventStream(url, key, onEvent, signal);
  } catch (e) {
    if (e instanceof GatewayRefused) {
      const hint = e.status === 401 || e.status === 403 ? ` Pass an access key with the admin role: --key kt_… or KT_KEY.` : '';
      throw new ExitError(EXIT.usage, `kt events tail --follow: the gateway at ${url} refused the event stream (${e.status}): ${e.message}${hint}`);
    }
    err.write(`kt: no gateway answered at ${url} (${(e as Error).message}); following the store by polling instead\n`);
    return undefined;
  }
}

function stopSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export interface ExportOptions extends StoreArgs {
  since?: string;
  until?: string;
  format?: string;
  output?: string;
  stdout?: Writable;
}

export const CSV_COLUMNS = [
  'id', 'timestamp', 'request_id', 'conversation_id', 'config_version', 'route', 'dialect', 'stream', 'client', 'auth', 'key_id',
  'user_id', 'team_id', 'project_id', 'agent_id', 'scope', 'target_id', 'provider', 'model', 'verdict', 'reason_code', 'outcome',
  'status', 'error_code', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cost_usd', 'latency_ms',
  'upstream_ms', 'overhead_ms', 'attempts', 'cache_hit', 'policies', 'findings',
  'host', 'bytes_up', 'bytes_down', // (marked edit: proxy) forward-proxy passthrough and tunnel events
] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(e: DecisionEvent): string {
  const row = e as unknown as Record<string, unknown>;
  return CSV_COLUMNS.map((c) => {
    if (c === 'policies') return csvCell(e.policies.map((p) => `${p.policy}:${p.phase}:${p.verdict}`).join(';'));
    if (c === 'findings') return csvCell(e.policies.flatMap((p) => p.findings.map((f) => `${p.policy}/${f.rule}@${f.path}x${f.count}`)).join(';'));
    return csvCell(row[c]);
  }).join(',');
}

export async function eventsExport(opts: ExportOptions): Promise<void> {
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new ExitError(EXIT.usage, 'kt events export: --format must be csv or json');
  const { db } = await cliDb(opts);
  const store = await EventStore.open(db);
  const out: Writable = opts.output ? createWriteStream(opts.output, { mode: 0o600 }) : (opts.stdout ?? process.stdout);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  try {
    const since = opts.since ? parseSince(opts.since) : undefined;
    const until = opts.until ? parseSince(opts.until) : undefined;
    if (format === 'csv') await write(CSV_COLUMNS.join(',') + '\n');
    else await write('[');
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = await store.query({ since, until, afterSeq: after, limit: 2000, order: 'asc' });
      if (rows.length === 0) break;
      for (const r of rows) {
        await write(format === 'csv' ? csvRow(r.event) + '\n' : (n ? ',\n' : '\n') + JSON.stringify(r.event));
        after = r.seq;
        n++;
      }
    }
    if (format === 'json') await write(n ? '\n]\n' : ']\n');
    if (opts.output) process.stderr.write(`kt: exported ${n} events to ${opts.output}\n`);
  } finally {
    if (opts.output) await new Promise<void>((r) => (out as NodeJS.WritableStream).end(() => r()));
    await store.close();
  }
}

export async function eventsVerify(opts: StoreArgs & { json?: boolean; requireKeyed?: boolean; stdout?: Writable; stderr?: Writable }): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const { db } = await cliDb(opts);
  const store = await EventStore.open(db);
  try {
    const v = await store.verify();
    const unkeyedFails = !!opts.requireKeyed && v.ok && v.unkeyed > 0;
    if (opts.json) out.write(JSON.stringify(v) + '\n');
    else if (v.ok) {
      const range = v.checked ? ` (#${v.firstSeq}…#${v.lastSeq})` : '';
      const kinds = v.unkeyed ? `, ${v.keyed} keyed and ${v.unkeyed} unkeyed` : '';
      const purged = v.purged ? `; ${v.purged} earlier events purged by retention (signed checkpoints)` : '';
      out.write(`ok: ${v.checked} events verified${range}${kinds}${purged}; the chain is intact (chain key ${v.kid})\n`);
    } else out.write(`BROKEN at event #${v.break!.seq}${v.break!.id ? ` (${v.break!.id})` : ''}: ${v.break!.detail}\n${v.checked} events before it verified\n`);
    if (!opts.json) for (const w of v.warnings) err.write(`warning: ${w}\n`);
    if (unkeyedFails && !opts.json) err.write(`kt events verify --require-keyed: ${v.unkeyed} events are unkeyed\n`);
    if (!v.ok || unkeyedFails) throw new ExitError(EXIT.findings);
  } finally {
    await store.close();
  }
}
