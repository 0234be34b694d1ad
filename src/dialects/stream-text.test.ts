/**
 * Frames (stream-text.ts): a delta event read from a known frame of its stream must give the guard the
 * same text, and after a rewrite the client the same event, as a full parse of that event does — for
 * any string body, including ones crafted to look like the frame while changing the event's structure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SseEvent } from '../sse/parser.js';
import { anthropicStreamText } from './anthropic-messages/stream-text.js';
import { openaiChatStreamText } from './openai-chat/stream-text.js';
import { openaiCompletionsStreamText } from './openai-completions/stream-text.js';
import { openaiResponsesStreamText } from './openai-responses/stream-text.js';
import type { StreamMemo, StreamTextCodec } from './stream-text.js';

const chat = (body: string): SseEvent => ({
  data: `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${body}"},"logprobs":null,"finish_reason":null}]}`,
});
const chatArgs = (body: string): SseEvent => ({ data: `{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"${body}"}}]},"finish_reason":null}]}` });
const anthropic = (body: string): SseEvent => ({ event: 'content_block_delta', data: `{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"${body}"}}` });
/** Hole values: members that change per event (the codec never reads them), crafted ones included. */
const SEQS = ['4', '17', '123456', '1e3', '-1', '0.5', '01', '"7"', 'null', '4,"delta":"sk-x"'];
const OBFS = ['"abc"', '"Kr\\u0041f"', '"a\\"b"', '""', '"x","delta":"sk-proj-secret"', '"\\"', '12', 'true', '"bad\\x"', '"raw\u0001"'];
let n = 0;
const responses = (body: string): SseEvent => {
  const seq = SEQS[n % SEQS.length]!;
  const obf = OBFS[n++ % OBFS.length]!;
  return { event: 'response.output_text.delta', data: `{"type":"response.output_text.delta","sequence_number":${seq},"item_id":"msg_1","output_index":0,"content_index":0,"delta":"${body}","logprobs":[],"obfuscation":${obf}}` };
};
const responsesSorted = (body: string): SseEvent => {
  const obf = OBFS[n % OBFS.length]!;
  const seq = SEQS[n++ % SEQS.length]!;
  return { data: `{"type":"response.function_call_arguments.delta","delta":"${body}","item_id":"fc_1","obfuscation":${obf},"output_index":1,"sequence_number":${seq}}` };
};
const chatObfuscated = (body: string): SseEvent => ({
  data: `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${body}"},"finish_reason":null}],"obfuscation":${OBFS[n++ % OBFS.length]}}`,
});
const completions = (body: string): SseEvent => ({ data: `{"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":"${body}","finish_reason":null}]}` });

/** String bodies as they sit between the quotes in the event's bytes: plain, escaped, and crafted. */
const BODIES = [
  'Hello', '', ' wor', 'ld.', 'a \\"quoted\\" word', 'back\\\\slash\\\\', 'line\\nbreak\\ttab', '\\u00e9t\\u00e9 \\ud83d\\ude00', 'été 😀',
  'sk-', 'x\\\\\\"y', '\\/path',
  // Crafted: an unescaped quote or a trailing escape would change the event's structure.
  'x","content":"sk-proj-secret', 'x"},"delta":{"content":"y', 'ends in \\', 'x\\\\"', 'raw\ncontrol', '"', '\\',
];

function viaFull(codec: StreamTextCodec, ev: SseEvent, rewrite: (t: string) => string) {
  let parsed;
  try {
    parsed = codec.parse(ev);
  } catch {
    return 'throws';
  }
  if (!parsed) return undefined;
  const texts = parsed.deltas.map((r) => ({ channel: r.channel, role: r.role, text: r.text }));
  for (const r of parsed.deltas) r.set(rewrite(r.text));
  return { texts, closes: parsed.closes, out: parsed.toEvent() };
}

function viaMemo(codec: StreamTextCodec, memo: StreamMemo, ev: SseEvent, rewrite: (t: string) => string) {
  let parsed;
  try {
    parsed = codec.parse(ev, memo);
  } catch {
    return 'throws';
  }
  if (!parsed) return undefined;
  const texts = parsed.deltas.map((r) => ({ channel: r.channel, role: r.role, text: r.text }));
  for (const r of parsed.deltas) r.set(rewrite(r.text));
  return { texts, closes: parsed.closes, out: parsed.toEvent() };
}

const sameEvent = (a: unknown, b: unknown, msg: string) => {
  if (typeof a !== 'object' || !a || typeof b !== 'object' || !b) return assert.deepEqual(a, b, msg);
  const x = a as { texts: unknown; closes: unknown; out: SseEvent };
  const y = b as { texts: unknown; closes: unknown; out: SseEvent };
  assert.deepEqual(x.texts, y.texts, msg);
  assert.deepEqual(x.closes, y.closes, msg);
  assert.equal(x.out.event, y.out.event, msg);
  assert.deepEqual(JSON.parse(x.out.data), JSON.parse(y.out.data), msg);
};

const CASES: [string, StreamTextCodec, (b: string) => SseEvent][] = [
  ['openai-chat', openaiChatStreamText, chat],
  ['openai-chat tool arguments', openaiChatStreamText, chatArgs],
  ['anthropic-messages', anthropicStreamText, anthropic],
  ['openai-completions', openaiCompletionsStreamText, completions],
  ['openai-responses (per-event sequence_number and obfuscation)', openaiResponsesStreamText, responses],
  ['openai-responses tool arguments, members in another order', openaiResponsesStreamText, responsesSorted],
  ['openai-chat with obfuscation', openaiChatStreamText, chatObfuscated],
];

for (const [name, codec, make] of CASES) {
  test(`${name}: events read through the stream's frame equal their full parse, for every body`, () => {
    for (const rewrite of [(t: string) => t, (t: string) => t.slice(0, 2), (t: string) => `[REDACTED:"${t.length}"]\\`]) {
      const memo: StreamMemo = {};
      for (const first of ['Hi', ...BODIES]) {
        // Learn the frame from one event, then read every body through it.
        viaMemo(codec, memo, make(first), rewrite);
        for (const body of BODIES) {
          const ev = make(body);
          sameEvent(viaMemo(codec, memo, ev, rewrite), viaFull(codec, ev, rewrite), `${name} after ${JSON.stringify(first)}: ${JSON.stringify(body)}`);
          // Trailing bytes: whitespace JSON.parse accepts, anything else it refuses.
          for (const tail of [' \n', ' }', 'x']) {
            const t = { ...ev, data: ev.data + tail };
            sameEvent(viaMemo(codec, memo, t, rewrite), viaFull(codec, t, rewrite), `${name}: ${JSON.stringify(body)} + ${JSON.stringify(tail)}`);
          }
        }
      }
      assert.ok(memo.frames?.some((f) => f.hits > 0), 'events were read through a learned frame');
    }
  });
}

test('an unchanged event read through a frame is the same event object, bytes untouched', () => {
  const memo: StreamMemo = {};
  openaiChatStreamText.parse(chat('Hello'), memo);
  const ev = chat('\\u00e9t\\u00e9');
  const parsed = openaiChatStreamText.parse(ev, memo)!;
  assert.equal(parsed.deltas[0]!.text, 'été');
  assert.equal(parsed.toEvent(), ev);
});

test('JSON not written as JSON.stringify writes it gets no frame and is parsed whole each time', () => {
  const memo: StreamMemo = {};
  const spaced = (body: string): SseEvent => ({ data: `{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "${body}"}}` });
  for (const b of ['one', 'two', 'three', 'four', 'five']) {
    const p = anthropicStreamText.parse(spaced(b), memo)!;
    assert.equal(p.deltas[0]!.text, b);
    p.deltas[0]!.set(b.toUpperCase());
    assert.equal(JSON.parse(p.toEvent().data).delta.text, b.toUpperCase());
  }
  assert.equal(memo.frames, undefined);
});
