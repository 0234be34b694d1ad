/** Legacy completions stream text: `choices[i].text` on channel `c<i>`; `finish_reason` ends it, `[DONE]` ends the stream. */
import type { SseEvent } from '../../sse/parser.js';
import { isRecord } from '../segments.js';
import { framed, learnFrame, parseData, ref, reserialize, type ParsedStreamEvent, type StreamMemo, type StreamTextCodec } from '../stream-text.js';

function parse(ev: SseEvent, memo?: StreamMemo): ParsedStreamEvent | undefined {
  const known = framed(ev, memo);
  if (known) return known;
  if (ev.data.trim() === '[DONE]') return { deltas: [], full: [], closes: 'all', toEvent: () => ev };
  const data = parseData(ev);
  if (!data || !Array.isArray(data.choices)) return undefined;
  const dirty = { v: false };
  const out: ParsedStreamEvent = { deltas: [], full: [], closes: [], toEvent: () => reserialize(ev, data, dirty) };
  const closes: string[] = [];
  for (const choice of data.choices) {
    if (!isRecord(choice)) continue;
    const c = `c${String(choice.index ?? 0)}`;
    if (typeof choice.text === 'string') out.deltas.push(ref(c, 'assistant', choice, 'text', dirty));
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) closes.push(c);
  }
  out.closes = closes;
  if (!out.deltas.length && !closes.length) return undefined;
  learnFrame(ev, memo, data, out);
  return out;
}

function synthesize(template: SseEvent, channel: string, text: string): SseEvent {
  const data = parseData(template) ?? {};
  const { choices: _c, usage: _u, ...rest } = data;
  return { ...template, data: JSON.stringify({ ...rest, choices: [{ index: Number(channel.slice(1)), text, finish_reason: null }] }) };
}

/** The notice continues the first choice's text, set apart as in buffered answers (policy/notice.ts). */
function notice(state: { templates: Map<string, import('../../sse/parser.js').SseEvent> }, text: string) {
  const t = state.templates.get('c0');
  return t ? [synthesize(t, 'c0', '\n\n' + text)] : [];
}

export const openaiCompletionsStreamText: StreamTextCodec = { parse, synthesize, notice };
