/**
 * Views of a text that undo what coding assistants wrap file contents in (CLIENTS.md, "Where a secret read
 * from disk travels"): JSON string escapes (Cline sends a file as `\n`-escaped JSON inside a string) and
 * line-number prefixes (`12\t` from `cat -n`, `12: `, `12 | `). Each view keeps a map back to offsets in
 * the original text, so a detection found in a view redacts the right range of what was sent.
 */

export interface TextView {
  text: string;
  /** `map[i]` is the original offset of view character i; `map[text.length]` is the original length. */
  map: Int32Array;
}

/** How much of a text decides whether it is a JSON-escaped or line-numbered listing. */
const SAMPLE = 65_536;

const LINE_PREFIX = /(^|\n)[ \t]{0,8}\d{1,7}(?:\t| ?: | \| |→|\|)/g;

/** Number of literal escape sequences that suggest JSON-in-a-string content. */
function countEscapedNewlines(text: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf('\\n'); i !== -1 && n < limit; i = text.indexOf('\\n', i + 2)) n++;
  return n;
}

function countNewlines(text: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && n < limit; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Decode JSON string escapes; unknown escapes are kept as-is. */
export function unescapeJsonView(text: string): TextView {
  const out: string[] = [];
  const map: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ && i + 1 < n) {
      const e = text[i + 1];
      let decoded: string | undefined;
      let width = 2;
      if (e === 'n') decoded = '\n';
      else if (e === 't') decoded = '\t';
      else if (e === 'r') decoded = '\r';
      else if (e === '"' || e === '\\' || e === '/' || e === "'") decoded = e;
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        decoded = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        width = 6;
      }
      if (decoded !== undefined) {
        out.push(decoded);
        map.push(i);
        i += width;
        continue;
      }
    }
    out.push(text[i]);
    map.push(i);
    i++;
  }
  map.push(n);
  return { text: out.join(''), map: Int32Array.from(map) };
}

/** Remove line-number prefixes at the start of every line that has one. */
export function stripLinePrefixView(view: TextView): TextView {
  const { text } = view;
  const parts: string[] = [];
  const map: number[] = [];
  let last = 0;
  LINE_PREFIX.lastIndex = 0;
  let m: RegExpExecArray | null;
  const keep = (from: number, to: number) => {
    parts.push(text.slice(from, to));
    for (let i = from; i < to; i++) map.push(view.map[i]);
  };
  while ((m = LINE_PREFIX.exec(text)) !== null) {
    const prefixStart = m.index + m[1].length;
    keep(last, prefixStart);
    last = m.index + m[0].length;
    if (m[0].length === 0) LINE_PREFIX.lastIndex++;
  }
  keep(last, text.length);
  map.push(view.map[text.length]);
  return { text: parts.join(''), map: Int32Array.from(map) };
}

/** Offsets of a view of a view, expressed in the original text. */
function compose(outer: Int32Array, inner: Int32Array): Int32Array {
  const out = new Int32Array(inner.length);
  for (let i = 0; i < inner.length; i++) out[i] = outer[inner[i]];
  return out;
}

function identity(text: string): TextView {
  const map = new Int32Array(text.length + 1);
  for (let i = 0; i <= text.length; i++) map[i] = i;
  return { text, map };
}

/**
 * The extra views worth scanning besides the original text (empty for ordinary source text, so the
 * common case costs two `indexOf` loops over a bounded prefix).
 */
export function derivedViews(text: string): TextView[] {
  let view: TextView | undefined;
  // JSON-in-a-string: more `\n` escapes than real newlines. Judged on a bounded sample: a file that was
  // JSON-escaped is escaped throughout, and source code that merely contains "\n" literals is not.
  // Up to three levels: a JSON file inside a JSON string inside a tool result.
  for (let level = 0; level < 3; level++) {
    const current = view?.text ?? text;
    const sample = current.length > SAMPLE ? current.slice(0, SAMPLE) : current;
    const escaped = countEscapedNewlines(sample, SAMPLE);
    if (escaped < 2 || escaped <= countNewlines(sample, escaped + 1)) break;
    const inner = unescapeJsonView(current);
    view = view ? { text: inner.text, map: compose(view.map, inner.map) } : inner;
  }
  // Line-numbered listing: at least 3 prefixed lines among the first 4 KB (or every line of a short text).
  const head = (view?.text ?? text).slice(0, 4096);
  LINE_PREFIX.lastIndex = 0;
  const prefixed = head.match(LINE_PREFIX)?.length ?? 0;
  const lines = countNewlines(head, 1_000_000) + 1;
  if (prefixed >= 3 || (prefixed >= 2 && prefixed === lines)) view = stripLinePrefixView(view ?? identity(text));
  return view ? [view] : [];
}
