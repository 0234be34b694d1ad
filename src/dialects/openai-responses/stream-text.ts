/**
 * OpenAI Responses stream text: `response.output_text.delta` / `response.refusal.delta` on channel
 * `o<output_index>:c<content_index>`, `response.function_call_arguments.delta` /
 * `response.custom_tool_call_input.delta` on `o<output_index>`. The `.done` events, `content_part.done`,
 * `output_item.done` and the final `response.completed|incomplete|failed` object repeat whole texts:
 * they end channels and their texts are redacted whole. Reasoning items (encrypted) are never touched.
 */
import type { SseEvent } from '../../sse/parser.js';
import { isRecord } from '../segments.js';
import { framed, learnFrame, parseData, ref, reserialize, type ParsedStreamEvent, type StreamMemo, type StreamTextCodec, type TextRef } from '../stream-text.js';

type Dirty = { v: boolean };

function itemRefs(item: unknown, oi: number, dirty: Dirty, into: TextRef[]): void {
  if (!isRecord(item)) return;
  if (item.type === 'message' && Array.isArray(item.content)) {
    item.content.forEach((p, ci) => {
      if (!isRecord(p)) return;
      if (typeof p.text === 'string') into.push(ref(`o${oi}:c${ci}`, 'assistant', p, 'text', dirty));
      else if (typeof p.refusal === 'string') into.push(ref(`o${oi}:c${ci}`, 'assistant', p, 'refusal', dirty));
    });
  } else if (item.type === 'function_call' && typeof item.arguments === 'string') into.push(ref(`o${oi}`, 'tool_call', item, 'arguments', dirty));
  else if (item.type === 'custom_tool_call' && typeof item.input === 'string') into.push(ref(`o${oi}`, 'tool_call', item, 'input', dirty));
}

/** Per-event members the codec does not read: the event counter and OpenAI's side-channel padding. */
const HOLES = ['sequence_number', 'obfuscation'];

function parse(ev: SseEvent, memo?: StreamMemo): ParsedStreamEvent | undefined {
  const known = framed(ev, memo);
  if (known) return known;
  const data = parseData(ev);
  if (!data || typeof data.type !== 'string') return undefined;
  const dirty: Dirty = { v: false };
  const out: ParsedStreamEvent = { deltas: [], full: [], closes: [], toEvent: () => reserialize(ev, data, dirty) };
  const oi = Number(data.output_index ?? 0);
  const part = `o${oi}:c${String(data.content_index ?? 0)}`;
  switch (data.type) {
    case 'response.output_text.delta':
    case 'response.refusal.delta':
      if (typeof data.delta !== 'string') return undefined;
      out.deltas.push(ref(part, 'assistant', data, 'delta', dirty));
      learnFrame(ev, memo, data, out, HOLES);
      return out;
    case 'response.function_call_arguments.delta':
    case 'response.custom_tool_call_input.delta':
      if (typeof data.delta !== 'string') return undefined;
      out.deltas.push(ref(`o${oi}`, 'tool_call', data, 'delta', dirty));
      learnFrame(ev, memo, data, out, HOLES);
      return out;
    case 'response.output_text.done':
      out.closes = [part];
      if (typeof data.text === 'string') out.full.push(ref(part, 'assistant', data, 'text', dirty));
      return out;
    case 'response.refusal.done':
      out.closes = [part];
      if (typeof data.refusal === 'string') out.full.push(ref(part, 'assistant', data, 'refusal', dirty));
      return out;
    case 'response.content_part.done':
      out.closes = [part];
      if (isRecord(data.part) && typeof data.part.text === 'string') out.full.push(ref(part, 'assistant', data.part, 'text', dirty));
      return out;
    case 'response.function_call_arguments.done':
      out.closes = [`o${oi}`];
      if (typeof data.arguments === 'string') out.full.push(ref(`o${oi}`, 'tool_call', data, 'arguments', dirty));
      return out;
    case 'response.custom_tool_call_input.done':
      out.closes = [`o${oi}`];
      if (typeof data.input === 'string') out.full.push(ref(`o${oi}`, 'tool_call', data, 'input', dirty));
      return out;
    case 'response.output_item.done':
      out.closes = [`o${oi}`];
      itemRefs(data.item, oi, dirty, out.full);
      return out;
    case 'response.completed':
    case 'response.incomplete':
    case 'response.failed':
    case 'error':
      out.closes = 'all';
      if (isRecord(data.response) && Array.isArray(data.response.output)) data.response.output.forEach((it, i) => itemRefs(it, i, dirty, out.full));
      return out;
    default:
      return undefined;
  }
}

function synthesize(template: SseEvent, channel: string, text: string): SseEvent {
  const data = parseData(template) ?? {};
  return { ...template, data: JSON.stringify({ ...data, delta: text }) };
}

export const openaiResponsesStreamText: StreamTextCodec = { parse, synthesize };
