/**
 * Applies text edits to a parsed JSON body, copy-on-write: only the containers on an edited path are
 * cloned, so an 800 KB conversation with one redacted tool result costs a few shallow copies, and the
 * caller's original body stays intact (the pipeline still holds the original bytes).
 */
import type { JsonPath, TextEdit } from '../dialects/types.js';

/**
 * Sorts edits and resolves overlaps: overlapping ranges merge into one covering both, keeping the
 * replacement of the edit that came first in `edits` (chain order decides).
 */
export function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const ranked = edits.map((e, rank) => ({ e, rank })).sort((a, b) => a.e.start - b.e.start || a.rank - b.rank);
  const out: { e: TextEdit; rank: number }[] = [];
  for (const cur of ranked) {
    const last = out[out.length - 1];
    if (last && cur.e.start < last.e.end) {
      const keep = last.rank <= cur.rank ? last.e : cur.e;
      last.e = { path: keep.path, start: last.e.start, end: Math.max(last.e.end, cur.e.end), replacement: keep.replacement };
      last.rank = Math.min(last.rank, cur.rank);
    } else out.push({ e: { ...cur.e }, rank: cur.rank });
  }
  return out.map((x) => x.e);
}

/** Applies non-overlapping edits (any order) to one string. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = normalizeEdits(edits);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end > text.length || e.start > e.end) throw new RangeError(`edit [${e.start},${e.end}) outside text of length ${text.length}`);
    out += text.slice(pos, e.start) + e.replacement;
    pos = e.end;
  }
  return out + text.slice(pos);
}

function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Groups edits by the string they touch. */
export function groupEdits(edits: readonly TextEdit[]): Map<string, { path: JsonPath; edits: TextEdit[] }> {
  const groups = new Map<string, { path: JsonPath; edits: TextEdit[] }>();
  for (const e of edits) {
    const k = pathKey(e.path);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { path: e.path, edits: [] }));
    g.edits.push(e);
  }
  return groups;
}

function cloneContainer(v: unknown): unknown {
  return Array.isArray(v) ? v.slice() : { ...(v as Record<string, unknown>) };
}

/**
 * Returns a new body with every edit applied; `changed` is false when no string actually changed (e.g.
 * a placeholder equal to the text it replaces), so the original bytes can still go upstream.
 * Throws when a path does not lead to a string: edits come from segments of this same body.
 */
export function applyEdits<T>(body: T, edits: readonly TextEdit[]): { body: T; changed: boolean } {
  if (edits.length === 0) return { body, changed: false };
  let root: unknown = body;
  let changed = false;
  const cloned = new WeakSet<object>();
  for (const { path, edits: group } of groupEdits(edits).values()) {
    if (path.length === 0) {
      if (typeof root !== 'string') throw new TypeError('edit path is empty but body is not a string');
      const next = applyTextEdits(root, group);
      if (next !== root) (root = next), (changed = true);
      continue;
    }
    // Walk down, cloning each container once, then replace the leaf string.
    if (!cloned.has(root as object)) {
      root = cloneContainer(root);
      cloned.add(root as object);
    }
    let parent = root as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i];
      let child = parent[k];
      if (typeof child !== 'object' || child === null) throw new TypeError(`edit path ${pathKey(path)} breaks at ${String(k)}`);
      if (!cloned.has(child)) {
        child = cloneContainer(child);
        cloned.add(child as object);
        parent[k] = child;
      }
      parent = child as Record<string | number, unknown>;
    }
    const leafKey = path[path.length - 1];
    const text = parent[leafKey];
    if (typeof text !== 'string') throw new TypeError(`edit path ${pathKey(path)} does not lead to a string`);
    const next = applyTextEdits(text, group);
    if (next !== text) {
      parent[leafKey] = next;
      changed = true;
    }
  }
  return { body: (changed ? root : body) as T, changed };
}
