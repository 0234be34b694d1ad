/**
 * Property: for random upstream answers (text with multi-byte characters, 0–3 tool calls whose
 * arguments arrive in random pieces — interleaved across calls in half the chat streams, as some
 * OpenAI-compatible servers send them) rendered in each upstream dialect, every translator pair gives
 * the same client events however the bytes are chunked, the client-side fold of those events equals
 * the generated answer, and sequential dialects (Anthropic blocks, Responses items) never get a delta
 * for a block or item that was already closed. Seeded PRNG, so a failure names a reproducible seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DialectName } from '../../src/dialects/types.js';
import { getTranslator, listPairs } from '../../src/translate/registry.js';
import { normalise, payloads, prng, runStream, sse } from '../../src/translate/stream-harness.js';

interface Answer {
  text: string[];
  tools: Array<{ id: string; name: string; pieces: string[] }>;
}

const WORDS = ['const', ' x', ' = ', '"é"', ';\n', '🌍', ' 名前', '\\n', '{', '}', ' ok', ' data: ', '\r\n'];

function randomAnswer(rnd: () => number): Answer {
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
  const text = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(WORDS) + pick(WORDS));
  const tools = Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => {
    const args = JSON.stringify({ path: `src/${pick(WORDS)}.ts`, n: Math.floor(rnd() * 100), flag: rnd() > 0.5 });
    const pieces: string[] = [];
    for (let at = 0; at < args.length; ) {
      const len = 1 + Math.floor(rnd() * 12);
      pieces.push(args.slice(at, at + len));
      at += len;
    }
    return { id: `call_${i}x`, name: pick(['read_file', 'grep', 'shell']), pieces };
  });
  return { text, tools };
}

function chatUpstream(a: Answer, rnd: () => number): string {
  const c = (delta: unknown, finish: string | null = null) => [undefined, { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] }] as [undefined, unknown];
  const open = (t: Answer['tools'][number], index: number) => ({ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } });
  let toolChunks: Array<[undefined, unknown]>;
  if (a.tools.length > 1 && rnd() < 0.5) {
    // Interleaved: every call opened in one chunk, then pieces of the calls in a random order
    // (each call's own pieces stay in order).
    const next = a.tools.map(() => 0);
    toolChunks = [c({ tool_calls: a.tools.map(open) })];
    for (let left = a.tools.reduce((n, t) => n + t.pieces.length, 0); left > 0; left--) {
      const ready = a.tools.map((t, i) => i).filter((i) => next[i] < a.tools[i].pieces.length);
      const index = ready[Math.floor(rnd() * ready.length)];
      toolChunks.push(c({ tool_calls: [{ index, function: { arguments: a.tools[index].pieces[next[index]++] } }] }));
    }
  } else {
    toolChunks = a.tools.flatMap((t, index) => [c({ tool_calls: [open(t, index)] }), ...t.pieces.map((p) => c({ tool_calls: [{ index, function: { arguments: p } }] }))]);
  }
  return sse([
    c({ role: 'assistant', content: '' }),
    ...a.text.map((t) => c({ content: t })),
    ...toolChunks,
    c({}, a.tools.length ? 'tool_calls' : 'stop'),
    [undefined, { id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59 } }],
    [undefined, '[DONE]'],
  ]);
}

function anthropicUpstream(a: Answer): string {
  const ev = (type: string, body: Record<string, unknown>) => [type, { type, ...body }] as [string, unknown];
  const n = a.tools.length;
  return sse([
    ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 50, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...a.text.map((text) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    ev('content_block_stop', { index: 0 }),
    ...a.tools.flatMap((t, i) => [
      ev('content_block_start', { index: i + 1, content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} } }),
      ...t.pieces.map((partial_json) => ev('content_block_delta', { index: i + 1, delta: { type: 'input_json_delta', partial_json } })),
      ev('content_block_stop', { index: i + 1 }),
    ]),
    ev('message_delta', { delta: { stop_reason: n ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }),
    ev('message_stop', {}),
  ]);
}

function responsesUpstream(a: Answer): string {
  let seq = 0;
  const ev = (type: string, body: Record<string, unknown>) => [type, { type, sequence_number: seq++, ...body }] as [string, unknown];
  const full = a.text.join('');
  return sse([
    ev('response.created', { response: { id: 'resp_1', status: 'in_progress', model: 'm', output: [] } }),
    ev('response.output_item.added', { output_index: 0, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } }),
    ...a.text.map((delta) => ev('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta })),
    ev('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text: full }),
    ev('response.output_item.done', { output_index: 0, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: full }] } }),
    ...a.tools.flatMap((t, i) => [
      ev('response.output_item.added', { output_index: i + 1, item: { id: `fc_${i}`, type: 'function_call', call_id: t.id, name: t.name, arguments: '' } }),
      ...t.pieces.map((delta) => ev('response.function_call_arguments.delta', { item_id: `fc_${i}`, output_index: i + 1, delta })),
      ev('response.function_call_arguments.done', { item_id: `fc_${i}`, output_index: i + 1, arguments: t.pieces.join('') }),
    ]),
    ev('response.completed', { response: { id: 'resp_1', status: 'completed', model: 'm', output: [], usage: { input_tokens: 50, output_tokens: 9, input_tokens_details: { cached_tokens: 0 } } } }),
  ]);
}

const UPSTREAM: Partial<Record<DialectName, (a: Answer, rnd: () => number) => string>> = {
  'openai-chat': chatUpstream,
  'anthropic-messages': anthropicUpstream,
  'openai-responses': responsesUpstream,
};

const REQUEST: Partial<Record<DialectName, Record<string, unknown>>> = {
  'openai-chat': { model: 'm', stream: true, messages: [{ role: 'user', content: 'q' }] },
  'anthropic-messages': { model: 'm', stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'q' }] },
  'openai-responses': { model: 'm', stream: true, input: 'q' },
  'openai-completions': { model: 'm', stream: true, prompt: 'q' },
};

/** What a client of each dialect reconstructs from the events: the text and [name, arguments] per call. */
function fold(client: DialectName, events: ReturnType<typeof runStream>): { text: string; tools: string[][] } {
  let text = '';
  const tools: string[][] = [];
  let open: number | undefined; // the Anthropic block / Responses item being streamed
  for (const p of payloads(events)) {
    if (client === 'openai-chat' || client === 'openai-completions') {
      const c = p.choices?.[0];
      text += c?.delta?.content ?? c?.text ?? '';
      for (const tc of c?.delta?.tool_calls ?? []) {
        tools[tc.index] ??= ['', ''];
        if (tc.function?.name) tools[tc.index][0] = tc.function.name;
        tools[tc.index][1] += tc.function?.arguments ?? '';
      }
    } else if (client === 'anthropic-messages') {
      if (p.type === 'content_block_start') {
        assert.equal(open, undefined, `block ${p.index} started while block ${open} is open`);
        open = p.index;
      }
      if (p.type === 'content_block_delta') assert.equal(p.index, open, `delta for block ${p.index} while block ${open} is open`);
      if (p.type === 'content_block_stop') open = undefined;
      if (p.type === 'content_block_start' && p.content_block.type === 'tool_use') tools[p.index] = [p.content_block.name, ''];
      if (p.type === 'content_block_delta' && p.delta.type === 'text_delta') text += p.delta.text;
      if (p.type === 'content_block_delta' && p.delta.type === 'input_json_delta') tools[p.index][1] += p.delta.partial_json;
    } else if (client === 'openai-responses') {
      if (p.type === 'response.output_item.added') {
        assert.equal(open, undefined, `item ${p.output_index} added while item ${open} is open`);
        open = p.output_index;
      }
      if (p.type.endsWith('.delta')) assert.equal(p.output_index, open, `${p.type} for item ${p.output_index} while item ${open} is open`);
      if (p.type === 'response.function_call_arguments.done') assert.equal(p.arguments, tools[p.output_index][1], 'done carries every delta');
      if (p.type === 'response.output_item.done') open = undefined;
      if (p.type === 'response.output_item.added' && p.item.type === 'function_call') tools[p.output_index] = [p.item.name, ''];
      if (p.type === 'response.output_text.delta') text += p.delta;
      if (p.type === 'response.function_call_arguments.delta') tools[p.output_index][1] += p.delta;
    }
  }
  return { text, tools: tools.filter(Boolean) };
}

describe('property: random upstream answers and random chunk boundaries', () => {
  for (const { from, to } of listPairs()) {
    const render = UPSTREAM[to];
    if (!render) continue;
    it(`${from} → ${to}`, () => {
      for (let seed = 1; seed <= 25; seed++) {
        const rnd = prng(seed * 7919);
        const answer = randomAnswer(rnd);
        const raw = new TextEncoder().encode(render(answer, rnd));
        const make = () => {
          const tr = getTranslator(from, to)!;
          tr.request(REQUEST[from]);
          return tr;
        };
        const whole = runStream(make(), raw);
        for (let round = 0; round < 8; round++) {
          const cuts = Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => 1 + Math.floor(rnd() * (raw.length - 1)));
          assert.deepEqual(normalise(runStream(make(), raw, cuts)), normalise(whole), `seed ${seed}, cuts ${cuts}`);
        }
        const got = fold(from, whole);
        assert.equal(got.text, answer.text.join(''), `seed ${seed}: text`);
        const expectTools = from === 'openai-completions' ? [] : answer.tools.map((t) => [t.name, t.pieces.join('')]);
        assert.deepEqual(got.tools, expectTools, `seed ${seed}: tool calls`);
      }
    });
  }
});
