/**
 * Policy time of the default chain on a Claude-Code-shaped conversation: ~800 KB of system prompt,
 * source files read through tool results (`cat -n` style, a few seeded secrets) and assistant turns,
 * scanned cold (empty scan cache), then the next turn (+4 KB) with the cache warm — what each new turn
 * of a session costs. Then, with `--breakdown`, the CPU time of each detector over the same segments
 * (which detector costs what in the cold scan).
 *
 *   node --import tsx bench/policy.ts [--json] [--breakdown] [--stream] [--rounds N]
 *
 * `--stream`: the first text delta of an Anthropic stream through the default chain's stream guard — how
 * much of it is released in the same push (held text waits for the next delta) and the CPU µs per push.
 *
 * On a shared machine wall time mostly measures the neighbours: CPU time of this thread is reported
 * next to it, with the 1-minute load average. The gateway's hooks live as long as the process, so the
 * warm-up runs a cold and a next turn of another conversation first (the JIT has seen both paths).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultConfig } from '../src/config/index.js';
import { createPiiDetector } from '../src/detect/pii/index.js';
import { createInjectionDetector } from '../src/detect/injection/index.js';
import { createSecretScanner } from '../src/detect/secrets/scanner.js';
import type { Detector } from '../src/detect/types.js';
import type { Exchange } from '../src/gateway/exchange.js';
import { createPolicyHooks } from '../src/policy/hooks.js';
import type { PolicyConfigView } from '../src/policy/registry.js';
import { segmentsFor } from '../src/policy/segment-registry.js';

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (n.endsWith('.ts') && !n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const catN = (text: string) => text.split('\n').map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');

type Body = { model: string; system: unknown[]; messages: unknown[] };

/** A conversation of about `bytes` JSON bytes. */
function conversation(bytes: number): Body {
  const files = sourceFiles('src');
  const system = [{ type: 'text', text: 'You are Claude Code, an interactive CLI tool. '.repeat(400), cache_control: { type: 'ephemeral' } }];
  const messages: unknown[] = [{ role: 'user', content: [{ type: 'text', text: 'Review the gateway code and fix the failing test.' }] }];
  let size = 20_000;
  let k = 0;
  while (size < bytes) {
    const f = files[k % files.length]!;
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

/** The same conversation one turn later: the assistant reads one more file (about 4 KB). */
function nextTurn(turn: Body): Body {
  const next = structuredClone(turn);
  const extra = catN(readFileSync('src/policy/engine.ts', 'utf8')).slice(0, 4000);
  next.messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_next', name: 'Read', input: { file_path: '/w/next.ts' } }] });
  next.messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_next', content: extra }] });
  return next;
}

function exchange(body: unknown): Exchange {
  return {
    id: 'evt_bench', requestId: 'bench', startedAt: 0, t: { start: 0 }, configVersion: 'bench', route: '/v1/messages', dialect: 'anthropic-messages',
    method: 'POST', headers: {}, client: 'claude-cli', principal: { kind: 'anonymous' }, rawBody: Buffer.alloc(0), body, bodyEdited: false,
    stream: true, attempts: 0, policyResults: [], verdict: 'allow', conversationId: 'bench',
  };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const best = (xs: number[]) => sorted(xs)[0]!;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const r2 = (x: number) => +x.toFixed(2);

/** CPU ms of one detector over every segment it would see in the default chain, best and median of `rounds`. */
function detectorCost(det: Detector, segments: readonly { text: string; role: string }[], rounds: number) {
  const run = () => {
    for (const s of segments) det.scan(s.text, { role: s.role as never });
  };
  run();
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c = process.cpuUsage();
    run();
    cpu.push(cpuMs(process.cpuUsage(c)));
  }
  const chars = segments.reduce((a, s) => a + s.text.length, 0);
  return { kb: Math.round(chars / 1024), cpu_ms_best: r2(best(cpu)), cpu_ms_median: r2(median(cpu)), mb_per_cpu_s: Math.round(chars / 1e3 / best(cpu)) };
}

/**
 * The first text delta of an Anthropic stream through the default chain's guard: which part is emitted
 * in the same push (held text waits for the next delta, i.e. adds time to first token) and what a push costs.
 */
function streamFirstToken(config: PolicyConfigView) {
  const hooks = createPolicyHooks(config);
  const ev = (event: string, data: unknown) => ({ event, data: JSON.stringify(data) });
  const start = ev('message_start', { type: 'message_start', message: { id: 'msg_b', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4', usage: { input_tokens: 1, output_tokens: 1 } } });
  const block = ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  const delta = (text: string) => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
  const released = (out: { data: string }[]) => out.map((e) => (JSON.parse(e.data) as { delta?: { text?: string } }).delta?.text ?? '').join('');
  return ["I'll look at the failing test first.", 'Let me read', 'The key is sk-'].map((text) => {
    const us: number[] = [];
    let chars = 0;
    for (let i = 0; i < 200; i++) {
      const g = hooks.streamGuard(exchange({}))!;
      g.push(start);
      g.push(block);
      const c = process.cpuUsage();
      const out = g.push(delta(text));
      const d = process.cpuUsage(c);
      us.push(d.user + d.system);
      chars = released(out).length;
    }
    return { delta: text, released: chars === text.length, chars, us: median(us) };
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 15;
  const config = defaultConfig().config as PolicyConfigView;
  const turn = conversation(800_000);
  const next = nextTurn(turn);
  const turnBytes = JSON.stringify(turn).length;
  const nextBytes = JSON.stringify(next).length;

  // Warm the JIT and the rule compilers on a different conversation, cold and incremental paths both.
  const warmTurn = conversation(200_000);
  const warm = createPolicyHooks(config);
  await warm.inspectRequest(exchange(warmTurn));
  await warm.inspectRequest(exchange(nextTurn(warmTurn)));

  const cold: number[] = [];
  const coldCpu: number[] = [];
  const incr: number[] = [];
  const incrCpu: number[] = [];
  const incrPolicy: number[] = [];
  const perPolicy: Record<string, number[]> = {};
  let redacted = true;
  for (let i = 0; i < rounds; i++) {
    const hooks = createPolicyHooks(config);
    const ex = exchange(structuredClone(turn));
    let c = process.cpuUsage();
    let t = performance.now();
    await hooks.inspectRequest(ex);
    cold.push(performance.now() - t);
    coldCpu.push(cpuMs(process.cpuUsage(c)));
    redacted &&= ex.bodyEdited && !JSON.stringify(ex.body).includes('AKIAZ7Q4XW2MB3KT9PLD');
    const nextEx = exchange(structuredClone(next));
    c = process.cpuUsage();
    t = performance.now();
    await hooks.inspectRequest(nextEx);
    incr.push(performance.now() - t);
    incrCpu.push(cpuMs(process.cpuUsage(c)));
    let sum = 0;
    for (const r of nextEx.policyResults) {
      (perPolicy[`${r.phase}:${r.policy}`] ??= []).push(r.latencyMs);
      sum += r.latencyMs;
    }
    incrPolicy.push(sum);
  }
  const res: Record<string, unknown> = {
    body_kb: Math.round(turnBytes / 1024),
    next_turn_added_kb: Math.round((nextBytes - turnBytes) / 1024),
    chain: config.policies?.chain,
    rounds,
    cold_ms_median: r2(median(cold)),
    cold_cpu_ms_median: r2(median(coldCpu)),
    cold_cpu_ms_best: r2(best(coldCpu)),
    next_turn_ms_median: r2(median(incr)),
    next_turn_cpu_ms_median: r2(median(incrCpu)),
    next_turn_cpu_ms_best: r2(best(incrCpu)),
    next_turn_policy_sum_ms_median: r2(median(incrPolicy)),
    next_turn_policy_ms_median: Object.fromEntries(Object.entries(perPolicy).map(([k, v]) => [k, r2(median(v))])),
    load_average: os.loadavg()[0]!.toFixed(1),
    cpus: os.cpus().length,
    seeded_secrets_redacted: redacted,
    node: process.version,
  };
  if (args.includes('--breakdown')) {
    // What each detector costs in the cold scan: the segments each one sees in the default chain
    // (code-sanitation and pii-detector: all of them; prompt-injection: user turns and tool results).
    const segments = segmentsFor('anthropic-messages').request(turn);
    const injectionSegments = segments.filter((s) => s.role === 'user' || s.role === 'tool_result' || s.role === 'prompt');
    res.cold_detector_cpu = {
      secrets: detectorCost(createSecretScanner(), segments, rounds),
      pii: detectorCost(createPiiDetector(), segments, rounds),
      injection: detectorCost(createInjectionDetector({ decodeBase64: true, normalizeUnicode: true, detectHomoglyphs: true, rejectFakeBoundaries: true }), injectionSegments, rounds),
    };
    res.load_average = os.loadavg()[0]!.toFixed(1);
  }
  if (args.includes('--stream')) res.stream_first_token = streamFirstToken(config);
  if (args.includes('--json')) {
    console.log(JSON.stringify(res));
    return;
  }
  console.log(`| body | chain | cold scan, wall / CPU (median of ${rounds}; best CPU) | next turn +${res.next_turn_added_kb} KB, wall / CPU (median; best CPU) | next turn, sum of policy latencies |`);
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${res.body_kb} KB Claude-Code-shaped | ${(res.chain as string[]).join(', ')} | ${res.cold_ms_median} / ${res.cold_cpu_ms_median} ms (${res.cold_cpu_ms_best}) | ${res.next_turn_ms_median} / ${res.next_turn_cpu_ms_median} ms (${res.next_turn_cpu_ms_best}) | ${res.next_turn_policy_sum_ms_median} ms |`,
  );
  console.log(`\nnext turn per policy (wall ms, median): ${Object.entries(res.next_turn_policy_ms_median as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (res.cold_detector_cpu) {
    console.log('\n| detector (cold, the segments it sees) | KB | CPU ms best | CPU ms median | MB per CPU-second |\n|---|---|---|---|---|');
    for (const [k, v] of Object.entries(res.cold_detector_cpu as Record<string, ReturnType<typeof detectorCost>>)) console.log(`| ${k} | ${v.kb} | ${v.cpu_ms_best} | ${v.cpu_ms_median} | ${v.mb_per_cpu_s} |`);
  }
  if (res.stream_first_token) {
    console.log('\n| first text delta of a stream | released in the same push | chars released | CPU µs per push (median) |\n|---|---|---|---|');
    for (const r of res.stream_first_token as ReturnType<typeof streamFirstToken>) console.log(`| ${JSON.stringify(r.delta)} | ${r.released ? 'yes' : 'no'} | ${r.chars}/${r.delta.length} | ${r.us} |`);
  }
  console.log(`\nseeded secrets redacted: ${res.seeded_secrets_redacted}; node ${res.node}; ${res.cpus} CPUs, 1-min load average ${res.load_average}`);
}

await main();
