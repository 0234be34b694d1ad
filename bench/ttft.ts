/**
 * `node --import tsx bench/ttft.ts`: what the default chain's stream guard does to the timing of a
 * streamed answer, direct vs through kt (default chain + evidence, its own process, bench/child.ts).
 * The demo provider (in this process, so it can be scripted) sends an OpenAI chat stream with a pause
 * between deltas, as a model does, in three shapes:
 *   - token-like: each delta is a word with its leading space (" quick"), as OpenAI and Anthropic
 *     tokens mostly are: every delta ends at a word's last letter, which the guard holds (a run of
 *     value characters can still become a credential) until the next delta's space ends it;
 *   - space-ended: each delta ends with a space ("quick "): nothing is held;
 *   - mid-word: fixed 10-character cuts ("Sure, here"), most ending inside a word.
 * Reported per shape (medians over TTFT_N requests each way): time to the first text the client
 * receives (TTFT), time to the whole text, and the mean lag of each character against direct — for
 * kt core (empty chain: what the extra hop costs) and kt with the default chain.
 * Env: TTFT_N (20), TTFT_DELAY_MS (25: pause between deltas), TTFT_WORDS (40).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { startDemoServer } from '../src/providers/demo/index.js';
import { startChild } from './children.js';

const N = Number(process.env.TTFT_N ?? 20);
const DELAY = Number(process.env.TTFT_DELAY_MS ?? 25);
const WORDS = Number(process.env.TTFT_WORDS ?? 40);

const VOCAB = ['Sure,', 'the', 'gateway', 'reads', 'each', 'delta', 'of', 'the', 'answer', 'and', 'sends', 'on', 'what', 'no', 'detector', 'can', 'still', 'claim;', 'a', 'word', 'that', 'may', 'grow', 'waits', 'for', 'its', 'end.'];
const text = Array.from({ length: WORDS }, (_, i) => VOCAB[i % VOCAB.length]).join(' ');

const SHAPES: Record<string, string[]> = {
  'token-like (" word")': text.split(/(?= )/),
  'space-ended ("word ")': text.split(/(?<= )/),
  'mid-word (10-char cuts)': text.match(/.{1,10}/gs)!,
};

function chunks(deltas: string[]): string[] {
  const base = { id: 'chatcmpl-ttft', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
  const ev = (delta: object, finish: string | null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [ev({ role: 'assistant', content: '' }, null), ...deltas.map((d) => ev({ content: d }, null)), ev({}, 'stop'), 'data: [DONE]\n\n'];
}

/** Arrival time (ms after the request was sent) of each character of the answer's text. */
async function arrivals(pool: Pool): Promise<number[]> {
  const t0 = performance.now();
  const res = await pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Explain the stream guard.' }] }),
  });
  const at: number[] = [];
  let buf = '';
  for await (const c of res.body) {
    const now = performance.now() - t0;
    buf += (c as Buffer).toString('utf8');
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const data = frame.split('\n').find((l) => l.startsWith('data: '))?.slice(6);
      if (!data || data === '[DONE]') continue;
      const content = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '';
      for (let i = 0; i < content.length; i++) at.push(now);
    }
  }
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  return at;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kt-bench-ttft-'));
  const demo = await startDemoServer({ record: false, chunkDelayMs: DELAY });
  const core = await startChild('gateway', demo.url, { KT_DATA_DIR: dataDir });
  const chain = await startChild('gateway-chain', demo.url, { KT_DATA_DIR: dataDir });
  const pools = { direct: new Pool(demo.url, { connections: 1 }), core: new Pool(core.url, { connections: 1 }), chain: new Pool(chain.url, { connections: 1 }) };
  type Path = keyof typeof pools;
  const la0 = loadavg()[0];
  const rows: string[] = [];
  try {
    for (const [name, deltas] of Object.entries(SHAPES)) {
      const raw = chunks(deltas);
      const runs: Record<Path, number[][]> = { direct: [], core: [], chain: [] };
      // Warm-up, then alternate the paths so all see the same machine.
      for (let i = 0; i < N + 3; i++)
        for (const k of Object.keys(pools) as Path[]) {
          demo.script({ rawChunks: raw, when: { path: '/v1/chat/completions' } });
          const a = await arrivals(pools[k]);
          if (a.length !== text.length) throw new Error(`${name} ${k}: got ${a.length} characters, expected ${text.length}`);
          if (i >= 3) runs[k].push(a);
        }
      const perChar = (k: Path) => Array.from({ length: text.length }, (_, i) => median(runs[k].map((r) => r[i]!)));
      const d = perChar('direct');
      for (const k of ['core', 'chain'] as const) {
        const v = perChar(k);
        const lag = v.reduce((s, x, i) => s + (x - d[i]!), 0) / text.length;
        const label = k === 'core' ? 'kt core (empty chain)' : 'kt default chain + evidence';
        rows.push(`| ${name} | ${deltas.length} | ${label} | ${d[0]!.toFixed(1)} | ${v[0]!.toFixed(1)} | **${(v[0]! - d[0]!).toFixed(1)}** | ${d.at(-1)!.toFixed(1)} | ${v.at(-1)!.toFixed(1)} | ${lag.toFixed(1)} |`);
        process.stderr.write(rows.at(-1) + '\n');
      }
    }
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.close()));
    await Promise.all([core.stop(), chain.stop()]);
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nOpenAI chat stream, ${WORDS} words, ${DELAY} ms between deltas, medians of ${N} requests each way; load average ${la0.toFixed(2)} → ${loadavg()[0].toFixed(2)}\n`);
  console.log('| deltas | count | through | TTFT direct ms | TTFT through ms | added | whole text direct ms | through ms | mean lag per character ms |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
