/**
 * `npm run bench`: added latency, CPU and throughput of the gateway against a direct call to the same
 * fake provider, in one run. The demo provider, a bare undici proxy (the floor: node:http + undici
 * `request()` relaying bytes, nothing of kt's), the gateway with an empty chain and the gateway with the
 * default chain each run in their own process (bench/children.ts); this process only generates load.
 * For each body (1 KB chat, ~800 KB Claude Code turn) and mode (JSON, SSE):
 *   - sequential: one connection, N requests → p50/p99 latency, direct vs through each server, and the
 *     server's CPU time per request (user + system of its process, from process.cpuUsage());
 *   - concurrent: 32 connections for BENCH_SECONDS → requests per second and the server's CPU per
 *     request; ratio = via / direct.
 * CPU per request barely depends on other load on the machine; latency and req/s do (see docs/BENCHMARKS.md).
 * Env: BENCH_SECONDS (default 5), BENCH_N (sequential requests for 1 KB, default 2000), BENCH_CHAIN=0
 * to skip the default-chain gateway, BENCH_BARE=0 to skip the floor, BENCH_BIG=0 to skip the 800 KB bodies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { claudeCodeBody, smallChat } from './bodies.js';
import { startChild, type Child, type Role } from './children.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const N_SMALL = Number(process.env.BENCH_N ?? 2000);
const CONNECTIONS = 32;
const dataDir = mkdtempSync(join(tmpdir(), 'kt-bench-'));

interface Case {
  name: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  sequential: number;
}

function cases(): Case[] {
  const openai = { 'content-type': 'application/json', authorization: 'Bearer sk-client' };
  const anthropic = { 'content-type': 'application/json', 'x-api-key': 'sk-client', 'anthropic-version': '2023-06-01' };
  const big = (s: boolean) => claudeCodeBody(s);
  const nBig = Math.max(50, N_SMALL / 10);
  return [
    { name: '1 KB chat, JSON', path: '/v1/chat/completions', body: smallChat(false), headers: openai, sequential: N_SMALL },
    { name: '1 KB chat, SSE', path: '/v1/chat/completions', body: smallChat(true), headers: openai, sequential: N_SMALL },
    ...(process.env.BENCH_BIG === '0'
      ? []
      : [
          { name: '800 KB Claude Code turn, JSON', path: '/v1/messages', body: big(false), headers: anthropic, sequential: nBig },
          { name: '800 KB Claude Code turn, SSE', path: '/v1/messages', body: big(true), headers: anthropic, sequential: nBig },
        ]),
  ];
}

async function once(pool: Pool, c: Case): Promise<void> {
  const res = await pool.request({ method: 'POST', path: c.path, headers: c.headers, body: c.body });
  for await (const _ of res.body) void _;
  if (res.statusCode !== 200) throw new Error(`${c.name}: status ${res.statusCode}`);
}

async function sequential(origin: string, c: Case): Promise<number[]> {
  const pool = new Pool(origin, { connections: 1 });
  const times: number[] = [];
  for (let i = 0; i < c.sequential; i++) {
    const t0 = performance.now();
    await once(pool, c);
    times.push(performance.now() - t0);
  }
  await pool.close();
  return times.sort((a, b) => a - b);
}

/** Requests per second over SECONDS after a 1 s warm-up, and how many requests were counted. */
async function concurrent(origin: string, c: Case, onMeasureStart: () => Promise<void>): Promise<{ rps: number; n: number }> {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const warmUntil = performance.now() + 1000;
  const until = warmUntil + SECONDS * 1000;
  let done = 0;
  let started: Promise<void> | undefined;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        if (performance.now() > warmUntil) started ??= onMeasureStart();
        await once(pool, c);
        if (performance.now() > warmUntil) done++;
      }
    }),
  );
  await started;
  await pool.close();
  return { rps: done / SECONDS, n: done };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (v: number) => v.toFixed(3);

async function warm(origin: string, c: Case): Promise<void> {
  const pool = new Pool(origin, { connections: 4 });
  const n = Math.min(3000, c.sequential * 2);
  let left = n;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (left-- > 0) await once(pool, c);
  }));
  await pool.close();
}

async function main(): Promise<void> {
  const env = { KT_DATA_DIR: dataDir };
  const demo = await startChild('demo', undefined, env);
  const servers: { label: string; child: Child }[] = [];
  const add = async (label: string, role: Role) => servers.push({ label, child: await startChild(role, demo.url, env) });
  if (process.env.BENCH_BARE !== '0') await add('bare undici proxy (floor)', 'bare-proxy');
  await add('kt core (empty chain)', 'gateway');
  if (process.env.BENCH_CHAIN !== '0') await add('kt default chain + evidence', 'gateway-chain');
  const load0 = loadavg();
  const rows: string[] = [];
  try {
    for (const c of cases()) {
      await warm(demo.url, c);
      const direct = await sequential(demo.url, c);
      const directRps = (await concurrent(demo.url, c, async () => undefined)).rps;
      rows.push(`| ${c.name} | direct | ${ms(pct(direct, 50))} / ${ms(pct(direct, 99))} | — | — | — | ${directRps.toFixed(0)} | — |`);
      process.stderr.write(rows.at(-1) + '\n');
      for (const s of servers) {
        await warm(s.child.url, c); // JIT tiers settle before anything is counted
        const cpu0 = await s.child.cpu();
        const via = await sequential(s.child.url, c);
        const cpuSeq = ((await s.child.cpu()).total - cpu0.total) / c.sequential;
        let cpuC0 = 0;
        const conc = await concurrent(s.child.url, c, async () => void (cpuC0 = (await s.child.cpu()).total));
        const cpuConc = ((await s.child.cpu()).total - cpuC0) / Math.max(1, conc.n);
        rows.push(
          `| ${c.name} | ${s.label} | ${ms(pct(via, 50))} / ${ms(pct(via, 99))} | **${ms(pct(via, 50) - pct(direct, 50))}** / ${ms(pct(via, 99) - pct(direct, 99))} | ${(cpuSeq / 1000).toFixed(3)} | ${(cpuConc / 1000).toFixed(3)} | ${conc.rps.toFixed(0)} | **${((conc.rps / directRps) * 100).toFixed(0)}%** |`,
        );
        process.stderr.write(rows.at(-1) + '\n');
      }
    }
  } finally {
    // Wait for the children to flush and exit before their data directory goes away.
    await Promise.all([demo, ...servers.map((s) => s.child)].map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const load1 = loadavg();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nMachine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`Load average (1/5/15 min) at start ${load0.map((l) => l.toFixed(2)).join(' / ')}, at end ${load1.map((l) => l.toFixed(2)).join(' / ')}.`);
  console.log(`Sequential: 1 connection (1 KB: ${N_SMALL} requests; 800 KB: ${Math.max(50, N_SMALL / 10)}) after a warm-up. Concurrent: ${CONNECTIONS} connections for ${SECONDS} s after 1 s warm-up.\n`);
  console.log('| body | path | p50 / p99 ms | added p50 / p99 ms | server CPU ms / request, 1 conn | server CPU ms / request, 32 conn | req/s (32 conn) | via / direct |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
