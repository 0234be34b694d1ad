/**
 * Anthropic Messages stream text: `content_block_delta` with `text_delta` (assistant text) or
 * `input_json_delta` (tool input JSON) on channel `b<index>`; `content_block_stop` ends a channel,
 * `message_delta` / `message_stop` / `error` end the message. `thinking_delta` and `signature_delta`
 * are signed content and pass untouched.
 */
import type { SseEvent } from '../../sse/parser.js';
import { isRecord } from '../segments.js';
import { framed, learnFrame, parseData, ref, reserialize, type ParsedStreamEvent, type StreamMemo, type StreamTextCodec } from '../stream-text.js';

function parse(ev: SseEvent, memo?: StreamMemo): ParsedStreamEvent | undefined {
  const known = framed(ev, memo);
  if (known) return known;
  const data = parseData(ev);
  if (!data) return undefined;
  const dirty = { v: false };
  const out: ParsedStreamEvent = { deltas: [], full: [], closes: [], toEvent: () => reserialize(ev, data, dirty) };
  switch (data.type) {
    case 'content_block_delta': {
      const d = data.delta;
      if (!isRecord(d)) return undefined;
      const ch = `b${String(data.index)}`;
      if (d.type === 'text_delta' && typeof d.text === 'string') out.deltas.push(ref(ch, 'assistant', d, 'text', dirty));
      else if (d.type === 'input_json_delta' && typeof d.partial_json === 'string') out.deltas.push(ref(ch, 'tool_call', d, 'partial_json', dirty));
      else return undefined;
      learnFrame(ev, memo, data, out);
      return out;
    }
    case 'content_block_start': {
      const b = data.content_block;
      // A start normally carries empty text; scan it whole when it does not.
      if (isRecord(b) && b.type === 'text' && typeof b.text === 'string' && b.text) out.full.push(ref(`b${String(data.index)}`, 'assistant', b, 'text', dirty));
      return out.full.length ? out : undefined;
    }
    case 'content_block_stop':
      out.closes = [`b${String(data.index)}`];
      return out;
    case 'message_delta':
    case 'message_stop':
    case 'error':
      out.closes = 'all';
      return out;
    default:
      return undefined;
  }
}

function synthesize(template: SseEvent, channel: string, text: string): SseEvent {
  const data = parseData(template) ?? {};
  const index = Number(channel.slice(1));
  const d = isRecord(data.delta) ? data.delta : { type: 'text_delta' };
  const delta = d.type === 'input_json_delta' ? { type: 'input_json_delta', partial_json: text } : { type: 'text_delta', text };
  return { event: template.event ?? 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index, delta }) };
}

/** A notice is a new text block after the last one: earlier blocks are already closed by then. */
function notice(state: { maxIndex: number }, text: string): SseEvent[] {
  const index = state.maxIndex + 1;
  return [
    { event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }) },
    { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }) },
    { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index }) },
  ];
}

export const anthropicStreamText: StreamTextCodec = { parse, synthesize, notice };
