/**
 * Scan results by content hash. A coding-assistant conversation re-sends every earlier message on each
 * turn, so turn N+1 only needs to scan what is new: segments whose (scanner, role, text) was seen before
 * reuse their detections (offsets only, never text). Bounded LRU on a Map's insertion order.
 */
import { hash } from 'node:crypto';
import type { Detection } from '../detect/types.js';

export interface ScanCache {
  get(key: string): readonly Detection[] | undefined;
  set(key: string, value: readonly Detection[]): void;
  readonly size: number;
}

/** Always a hash, even for short texts: the cache must not keep secrets alive as keys. */
export function contentKey(text: string): string {
  return hash('sha1', text, 'base64') + text.length.toString(36);
}

export function createScanCache(maxEntries = 50_000): ScanCache {
  const map = new Map<string, readonly Detection[]>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > maxEntries) map.delete(map.keys().next().value as string);
    },
    get size() {
      return map.size;
    },
  };
}
