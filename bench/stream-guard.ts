/**
 * `node --import tsx bench/stream-guard.ts`: CPU time of the default chain's stream guard alone, per
 * streamed answer, on the demo provider's answer to the benchmark's 1 KB request in each stream dialect
 * (OpenAI chat, Anthropic Messages, OpenAI Responses). No sockets: the events are taken once from the
 * demo and pushed through a fresh guard per answer, as the relay does. Best and median of 5 rounds,
 * after a warm-up; the 1-minute load average is printed beside them.
 * Env: GUARD_N (answers per dialect, default 20000).
 */
import { loadavg } from 'node:os';
import { defaultConfig } from '../src/config/index.js';
import type { DialectName } from '../src/dialects/types.js';
import type { Exchange } from '../src/gateway/exchange.js';
import { createPolicyHooks } from '../src/policy/hooks.js';
import { startDemoServer } from '../src/providers/demo/index.js';
import { createSseParser, type SseEvent } from '../src/sse/parser.js';
import { smallChat } from './bodies.js';

const N = Number(process.env.GUARD_N ?? 20000);

const chat = JSON.parse(smallChat(true)) as { messages: { role: string; content: string }[] };
const REQUESTS: [DialectName, string, unknown][] = [
  ['openai-chat', '/v1/chat/completions', { ...chat, stream_options: { include_usage: true } }],
  ['anthropic-messages', '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true, system: chat.messages[0]!.content, messages: [chat.messages[1]] }],
  ['openai-responses', '/v1/responses', { model: 'gpt-4o-mini', stream: true, instructions: chat.messages[0]!.content, input: chat.messages[1]!.content }],
];

function exchange(dialect: DialectName): Exchange {
  return {
    id: 'evt_bench', requestId: 'bench', startedAt: 0, t: { start: 0 }, configVersion: 'bench', route: '/', dialect, method: 'POST', headers: {},
    client: 'bench', principal: { kind: 'anonymous' }, rawBody: Buffer.alloc(0), body: {}, bodyEdited: false, stream: true, attempts: 0,
    policyResults: [], verdict: 'allow', conversationId: 'bench',
  } as Exchange;
}

async function main(): Promise<void> {
  const demo = await startDemoServer({ record: false });
  const answers: [DialectName, SseEvent[]][] = [];
  for (const [dialect, path, body] of REQUESTS) {
    const res = await fetch(demo.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
    const events: SseEvent[] = [];
    const p = createSseParser({ onEvent: (e) => events.push(e) });
    p.feed(Buffer.from(await res.arrayBuffer()));
    p.end();
    answers.push([dialect, events]);
  }
  await demo.close();
  const hooks = createPolicyHooks(defaultConfig().config as never);
  console.log(`\nDefault chain stream guard, CPU µs per answer (${N} answers per dialect); load average ${loadavg()[0].toFixed(2)}\n`);
  console.log('| dialect | events | best µs | median µs |');
  console.log('|---|---|---|---|');
  for (const [dialect, events] of answers) {
    let sink = 0;
    const once = () => {
      const g = hooks.streamGuard(exchange(dialect))!;
      for (const e of events) sink += g.push(e).length;
      sink += g.end().length;
    };
    for (let i = 0; i < Math.min(3000, N); i++) once();
    const rounds: number[] = [];
    for (let k = 0; k < 5; k++) {
      const c = process.cpuUsage();
      for (let i = 0; i < N / 5; i++) once();
      const d = process.cpuUsage(c);
      rounds.push((d.user + d.system) / (N / 5));
    }
    rounds.sort((a, b) => a - b);
    if (sink === 0) throw new Error('the guard emitted nothing');
    console.log(`| ${dialect} | ${events.length} | ${rounds[0]!.toFixed(0)} | ${rounds[2]!.toFixed(0)} |`);
  }
}

await main();
