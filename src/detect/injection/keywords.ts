/**
 * Where rule keywords occur in a normalised text, in one pass: the ASCII keywords through an Aho-Corasick
 * automaton (the secret scanner's, one table lookup per character, every occurrence reported, overlaps
 * included); the few non-ASCII ones (Korean, Chinese, accented phrases, 🔓) by one regex, and only when
 * the text holds a non-ASCII character that some keyword has.
 */
import { compilePrefilter } from '../secrets/prefilter.js';

export interface KeywordHits {
  /** One flag per keyword id: it occurs in the text. */
  present: Uint8Array;
  /** (keyword id, start) pairs, `count` of them, in no particular order. Valid until the next scan. */
  pairs: Int32Array;
  count: number;
}

export interface KeywordIndex {
  /** Id of a keyword given at compile time. */
  id(keyword: string): number;
  scan(text: string): KeywordHits;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const NON_ASCII = /[^\u0000-\u007f]/;
const NON_ASCII_ALL = /[^\u0000-\u007f]/g;

export function compileKeywords(keywords: Iterable<string>): KeywordIndex {
  const ids = new Map<string, number>();
  for (const k of keywords) if (!ids.has(k)) ids.set(k, ids.size);
  const ascii = [...ids.keys()].filter((k) => !NON_ASCII.test(k));
  const other = [...ids.keys()].filter((k) => NON_ASCII.test(k));
  const prefilter = compilePrefilter(ascii);
  const asciiIds = Int32Array.from(ascii, (k) => ids.get(k)!);
  // Longest first; a keyword inside a longer one at the same place is credited through `inside`.
  other.sort((a, b) => b.length - a.length);
  const otherRe = other.length ? new RegExp(other.map(escapeRegex).join('|'), 'g') : undefined;
  const inside = new Map(other.map((k) => [k, [...ids.keys()].filter((j) => j !== k && k.includes(j)).map((j) => [ids.get(j)!, k.indexOf(j)] as const)]));
  // Non-ASCII code units that occur in some keyword: a text with none of them (only `—`, `→`) skips the regex.
  const keywordUnits = new Uint8Array(65536);
  for (const k of other) for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) > 127) keywordUnits[k.charCodeAt(i)] = 1;
  const hasKeywordUnit = (text: string) => {
    NON_ASCII_ALL.lastIndex = 0;
    for (let m = NON_ASCII_ALL.exec(text); m; m = NON_ASCII_ALL.exec(text)) if (keywordUnits[m[0].charCodeAt(0)] === 1) return true;
    return false;
  };
  const out: KeywordHits = { present: new Uint8Array(ids.size), pairs: new Int32Array(256), count: 0 };
  const add = (id: number, start: number) => {
    if (2 * out.count + 2 > out.pairs.length) {
      const grown = new Int32Array(out.pairs.length * 2);
      grown.set(out.pairs);
      out.pairs = grown;
    }
    out.pairs[2 * out.count] = id;
    out.pairs[2 * out.count + 1] = start;
    out.count++;
    out.present[id] = 1;
  };
  return {
    id(keyword) {
      const id = ids.get(keyword);
      if (id === undefined) throw new Error(`unknown injection keyword "${keyword}"`);
      return id;
    },
    scan(text) {
      out.present.fill(0);
      out.count = 0;
      const { pairs, count } = prefilter.hits(text);
      for (let i = 0; i < count; i++) add(asciiIds[pairs[2 * i]!]!, pairs[2 * i + 1]!);
      if (otherRe && hasKeywordUnit(text)) {
        otherRe.lastIndex = 0;
        for (let m = otherRe.exec(text); m; m = otherRe.exec(text)) {
          add(ids.get(m[0])!, m.index);
          for (const [j, at] of inside.get(m[0])!) add(j, m.index + at);
        }
      }
      return out;
    },
  };
}
