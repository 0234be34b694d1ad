/**
 * OpenAI chat stream text: in each chunk, `choices[i].delta.content` (channel `c<i>`), `.refusal`
 * (`c<i>:r`) and `tool_calls[].function.arguments` (`c<i>:t<index>`). A chunk with `finish_reason` ends
 * that choice's channels; `[DONE]` ends the message.
 */
import type { SseEvent } from '../../sse/parser.js';
import { isRecord } from '../segments.js';
import { framed, learnFrame, parseData, ref, reserialize, type ParsedStreamEvent, type StreamMemo, type StreamTextCodec } from '../stream-text.js';

/** Per-chunk members the codec does not read (OpenAI's side-channel padding). */
const HOLES = ['obfuscation'];

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
    const delta = choice.delta;
    if (isRecord(delta)) {
      if (typeof delta.content === 'string') out.deltas.push(ref(c, 'assistant', delta, 'content', dirty));
      if (typeof delta.refusal === 'string') out.deltas.push(ref(`${c}:r`, 'assistant', delta, 'refusal', dirty));
      if (Array.isArray(delta.tool_calls))
        for (const tc of delta.tool_calls)
          if (isRecord(tc) && isRecord(tc.function) && typeof tc.function.arguments === 'string')
            out.deltas.push(ref(`${c}:t${String(tc.index ?? 0)}`, 'tool_call', tc.function, 'arguments', dirty));
    }
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) closes.push(c);
  }
  out.closes = closes;
  if (!out.deltas.length && !closes.length) return undefined;
  learnFrame(ev, memo, data, out, HOLES);
  return out;
}

function synthesize(template: SseEvent, channel: string, text: string): SseEvent {
  const data = parseData(template) ?? {};
  const m = /^c(\d+)(?::(r)|:t(\d+))?$/.exec(channel);
  const index = Number(m?.[1] ?? 0);
  let delta: Record<string, unknown>;
  if (m?.[3] !== undefined) delta = { tool_calls: [{ index: Number(m[3]), function: { arguments: text } }] };
  else if (m?.[2]) delta = { refusal: text };
  else delta = { content: text };
  const { choices: _c, usage: _u, ...rest } = data;
  return { ...template, data: JSON.stringify({ ...rest, choices: [{ index, delta, finish_reason: null }] }) };
}

/** The notice continues the first choice's text, set apart as in buffered answers (policy/notice.ts). */
function notice(state: { templates: Map<string, SseEvent> }, text: string): SseEvent[] {
  const template = state.templates.get('c0');
  return template ? [synthesize(template, 'c0', '\n\n' + text)] : [];
}

export const openaiChatStreamText: StreamTextCodec = { parse, synthesize, notice };
