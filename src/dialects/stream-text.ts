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
 * chunk's id, model and fingerprint repeat too), give or take members the codec never reads and that
 * change per event (a Responses `sequence_number`, OpenAI's `obfuscation` padding): the frame's holes.
 * Once a fully parsed delta event has been cut into literal pieces around its one delta string and its
 * holes, a later event made of the same pieces around a well-formed string and well-formed values
 * parses to the same structure with only those values different: the codec reads the delta from the
 * event's bytes and splices a rewrite into them, with no JSON.parse or JSON.stringify. Anything else
 * (another shape, a string with an unescaped quote, a provider whose JSON is not written as
 * JSON.stringify writes it) takes the full parse.
 */
export interface StreamMemo {
  frames?: Frame[];
  /** Frames learned and dropped without ever matching; learning stops at MAX_UNUSED (shapes that never repeat). */
  unused?: number;
}

const TEXT = 0;
const VALUE = 1;

interface Frame {
  /** Literal pieces of the event's text, and holes: TEXT (the delta string) and VALUE (a per-event member value). */
  parts: (string | typeof TEXT | typeof VALUE)[];
  channel: string;
  role: TextRef['role'];
  hits: number;
}

const MAX_FRAMES = 4;
const MAX_UNUSED = 3;
/** Stand in for the holes while a frame is learned; a NUL cannot appear unescaped in JSON text. */
const marker = (i: number) => `\u0000kt-frame-${i}\u0000`;
const CONTROL = /[\u0000-\u001f]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

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

/** End of the string or number token at `i` (strings: after the first quote no odd run of backslashes escapes), or -1. */
function tokenEnd(d: string, i: number): number {
  if (d.charCodeAt(i) === 34) {
    let j = d.indexOf('"', i + 1);
    while (j > 0) {
      let k = j - 1;
      while (d.charCodeAt(k) === 92) k--;
      if ((j - 1 - k) % 2 === 0) return j + 1;
      j = d.indexOf('"', j + 1);
    }
    return -1;
  }
  let j = i;
  for (let c = d.charCodeAt(j); (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 69 || c === 101; c = d.charCodeAt(++j));
  return j > i ? j : -1;
}

/** The delta string's token [start, end) and its text when `d` is made of the frame's parts, else undefined. */
function match(d: string, parts: Frame['parts']): { start: number; end: number; text: string } | undefined {
  let pos = 0;
  let start = -1;
  let end = -1;
  for (const p of parts) {
    if (typeof p === 'string') {
      // Slices compared with ===, not startsWith: V8's startsWith walks a long prefix several times slower.
      if (d.slice(pos, pos + p.length) !== p) return undefined;
      pos += p.length;
      continue;
    }
    const e = tokenEnd(d, pos);
    if (e < 0) return undefined;
    if (p === TEXT) {
      if (d.charCodeAt(pos) !== 34) return undefined;
      [start, end] = [pos, e];
    } else if (d.charCodeAt(pos) === 34 ? stringBody(d.slice(pos + 1, e - 1)) === undefined : !NUMBER.test(d.slice(pos, e))) return undefined;
    pos = e;
  }
  if (pos !== d.length || start < 0) return undefined;
  const text = stringBody(d.slice(start + 1, end - 1));
  return text === undefined ? undefined : { start, end, text };
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
  for (const f of frames) {
    const m = match(ev.data, f.parts);
    if (!m) continue;
    f.hits++;
    return new FramedEvent(ev, m.start, m.end, new FramedRef(f.channel, f.role, m.text));
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
    private readonly start: number,
    private readonly end: number,
    private readonly ref: FramedRef,
  ) {
    this.deltas = [ref];
  }
  toEvent(): SseEvent {
    if (!this.ref.changed) return this.ev;
    const d = this.ev.data;
    return { ...this.ev, data: d.slice(0, this.start) + JSON.stringify(this.ref.text) + d.slice(this.end) };
  }
}

/**
 * After a full parse (before any `set`): when the event carried exactly one delta and nothing else,
 * remember its frame — if JSON.stringify of the parsed data gives back the event's own bytes around it.
 * `holes`: top-level members whose values change per event and that the codec does not read.
 */
export function learnFrame(ev: SseEvent, memo: StreamMemo | undefined, data: Record<string, unknown>, parsed: ParsedStreamEvent, holes: readonly string[] = []): void {
  if (!memo || (memo.unused ?? 0) >= MAX_UNUSED) return;
  if (parsed.deltas.length !== 1 || parsed.full.length || parsed.closes.length) return;
  const r = parsed.deltas[0];
  // An empty delta is usually a stream's opening chunk (OpenAI's role chunk), whose frame never repeats.
  if (!(r instanceof ObjectRef) || r.text === '') return;
  const orig = r.obj[r.key];
  const saved: [string, unknown][] = [];
  let t: string;
  try {
    r.obj[r.key] = marker(0);
    for (const k of holes) {
      const v = data[k];
      if (Object.hasOwn(data, k) && (typeof v === 'string' || typeof v === 'number')) {
        saved.push([k, v]);
        data[k] = marker(saved.length);
      }
    }
    t = JSON.stringify(data);
  } finally {
    r.obj[r.key] = orig;
    for (const [k, v] of saved) data[k] = v;
  }
  const at: [number, number, typeof TEXT | typeof VALUE][] = [];
  for (let i = 0; i <= saved.length; i++) {
    const m = JSON.stringify(marker(i));
    const p = t.indexOf(m);
    if (p < 0 || t.indexOf(m, p + 1) >= 0) return;
    at.push([p, m.length, i === 0 ? TEXT : VALUE]);
  }
  at.sort((a, b) => a[0] - b[0]);
  const parts: Frame['parts'] = [];
  let pos = 0;
  for (const [p, len, kind] of at) {
    if (p > pos) parts.push(t.slice(pos, p));
    parts.push(kind);
    pos = p + len;
  }
  if (pos < t.length) parts.push(t.slice(pos));
  if (match(ev.data, parts)?.text !== orig) {
    memo.unused = (memo.unused ?? 0) + 1;
    return;
  }
  const frames = (memo.frames ??= []);
  if (frames.length >= MAX_FRAMES) {
    if (frames.shift()!.hits === 0) memo.unused = (memo.unused ?? 0) + 1;
  }
  frames.push({ parts, channel: r.channel, role: r.role, hits: 0 });
}
