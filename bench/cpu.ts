/**
 * `node --import tsx bench/cpu.ts`: CPU time per request of each process — load generator, demo
 * provider, and the server in between (bare undici proxy, kt core, kt with the default chain) — for a
 * fixed number of requests. CPU time barely depends on what else runs on the machine, so this is the
 * number to compare between commits on a shared box (wall-clock latency and req/s are not).
 *
 * From it, the throughput a CPU-bound 2-core machine allows: direct needs load + demo CPU per request,
 * through a proxy load + demo + proxy, so the best ratio is (load + demo) / (load + demo + proxy).
 * Env: CPU_N (requests per 1 KB case, default 20000), CPU_CONC (connections, default 32),
 * CPU_ONLY=core,chain,bare to pick servers, BENCH_PROF=DIR for --cpu-prof of the servers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { claudeCodeBody, smallChat } from './bodies.js';
import { startChild, type Child, type Cpu, type Role } from './children.js';

const N = Number(process.env.CPU_N ?? 20000);
const CONC = Number(process.env.CPU_CONC ?? 32);
const ONLY = (process.env.CPU_ONLY ?? 'bare,core,chain').split(',');
const CASES = (process.env.CPU_CASES ?? '1k-json,1k-sse').split(',');
const dataDir = mkdtempSync(join(tmpdir(), 'kt-bench-cpu-'));

const openai = { 'content-type': 'application/json', authorization: 'Bearer sk-client' };
const anthropic = { 'content-type': 'application/json', 'x-api-key': 'sk-client', 'anthropic-version': '2023-06-01' };
const ALL_CASES: Record<string, { path: string; body: string; headers: Record<string, string>; n: number }> = {
  '1k-json': { path: '/v1/chat/completions', body: smallChat(false), headers: openai, n: N },
  '1k-sse': { path: '/v1/chat/completions', body: smallChat(true), headers: openai, n: N },
  '800k-json': { path: '/v1/messages', body: claudeCodeBody(false), headers: anthropic, n: Math.max(50, N / 20) },
  '800k-sse': { path: '/v1/messages', body: claudeCodeBody(true), headers: anthropic, n: Math.max(50, N / 20) },
};

async function run(origin: string, c: (typeof ALL_CASES)[string], n: number, conc: number): Promise<void> {
  const pool = new Pool(origin, { connections: conc });
  let left = n;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (left-- > 0) {
        const res = await pool.request({ method: 'POST', path: c.path, headers: c.headers, body: c.body });
        for await (const _ of res.body) void _;
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      }
    }),
  );
  await pool.close();
}

const selfCpu = (): Cpu => {
  const u = process.cpuUsage();
  return { total: u.user + u.system, user: u.user };
};
const NONE: Cpu = { total: 0, user: 0 };

interface Measured {
  load: number;
  demo: number;
  proxy: number;
  /** User-mode share of the proxy's CPU (the rest is the kernel: socket reads and writes). */
  proxyUser: number;
}

async function measure(target: Child | undefined, demo: Child, c: (typeof ALL_CASES)[string]): Promise<Measured> {
  const origin = target?.url ?? demo.url;
  await run(origin, c, Math.min(3000, c.n), CONC); // warm-up: JIT tiers settle after a few thousand requests
  const [l0, d0, p0] = [selfCpu(), await demo.cpu(), target ? await target.cpu() : NONE];
  if (target) process.stderr.write(`# measuring ${target.role} pid ${target.child.pid}\n`); // for perf record -p
  await run(origin, c, c.n, CONC);
  const [l1, d1, p1] = [selfCpu(), await demo.cpu(), target ? await target.cpu() : NONE];
  return { load: (l1.total - l0.total) / c.n, demo: (d1.total - d0.total) / c.n, proxy: (p1.total - p0.total) / c.n, proxyUser: (p1.user - p0.user) / c.n };
}

async function main(): Promise<void> {
  const env = { KT_DATA_DIR: dataDir };
  const demo = await startChild('demo', undefined, env);
  const servers: { label: string; role: Role; child: Child }[] = [];
  const want: [string, Role, string][] = [
    ['bare', 'bare-proxy', 'bare undici proxy (floor)'],
    ['core', 'gateway', 'kt core (empty chain)'],
    ['chain', 'gateway-chain', 'kt default chain + evidence'],
  ];
  for (const [key, role, label] of want) if (ONLY.includes(key)) servers.push({ label, role, child: await startChild(role, demo.url, env) });
  const la0 = loadavg()[0];
  const rows: string[] = [];
  try {
    for (const name of CASES) {
      const c = ALL_CASES[name];
      const direct = await measure(undefined, demo, c);
      const base = direct.load + direct.demo;
      rows.push(`| ${name} | direct | — | — | ${direct.load.toFixed(0)} | ${direct.demo.toFixed(0)} | — |`);
      for (const s of servers) {
        const m = await measure(s.child, demo, c);
        rows.push(`| ${name} | ${s.label} | **${m.proxy.toFixed(0)}** | ${m.proxyUser.toFixed(0)} | ${m.load.toFixed(0)} | ${m.demo.toFixed(0)} | ${((base / (base + m.proxy)) * 100).toFixed(0)}% |`);
        process.stderr.write(rows.at(-1) + '\n');
      }
    }
  } finally {
    await Promise.all([demo, ...servers.map((s) => s.child)].map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nCPU µs per request, ${N} requests per 1 KB case over ${CONC} connections; load average ${la0.toFixed(2)} → ${loadavg()[0].toFixed(2)}\n`);
  console.log('| case | path | proxy CPU µs/req | of which user | load-gen µs/req | demo µs/req | CPU-bound ratio (2 cores) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
