/**
 * `npm run bench`: added latency and throughput of the gateway against a direct call to the same fake
 * provider. The demo provider and the gateway each run in their own process; this process only
 * generates load with undici. For each body (1 KB chat, ~800 KB Claude Code turn) and mode (JSON, SSE):
 *   - sequential: one connection, N requests → p50/p99 latency, direct vs through the gateway;
 *   - concurrent: 32 connections for BENCH_SECONDS → requests per second, gateway / direct.
 * Env: BENCH_SECONDS (default 5), BENCH_N (sequential requests for 1 KB, default 2000), BENCH_CHAIN=0
 * to skip the run with the default policy chain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { claudeCodeBody, smallChat } from './bodies.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const N_SMALL = Number(process.env.BENCH_N ?? 2000);
const CONNECTIONS = 32;
const dataDir = mkdtempSync(join(tmpdir(), 'kt-bench-'));

function startChild(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KT_DATA_DIR: dataDir },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench child ${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ url: (JSON.parse(line) as { url: string }).url, child }));
  });
}

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
  return [
    { name: '1 KB chat, JSON', path: '/v1/chat/completions', body: smallChat(false), headers: openai, sequential: N_SMALL },
    { name: '1 KB chat, SSE', path: '/v1/chat/completions', body: smallChat(true), headers: openai, sequential: N_SMALL },
    { name: '800 KB Claude Code turn, JSON', path: '/v1/messages', body: big(false), headers: anthropic, sequential: Math.max(50, N_SMALL / 10) },
    { name: '800 KB Claude Code turn, SSE', path: '/v1/messages', body: big(true), headers: anthropic, sequential: Math.max(50, N_SMALL / 10) },
  ];
}

async function once(pool: Pool, c: Case): Promise<void> {
  const res = await pool.request({ method: 'POST', path: c.path, headers: c.headers, body: c.body });
  for await (const _ of res.body) void _;
  if (res.statusCode !== 200) throw new Error(`${c.name}: status ${res.statusCode}`);
}

async function sequential(origin: string, c: Case): Promise<number[]> {
  const pool = new Pool(origin, { connections: 1 });
  const warm = Math.min(200, Math.ceil(c.sequential / 5));
  for (let i = 0; i < warm; i++) await once(pool, c);
  const times: number[] = [];
  for (let i = 0; i < c.sequential; i++) {
    const t0 = performance.now();
    await once(pool, c);
    times.push(performance.now() - t0);
  }
  await pool.close();
  return times.sort((a, b) => a - b);
}

async function concurrent(origin: string, c: Case): Promise<number> {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const warmUntil = performance.now() + 1000;
  const until = warmUntil + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        await once(pool, c);
        if (performance.now() > warmUntil) done++;
      }
    }),
  );
  await pool.close();
  return done / SECONDS;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (v: number) => v.toFixed(3);

async function main(): Promise<void> {
  const demo = await startChild(['demo']);
  const gateways: { label: string; url: string; child: ChildProcess }[] = [];
  const core = await startChild(['gateway', demo.url]);
  gateways.push({ label: 'gateway (core, empty chain)', ...core });
  if (process.env.BENCH_CHAIN !== '0') gateways.push({ label: 'gateway (default chain + evidence)', ...(await startChild(['gateway-chain', demo.url])) });
  const rows: string[] = [];
  try {
    for (const c of cases()) {
      const direct = await sequential(demo.url, c);
      const directRps = await concurrent(demo.url, c);
      for (const g of gateways) {
        const via = await sequential(g.url, c);
        const viaRps = await concurrent(g.url, c);
        rows.push(
          `| ${c.name} | ${g.label} | ${ms(pct(direct, 50))} / ${ms(pct(direct, 99))} | ${ms(pct(via, 50))} / ${ms(pct(via, 99))} | **${ms(pct(via, 50) - pct(direct, 50))}** / ${ms(pct(via, 99) - pct(direct, 99))} | ${directRps.toFixed(0)} | ${viaRps.toFixed(0)} | **${((viaRps / directRps) * 100).toFixed(0)}%** |`,
        );
        process.stderr.write(rows.at(-1) + '\n');
      }
    }
  } finally {
    for (const p of [demo, ...gateways]) p.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nMachine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`Sequential: 1 connection (1 KB: ${N_SMALL} requests; 800 KB: ${Math.max(50, N_SMALL / 10)}), after warm-up. Concurrent: ${CONNECTIONS} connections for ${SECONDS} s after 1 s warm-up.\n`);
  console.log('| body | path | direct p50 / p99 ms | via gateway p50 / p99 ms | added p50 / p99 ms | direct req/s (32 conn) | via gateway req/s | gateway / direct |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
