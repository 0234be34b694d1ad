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
  /**
   * undefined: not a text-bearing or closing event; pass it through as is. `memo` is one per stream
   * (the guard's): it lets a codec read the next delta of a known frame without a full parse.
   */
  parse(ev: SseEvent, memo?: StreamMemo): ParsedStreamEvent | undefined;
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
  return new ObjectRef(channel, role, obj, key, dirty);
}

class ObjectRef implements TextRef {
  text: string;
  constructor(
    readonly channel: string,
    readonly role: TextRef['role'],
    readonly obj: Record<string, unknown>,
    readonly key: string,
    private readonly dirty: { v: boolean },
  ) {
    this.text = obj[key] as string;
  }
  set(text: string): void {
    if (text === this.text) return;
    this.obj[this.key] = text;
    this.text = text;
    this.dirty.v = true;
  }
}

export function reserialize(ev: SseEvent, data: unknown, dirty: { v: boolean }): SseEvent {
  return dirty.v ? { ...ev, data: JSON.stringify(data) } : ev;
}

/** Whether `closes` ends `channel`. (A loop, not `some`: called per delta, and a callback is a closure per call.) */
export function closesChannel(closes: string[] | 'all', channel: string): boolean {
  if (closes === 'all') return true;
  for (const c of closes) if (channel === c || (channel.length > c.length && channel.charCodeAt(c.length) === 58 && channel.startsWith(c))) return true;
  return false;
}

/**
 * Frames: in a stream, consecutive delta events are usually the same bytes around a different string
 * (`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"` … `"}}`; a chat
 * chunk's id, model and fingerprint repeat too). Once a fully parsed delta event has been split into
 * the text before its one delta string and the text after it, a later event made of the same two texts
 * around a well-formed string body parses to the same structure with only that string different: the
 * codec reads it from the event's bytes and splices a rewrite into them, with no JSON.parse or
 * JSON.stringify. Anything else (another shape, a body with an unescaped quote, a provider whose JSON
 * is not written as JSON.stringify writes it) takes the full parse.
 */
export interface StreamMemo {
  frames?: Frame[];
  /** Frames learned and dropped without ever matching; learning stops at MAX_UNUSED (shapes that never repeat). */
  unused?: number;
}

interface Frame {
  pre: string;
  post: string;
  channel: string;
  role: TextRef['role'];
  hits: number;
}

const MAX_FRAMES = 4;
const MAX_UNUSED = 3;
/** Replaces the delta string while learning a frame; a NUL cannot appear unescaped in JSON text. */
const MARKER = '\u0000kt-frame\u0000';
const MARKER_JSON = JSON.stringify(MARKER);
const CONTROL = /[\u0000-\u001f]/;

/** The body of a JSON string literal (between its quotes) decoded, or undefined when it is not one. */
function stringBody(body: string): string | undefined {
  if (!body.includes('\\')) return body.includes('"') || CONTROL.test(body) ? undefined : body;
  try {
    // Wrapped in quotes, it parses as one string only if no quote in it is unescaped and it does not end in an escape.
    const v = JSON.parse('"' + body + '"') as unknown;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

class FramedRef implements TextRef {
  changed = false;
  constructor(
    readonly channel: string,
    readonly role: TextRef['role'],
    public text: string,
  ) {}
  set(text: string): void {
    if (text === this.text) return;
    this.text = text;
    this.changed = true;
  }
}

/** The event read through a known frame of this stream, or undefined (parse it whole). */
export function framed(ev: SseEvent, memo: StreamMemo | undefined): ParsedStreamEvent | undefined {
  const frames = memo?.frames;
  if (!frames) return undefined;
  const d = ev.data;
  for (const f of frames) {
    // Slices compared with ===, not startsWith: V8's startsWith walks a long prefix several times slower.
    if (d.length < f.pre.length + f.post.length || d.slice(0, f.pre.length) !== f.pre || d.slice(d.length - f.post.length) !== f.post) continue;
    const text = stringBody(d.slice(f.pre.length, d.length - f.post.length));
    if (text === undefined) return undefined;
    f.hits++;
    return new FramedEvent(ev, f, new FramedRef(f.channel, f.role, text));
  }
  return undefined;
}

/** A class rather than an object with a `toEvent` arrow: one closure less per event. */
class FramedEvent implements ParsedStreamEvent {
  readonly deltas: TextRef[];
  readonly full: TextRef[] = [];
  readonly closes: string[] = [];
  constructor(
    private readonly ev: SseEvent,
    private readonly frame: Frame,
    private readonly ref: FramedRef,
  ) {
    this.deltas = [ref];
  }
  toEvent(): SseEvent {
    return this.ref.changed ? { ...this.ev, data: this.frame.pre + JSON.stringify(this.ref.text).slice(1, -1) + this.frame.post } : this.ev;
  }
}

/**
 * After a full parse (before any `set`): when the event carried exactly one delta and nothing else,
 * remember its frame — if JSON.stringify of the parsed data gives back the event's own bytes around it.
 */
export function learnFrame(ev: SseEvent, memo: StreamMemo | undefined, data: unknown, parsed: ParsedStreamEvent): void {
  if (!memo || (memo.unused ?? 0) >= MAX_UNUSED) return;
  if (parsed.deltas.length !== 1 || parsed.full.length || parsed.closes.length) return;
  const r = parsed.deltas[0];
  // An empty delta is usually a stream's opening chunk (OpenAI's role chunk), whose frame never repeats.
  if (!(r instanceof ObjectRef) || r.text === '') return;
  const orig = r.obj[r.key];
  r.obj[r.key] = MARKER;
  let t: string;
  try {
    t = JSON.stringify(data);
  } finally {
    r.obj[r.key] = orig;
  }
  const at = t.indexOf(MARKER_JSON);
  if (at < 0 || t.indexOf(MARKER_JSON, at + 1) >= 0) return;
  const pre = t.slice(0, at + 1);
  const post = t.slice(at + MARKER_JSON.length - 1);
  const d = ev.data;
  if (d.length < pre.length + post.length || d.slice(0, pre.length) !== pre || d.slice(d.length - post.length) !== post) {
    memo.unused = (memo.unused ?? 0) + 1;
    return;
  }
  const frames = (memo.frames ??= []);
  if (frames.length >= MAX_FRAMES) {
    if (frames.shift()!.hits === 0) memo.unused = (memo.unused ?? 0) + 1;
  }
  frames.push({ pre, post, channel: r.channel, role: r.role, hits: 0 });
}
