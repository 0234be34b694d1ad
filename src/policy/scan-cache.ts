/**
 * Scan results by content. A coding-assistant conversation re-sends every earlier message on each turn,
 * so turn N+1 only needs to scan what is new: a segment whose (scanner, role, text) was seen before reuses
 * its detections (offsets only). Keys are the texts themselves in per-scanner Maps: V8 hashes a string
 * once and compares equal-hash candidates with memcmp, far cheaper than a cryptographic digest of an
 * 800 KB body on every turn. The cache lives in process memory only (never logged, never persisted) and
 * is bounded by total characters, oldest entries evicted first.
 */
import type { Detection } from '../detect/types.js';

export interface ScanCache {
  get(space: string, text: string): readonly Detection[] | undefined;
  set(space: string, text: string, value: readonly Detection[]): void;
  readonly size: number;
}

export function createScanCache(maxChars = 64 * 1024 * 1024): ScanCache {
  const spaces = new Map<string, Map<string, readonly Detection[]>>();
  let chars = 0;
  let size = 0;
  const evictFrom = (m: Map<string, readonly Detection[]>) => {
    const oldest = m.keys().next();
    if (oldest.done) return false;
    m.delete(oldest.value);
    chars -= oldest.value.length;
    size--;
    return true;
  };
  return {
    get(space, text) {
      const m = spaces.get(space);
      const v = m?.get(text);
      if (v !== undefined) {
        // Refresh recency: re-insert at the end.
        m!.delete(text);
        m!.set(text, v);
      }
      return v;
    },
    set(space, text, value) {
      let m = spaces.get(space);
      if (!m) spaces.set(space, (m = new Map()));
      if (m.has(text)) m.delete(text);
      else {
        chars += text.length;
        size++;
      }
      m.set(text, value);
      while (chars > maxChars) {
        if (!evictFrom(m) && ![...spaces.values()].some(evictFrom)) break;
      }
    },
    get size() {
      return size;
    },
  };
}
