/**
 * Policy time of the default chain on a Claude-Code-shaped conversation: ~800 KB of system prompt,
 * source files read through tool results (`cat -n` style, a few seeded secrets) and assistant turns,
 * scanned cold (empty scan cache), then the next turn (+4 KB) with the cache warm — what each new turn
 * of a session costs. Run: `node --import tsx bench/policy.ts [--json]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultConfig } from '../src/config/index.js';
import type { Exchange } from '../src/gateway/exchange.js';
import { createPolicyHooks } from '../src/policy/hooks.js';
import type { PolicyConfigView } from '../src/policy/registry.js';

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (n.endsWith('.ts') && !n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const catN = (text: string) => text.split('\n').map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');

/** A conversation of about `bytes` JSON bytes. */
function conversation(bytes: number): { model: string; system: unknown[]; messages: unknown[] } {
  const files = sourceFiles('src');
  const system = [{ type: 'text', text: 'You are Claude Code, an interactive CLI tool. '.repeat(400), cache_control: { type: 'ephemeral' } }];
  const messages: unknown[] = [{ role: 'user', content: [{ type: 'text', text: 'Review the gateway code and fix the failing test.' }] }];
  let size = 20_000;
  let k = 0;
  while (size < bytes) {
    const f = files[k % files.length];
    let text = readFileSync(f, 'utf8');
    if (k % 25 === 3) text += `\nconst AWS_ACCESS_KEY_ID = "AKIAZ7Q4XW2MB3KT9PLD"; // seeded\n`;
    const id = `toolu_${k}`;
    messages.push({ role: 'assistant', content: [{ type: 'text', text: `Let me read ${f}.` }, { type: 'tool_use', id, name: 'Read', input: { file_path: `/w/${f}` } }] });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: catN(text) }] });
    size += text.length * 1.1 + 200;
    k++;
  }
  return { model: 'claude-sonnet-4', system, messages };
}

function exchange(body: unknown): Exchange {
  return {
    id: 'evt_bench', requestId: 'bench', startedAt: 0, t: { start: 0 }, configVersion: 'bench', route: '/v1/messages', dialect: 'anthropic-messages',
    method: 'POST', headers: {}, client: 'claude-cli', principal: { kind: 'anonymous' }, rawBody: Buffer.alloc(0), body, bodyEdited: false,
    stream: true, attempts: 0, policyResults: [], verdict: 'allow', conversationId: 'bench',
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const config = defaultConfig().config as PolicyConfigView;
  const turn = conversation(800_000);
  const turnBytes = JSON.stringify(turn).length;
  const next = structuredClone(turn);
  const extra = catN(readFileSync('src/policy/engine.ts', 'utf8')).slice(0, 4000);
  next.messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_next', name: 'Read', input: { file_path: '/w/next.ts' } }] });
  next.messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_next', content: extra }] });
  const nextBytes = JSON.stringify(next).length;

  // Warm the JIT and the rule compilers on a different conversation.
  const warm = createPolicyHooks(config);
  await warm.inspectRequest(exchange(conversation(200_000)));

  // Wall time and CPU time: on a shared machine the CPU time of this thread is the steadier number.
  const cold: number[] = [];
  const incr: number[] = [];
  const coldCpu: number[] = [];
  const perPolicy: Record<string, number[]> = {};
  const incrCpu: number[] = [];
  let redacted = false;
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let i = 0; i < 9; i++) {
    const hooks = createPolicyHooks(config);
    const ex = exchange(turn);
    let c = process.cpuUsage();
    let t = performance.now();
    await hooks.inspectRequest(ex);
    cold.push(performance.now() - t);
    coldCpu.push(cpuMs(process.cpuUsage(c)));
    redacted = ex.bodyEdited && !JSON.stringify(ex.body).includes('AKIAZ7Q4XW2MB3KT9PLD');
    const nextEx = exchange(structuredClone(next));
    c = process.cpuUsage();
    t = performance.now();
    await hooks.inspectRequest(nextEx);
    incr.push(performance.now() - t);
    incrCpu.push(cpuMs(process.cpuUsage(c)));
    for (const r of nextEx.policyResults) (perPolicy[`${r.phase}:${r.policy}`] ??= []).push(r.latencyMs);
  }
  const res = {
    body_kb: Math.round(turnBytes / 1024),
    next_turn_added_kb: Math.round((nextBytes - turnBytes) / 1024),
    chain: config.policies?.chain,
    cold_ms_median: +median(cold).toFixed(2),
    cold_cpu_ms_median: +median(coldCpu).toFixed(2),
    next_turn_ms_median: +median(incr).toFixed(2),
    next_turn_cpu_ms_median: +median(incrCpu).toFixed(2),
    next_turn_policy_ms_median: Object.fromEntries(Object.entries(perPolicy).map(([k, v]) => [k, +median(v).toFixed(2)])),
    load_average: os.loadavg()[0].toFixed(1),
    cpus: os.cpus().length,
    seeded_secrets_redacted: redacted,
    node: process.version,
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(res));
  else {
    console.log(`| body | chain | cold scan, wall / CPU (median of 9) | next turn +${res.next_turn_added_kb} KB, wall / CPU |`);
    console.log('|---|---|---|---|');
    console.log(`| ${res.body_kb} KB Claude-Code-shaped | ${res.chain?.join(', ')} | ${res.cold_ms_median} / ${res.cold_cpu_ms_median} ms | ${res.next_turn_ms_median} / ${res.next_turn_cpu_ms_median} ms |`);
    console.log(`next turn per policy (wall ms): ${Object.entries(res.next_turn_policy_ms_median).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`seeded secrets redacted: ${res.seeded_secrets_redacted}; node ${res.node}; ${res.cpus} CPUs, load average ${res.load_average}`);
  }
}

await main();
