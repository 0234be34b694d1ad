/**
 * One-pass keyword prefilter: an Aho-Corasick automaton compiled to a dense DFA over ASCII case-folded
 * character classes, so a scan is one table lookup per UTF-16 code unit (no per-keyword passes).
 */

export interface KeywordHit {
  /** Index of the keyword in the list given to `compilePrefilter`. */
  keyword: number;
  /** Offset of the keyword's first character in the scanned text. */
  start: number;
}

export interface Prefilter {
  readonly keywords: readonly string[];
  /** Calls `onHit` for every occurrence of every keyword (overlaps included), in end-offset order. */
  scan(text: string, onHit: (keyword: number, start: number) => void): void;
  /**
   * The same occurrences as (keyword, start) pairs in a buffer owned by the prefilter (valid until the
   * next call); `count` pairs. No call per hit: the loop stays one table lookup per character.
   */
  hits(text: string): { pairs: Int32Array; count: number };
}

/**
 * Builds the automaton. Keywords are matched ASCII-case-insensitively; non-ASCII code units share one
 * class that no keyword uses, which resets the automaton (keywords are ASCII by construction).
 */
export function compilePrefilter(keywords: readonly string[]): Prefilter {
  const words = keywords.map((k) => k.toLowerCase());
  for (const w of words) {
    if (w.length === 0) throw new Error('empty prefilter keyword');
    for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) > 127) throw new Error(`non-ASCII prefilter keyword: ${w}`);
  }
  // Character classes: one per distinct (lower-cased) keyword character, class 0 = anything else.
  const classOf = new Uint8Array(128);
  let classes = 1;
  for (const w of words) {
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      if (classOf[c] === 0) {
        classOf[c] = classes++;
        const upper = String.fromCharCode(c).toUpperCase().charCodeAt(0);
        if (upper !== c && upper < 128) classOf[upper] = classOf[c];
      }
    }
  }
  if (classes > 255) throw new Error('too many prefilter character classes');

  // Trie.
  const goto: number[][] = [[]];
  const outputs: number[][] = [[]];
  words.forEach((w, k) => {
    let s = 0;
    for (let i = 0; i < w.length; i++) {
      const cl = classOf[w.charCodeAt(i)];
      let next = goto[s][cl];
      if (next === undefined) {
        next = goto.length;
        goto.push([]);
        outputs.push([]);
        goto[s][cl] = next;
      }
      s = next;
    }
    outputs[s].push(k);
  });

  // Breadth-first failure links, folded into a complete transition table (a DFA).
  const states = goto.length;
  const delta = new Int32Array(states * classes);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let cl = 0; cl < classes; cl++) {
    const next = goto[0][cl];
    if (next !== undefined && cl !== 0) {
      delta[cl] = next;
      queue.push(next);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    outputs[s] = outputs[s].concat(outputs[fail[s]]);
    for (let cl = 0; cl < classes; cl++) {
      const next = goto[s][cl];
      if (next !== undefined && cl !== 0) {
        fail[next] = delta[fail[s] * classes + cl];
        delta[s * classes + cl] = next;
        queue.push(next);
      } else {
        delta[s * classes + cl] = delta[fail[s] * classes + cl];
      }
    }
  }
  const lengths = words.map((w) => w.length);
  // Transitions hold the premultiplied row offset of the next state, negated when that state emits
  // keywords, so the hot loop needs neither a multiply nor a second lookup.
  const table = new Int32Array(states * classes);
  for (let i = 0; i < table.length; i++) {
    const next = delta[i];
    table[i] = outputs[next].length > 0 ? -(next * classes) - 1 : next * classes;
  }
  const rowOutputs: number[][] = new Array(states * classes);
  for (let s = 0; s < states; s++) rowOutputs[s * classes] = outputs[s];

  let pairs = new Int32Array(2048);
  return {
    keywords: words,
    scan(text, onHit) {
      const { pairs: p, count } = this.hits(text);
      for (let i = 0; i < count; i++) onHit(p[2 * i]!, p[2 * i + 1]!);
    },
    hits(text) {
      let row = 0;
      let count = 0;
      const n = text.length;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        const t = table[row + (c < 128 ? classOf[c]! : 0)]!;
        if (t >= 0) {
          row = t;
        } else {
          row = -t - 1;
          const out = rowOutputs[row]!;
          for (let j = 0; j < out.length; j++) {
            if (2 * count + 2 > pairs.length) {
              const grown = new Int32Array(pairs.length * 2);
              grown.set(pairs);
              pairs = grown;
            }
            const k = out[j]!;
            pairs[2 * count] = k;
            pairs[2 * count + 1] = i + 1 - lengths[k]!;
            count++;
          }
        }
      }
      return { pairs, count };
    },
  };
}
