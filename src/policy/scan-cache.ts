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
   * comparison (memcmp) — no hashing of the history at all, which is what keeps turn N+1 cheap.
   */
  attach(segments: readonly { pointer: string; text: string }[], conversation?: string): void;
  readonly size: number;
}

/** Conversations whose last turn is remembered for the by-path shortcut. */
const MAX_TURNS = 64;

export function createScanCache(maxChars = 64 * 1024 * 1024): ScanCache {
  const entries = new Map<string, Map<string, readonly Detection[]>>();
  let chars = 0;
  // Every policy of a request asks about the same segment objects: after the first text lookup, the
  // segment's identity finds the entry without hashing or comparing the text again.
  const byHolder = new WeakMap<object, Map<string, readonly Detection[]>>();
  const entryFor = (text: string, create: boolean, holder?: object) => {
    const held = holder && byHolder.get(holder);
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
    if (e && holder) byHolder.set(holder, e);
    return e;
  };
  const turns = new Map<string, Map<string, { text: string; entry: Map<string, readonly Detection[]> }>>();
  return {
    attach(segments, conversation) {
      const prev = conversation !== undefined ? turns.get(conversation) : undefined;
      const next = new Map<string, { text: string; entry: Map<string, readonly Detection[]> }>();
      for (const seg of segments) {
        const p = prev?.get(seg.pointer);
        const entry = p && p.text === seg.text ? p.entry : entryFor(seg.text, true)!;
        byHolder.set(seg, entry);
        next.set(seg.pointer, { text: seg.text, entry });
      }
      if (conversation === undefined) return;
      turns.delete(conversation);
      turns.set(conversation, next);
      if (turns.size > MAX_TURNS) turns.delete(turns.keys().next().value as string);
    },
    get: (space, text, holder) => entryFor(text, false, holder)?.get(space),
    set: (space, text, value, holder) => void entryFor(text, true, holder)!.set(space, value),
    get size() {
      return entries.size;
    },
  };
}
