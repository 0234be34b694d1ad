/**
 * Contract of the per-dialect stream text codecs the stream guard uses: which client-dialect SSE events
 * carry text or tool-argument deltas (and how to rewrite them), which events end a text channel, and
 * which carry whole texts (done events, the final response object) that must be redacted the same way.
 * Events a codec does not understand (pings, thinking and signature deltas, comments) pass untouched.
 */
import type { SseEvent } from '../sse/parser.js';

/** One text field inside a parsed event; `set` rewrites it in place before `toEvent()`. */
export interface TextRef {
  /** Stable per stream: the same channel across its delta events (`b1`, `c0:t2`, `o0:c0`). */
  channel: string;
  role: 'assistant' | 'tool_call';
  text: string;
  set(text: string): void;
}

export interface ParsedStreamEvent {
  deltas: TextRef[];
  /** Whole texts carried by this event (redacted as a unit; they do not advance a channel). */
  full: TextRef[];
  /**
   * Channels this event ends; held text must be released before it. An entry ends that channel and
   * its sub-channels (`c0` ends `c0:t1`). 'all' ends the message.
   */
  closes: string[] | 'all';
  /** Serialise after `set` calls (returns the original event when nothing changed). */
  toEvent(): SseEvent;
}

export interface StreamTextCodec {
  /** undefined: not a text-bearing or closing event; pass it through as is. */
  parse(ev: SseEvent): ParsedStreamEvent | undefined;
  /** An event carrying `text` on `channel`, shaped like `template` (that channel's last delta event). */
  synthesize(template: SseEvent, channel: string, text: string): SseEvent;
  /** Events that add a notice as new assistant text at the end of the answer (disclaimers). */
  notice?(state: { templates: Map<string, SseEvent>; maxIndex: number }, text: string): SseEvent[];
}

/** Parses an event's JSON data, or undefined for non-JSON data (`[DONE]`, comments). */
export function parseData(ev: SseEvent): Record<string, unknown> | undefined {
  const d = ev.data;
  if (d.length === 0 || (d[0] !== '{' && d.trimStart()[0] !== '{')) return undefined;
  try {
    const v = JSON.parse(d) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A TextRef over `obj[key]`, marking `dirty` when rewritten. */
export function ref(channel: string, role: TextRef['role'], obj: Record<string, unknown>, key: string, dirty: { v: boolean }): TextRef {
  const r: TextRef = {
    channel,
    role,
    text: obj[key] as string,
    set(text: string) {
      if (text !== r.text) {
        obj[key] = text;
        r.text = text;
        dirty.v = true;
      }
    },
  };
  return r;
}

export function reserialize(ev: SseEvent, data: unknown, dirty: { v: boolean }): SseEvent {
  return dirty.v ? { ...ev, data: JSON.stringify(data) } : ev;
}

/** Whether `closes` ends `channel`. */
export function closesChannel(closes: string[] | 'all', channel: string): boolean {
  if (closes === 'all') return true;
  return closes.some((c) => channel === c || channel.startsWith(c + ':'));
}
