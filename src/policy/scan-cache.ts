/**
 * Scan results by content. A coding-assistant conversation re-sends every earlier message on each turn,
 * so turn N+1 only needs to scan what is new: a segment whose text was seen before reuses the detections
 * of every (policy, detector, role) that scanned it (offsets only). Keys are the texts themselves, one
 * entry per text shared by all scanners: V8 hashes a string once and compares candidates with memcmp,
 * cheaper than a cryptographic digest of an 800 KB body on every turn, and one lookup per segment
 * instead of one per policy. The cache lives in process memory only (never logged, never persisted)
 * and is bounded by total characters, least recently used first out.
 */
import type { Detection } from '../detect/types.js';

export interface ScanCache {
  /** `holder` (the segment object) lets later policies of the same request skip the text lookup. */
  get(space: string, text: string, holder?: object): readonly Detection[] | undefined;
  set(space: string, text: string, value: readonly Detection[], holder?: object): void;
  /**
   * Binds this request's segments to their cache entries. With a conversation id, a segment whose
   * text equals the previous turn's text at the same JSON path reuses that entry after a plain string
   * comparison (memcmp) — no hashing of the history at all, which is what keeps turn N+1 cheap. Segments
   * are matched by position first (a conversation grows at its end), by pointer when that fails.
   */
  attach(segments: readonly { pointer: string; text: string }[], conversation?: string): void;
  readonly size: number;
}

/** Conversations whose last turn is remembered for the by-path shortcut. */
const MAX_TURNS = 64;

type Entry = Map<string, readonly Detection[]>;

/**
 * The entry a segment object was bound to by `attach`, kept on the object itself under a symbol (not
 * enumerable by JSON or Object.keys): a property load per policy and segment, where a WeakMap would cost
 * a hash lookup each time and a long ephemeron table for the garbage collector to walk on every turn.
 */
const ENTRY = Symbol('kt.scanCacheEntry');
type Tagged = { [ENTRY]?: Entry };

export function createScanCache(maxChars = 64 * 1024 * 1024): ScanCache {
  const entries = new Map<string, Entry>();
  let chars = 0;
  const entryFor = (text: string, create: boolean, holder?: object): Entry | undefined => {
    const held = (holder as Tagged | undefined)?.[ENTRY];
    if (held) return held;
    let e = entries.get(text);
    if (e) {
      entries.delete(text); // refresh recency
      entries.set(text, e);
    } else if (create) {
      entries.set(text, (e = new Map()));
      chars += text.length;
      while (chars > maxChars && entries.size > 1) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
        chars -= oldest.length;
      }
    }
    if (e && holder) (holder as Tagged)[ENTRY] = e;
    return e;
  };
  /** Last turn per conversation: its segments in order, and (built only when needed) by pointer. */
  interface Turn {
    list: { pointer: string; text: string; entry: Entry }[];
    byPointer?: Map<string, { pointer: string; text: string; entry: Entry }>;
  }
  const turns = new Map<string, Turn>();
  return {
    attach(segments, conversation) {
      const prev = conversation !== undefined ? turns.get(conversation) : undefined;
      const list: Turn['list'] = new Array(segments.length);
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i]!;
        // A conversation grows at the end: segment i is usually last turn's segment i. Short string
        // compares and a memcmp of the text, no hashing of the history.
        let p = prev?.list[i];
        if (prev && (p === undefined || p.pointer !== seg.pointer)) {
          prev.byPointer ??= new Map(prev.list.map((x) => [x.pointer, x]));
          p = prev.byPointer.get(seg.pointer);
        }
        const same = p !== undefined && p.text === seg.text;
        const entry = same ? p!.entry : entryFor(seg.text, true)!;
        (seg as Tagged)[ENTRY] = entry;
        list[i] = same ? p! : { pointer: seg.pointer, text: seg.text, entry };
      }
      if (conversation === undefined) return;
      turns.delete(conversation);
      turns.set(conversation, { list });
      if (turns.size > MAX_TURNS) turns.delete(turns.keys().next().value as string);
    },
    get: (space, text, holder) => entryFor(text, false, holder)?.get(space),
    set: (space, text, value, holder) => void entryFor(text, true, holder)!.set(space, value),
    get size() {
      return entries.size;
    },
  };
}
