/**
 * Test support for translators (imported by the *.test.ts files beside each pair): feeds raw upstream
 * SSE bytes through the one SSE parser and a translator, whole or split at given offsets, and
 * normalises the ids/timestamps a translator has to invent so runs can be compared.
 */
import assert from 'node:assert/strict';
import { createSseParser, type SseEvent } from '../sse/parser.js';
import type { Translator } from './types.js';

/** Feed `raw` cut at `cuts` (byte offsets) and return every client event, closing events included. */
export function runStream(tr: Translator, raw: string | Uint8Array, cuts: number[] = []): SseEvent[] {
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
  const out: SseEvent[] = [];
  const parser = createSseParser({ onEvent: (ev) => out.push(...tr.streamEvent(ev)) });
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.feed(bytes.subarray(at, cut));
    at = cut;
  }
  parser.feed(bytes.subarray(at));
  parser.end();
  out.push(...tr.streamEnd());
  return out;
}

const INVENTED_ID = /\b(chatcmpl-|msg_|resp_|fc_|call_|toolu_|cmpl-|rs_)[0-9a-f]{24}\b/g;

/** Replace invented ids and clock values so two runs of the same input compare equal. */
export function normalise(events: SseEvent[]): SseEvent[] {
  return events.map((e) => ({
    ...e,
    data: e.data
      .replace(INVENTED_ID, '$1X')
      .replace(/"created":\d+/g, '"created":0')
      .replace(/"created_at":\d+/g, '"created_at":0')
      .replace(/"completed_at":\d+/g, '"completed_at":0'),
  }));
}

/** Event names as a client sees them: the `event:` field, else the JSON `type`, else the data itself. */
export function eventTypes(events: SseEvent[]): string[] {
  return events.map((e) => {
    if (e.event) return e.event;
    try {
      const j = JSON.parse(e.data) as { type?: string; object?: string; choices?: Array<{ finish_reason?: string | null; delta?: Record<string, unknown> }>; error?: unknown };
      if (j.error) return 'error';
      if (j.type) return j.type;
      const c = j.choices?.[0];
      if (!c) return 'usage';
      if (c.finish_reason) return `finish:${c.finish_reason}`;
      return Object.keys(c.delta ?? { text: 1 }).filter((k) => k !== 'role' || Object.keys(c.delta ?? {}).length === 1).join('+') || 'empty';
    } catch {
      return e.data;
    }
  });
}

/** The data of events as parsed JSON (skipping `[DONE]`). */
export function payloads(events: SseEvent[]): Array<Record<string, any>> {
  return events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Record<string, any>);
}

/** Deterministic PRNG (mulberry32) for the random-boundary property tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Turn a list of [event name, payload] into the SSE text an upstream would send. */
export function sse(events: Array<[string | undefined, unknown]>): string {
  return events.map(([ev, data]) => (ev ? `event: ${ev}\n` : '') + `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');
}

/**
 * STYLE #9: the same upstream bytes fed whole, split at every byte boundary, and split at random
 * boundaries (seeded) must give the same client events. Returns the (normalised) whole-run events.
 */
export function assertSplitInvariant(create: () => Translator, raw: string, opts: { seed?: number; rounds?: number; everyByte?: boolean } = {}): SseEvent[] {
  const bytes = new TextEncoder().encode(raw);
  const whole = normalise(runStream(create(), bytes));
  if (opts.everyByte !== false) for (let i = 1; i < bytes.length; i++) assert.deepStrictEqual(normalise(runStream(create(), bytes, [i])), whole, `split at byte ${i}`);
  const rnd = prng(opts.seed ?? 42);
  for (let r = 0; r < (opts.rounds ?? 20); r++) {
    const cuts = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => 1 + Math.floor(rnd() * (bytes.length - 1)));
    assert.deepStrictEqual(normalise(runStream(create(), bytes, cuts)), whole, `random cuts ${cuts.join(',')}`);
  }
  return whole;
}
