/** Maps a key path to file:line:col in the YAML source (yaml parseDocument + LineCounter). */
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface SourceDoc {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface Location {
  file: string;
  line: number;
  col: number;
  /** How many path segments exist in this file (used to pick among merged files). */
  depth: number;
}

/** Position of the deepest node of `path` present in the document; with `atKey`, the key of the last segment. */
export function locateIn(src: SourceDoc, path: readonly PropertyKey[], atKey = false): Location {
  let node: unknown = src.doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyOffset = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      const value = pair.value as Node | null;
      offset = (atKey && depth === path.length - 1 ? keyOffset : (value?.range?.[0] ?? keyOffset)) ?? offset;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
    depth++;
  }
  const { line, col } = src.lineCounter.linePos(offset);
  return { file: src.file, line, col, depth };
}

/** Among several merged files, the one defining the most of `path` (later files win ties: they override). */
export function locate(srcs: readonly SourceDoc[], path: readonly PropertyKey[], atKey = false): Location {
  let best: Location | undefined;
  for (const s of srcs) {
    const loc = locateIn(s, path, atKey);
    if (!best || loc.depth >= best.depth) best = loc;
  }
  return best ?? { file: '<none>', line: 0, col: 0, depth: 0 };
}
