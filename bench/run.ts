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

type Child = { url: string; child: ChildProcess; cpu(): Promise<number> };

function startChild(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'child.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, KT_DATA_DIR: dataDir },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench child ${args[0]} exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    const waiting: ((micros: number) => void)[] = [];
    let started = false;
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { url?: string; cpuMicros?: number };
      if (!started && msg.url) {
        started = true;
        resolve({
          url: msg.url,
          child,
          cpu: () =>
            new Promise<number>((r) => {
              waiting.push(r);
              child.stdin!.write('cpu\n');
            }),
        });
      } else if (msg.cpuMicros !== undefined) waiting.shift()?.(msg.cpuMicros);
    });
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
  const gateways: ({ label: string } & Child)[] = [];
  const core = await startChild(['gateway', demo.url]);
  gateways.push({ label: 'gateway (core, empty chain)', ...core });
  if (process.env.BENCH_CHAIN !== '0') gateways.push({ label: 'gateway (default chain + evidence)', ...(await startChild(['gateway-chain', demo.url])) });
  const rows: string[] = [];
  try {
    for (const c of cases()) {
      const direct = await sequential(demo.url, c);
      const directRps = await concurrent(demo.url, c);
      for (const g of gateways) {
        const cpu0 = await g.cpu();
        const via = await sequential(g.url, c);
        const cpuPerRequest = ((await g.cpu()) - cpu0) / (c.sequential + Math.min(200, Math.ceil(c.sequential / 5)));
        const viaRps = await concurrent(g.url, c);
        rows.push(
          `| ${c.name} | ${g.label} | ${ms(pct(direct, 50))} / ${ms(pct(direct, 99))} | ${ms(pct(via, 50))} / ${ms(pct(via, 99))} | **${ms(pct(via, 50) - pct(direct, 50))}** / ${ms(pct(via, 99) - pct(direct, 99))} | ${(cpuPerRequest / 1000).toFixed(3)} | ${directRps.toFixed(0)} | ${viaRps.toFixed(0)} | **${((viaRps / directRps) * 100).toFixed(0)}%** |`,
        );
        process.stderr.write(rows.at(-1) + '\n');
      }
    }
  } finally {
    // Wait for the children to flush and exit before their data directory goes away.
    await Promise.all([demo, ...gateways].map((p) => new Promise((r) => (p.child.once('exit', r), p.child.kill('SIGTERM')))));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nMachine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`Sequential: 1 connection (1 KB: ${N_SMALL} requests; 800 KB: ${Math.max(50, N_SMALL / 10)}), after warm-up. Concurrent: ${CONNECTIONS} connections for ${SECONDS} s after 1 s warm-up.\n`);
  console.log('| body | path | direct p50 / p99 ms | via gateway p50 / p99 ms | added p50 / p99 ms | gateway CPU ms / request | direct req/s (32 conn) | via gateway req/s | gateway / direct |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
