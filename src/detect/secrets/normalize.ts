/**
 * What coding assistants wrap around file contents (CLIENTS.md, "Where a secret read from disk
 * travels"): JSON string escapes (Cline sends a file as `\n`-escaped JSON inside a string) and line-number
 * prefixes (`12\t` from `cat -n`, `12: `, `12 | `, `12→`). `viewMode` decides from a bounded head of the
 * text whether either applies; `normalizeRange` builds the unwrapped view of one stretch of the text only
 * (the scanner asks for the stretches around keyword hits, never for a copy of the whole text). Each view
 * keeps a map back to offsets in the original text, so a detection found in a view redacts the right
 * range of what was sent.
 */

export interface TextView {
  text: string;
  /** `map[i]` is the original offset of view character i; `map[text.length]` is where the stretch ends. */
  map: Int32Array;
}

/** A view of `text[from, to)`. */
export interface RangeView extends TextView {
  from: number;
  to: number;
}

export interface ViewMode {
  /** Levels of JSON string escaping to undo (0–3). */
  json: number;
  /** Strip line-number prefixes. */
  lines: boolean;
}

/** How much of a text decides whether it is JSON-escaped. */
const SAMPLE = 65_536;
/** Lines of the head that decide whether it is a line-numbered listing. */
const HEAD_LINES = 8;
/** How far a stretch start is moved back to reach the start of its line. */
const LINE_LOOKBACK = 4096;

const PREFIX_BODY = '[ \\t]{0,8}\\d{1,7}(?:\\t| ?: | \\| |→|\\|)';
const LINE_PREFIX = new RegExp(`(^|\\n)${PREFIX_BODY}`, 'g');
const LINE_PREFIX_MID = new RegExp(`(\\n)${PREFIX_BODY}`, 'g');
const PREFIX_AT = new RegExp(PREFIX_BODY, 'y');

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

/** JSON-in-a-string: more `\n` escapes than real newlines (source that merely contains "\n" literals has fewer). */
function looksEscaped(sample: string): boolean {
  const escaped = countEscapedNewlines(sample, SAMPLE);
  return escaped >= 2 && escaped > countNewlines(sample, escaped + 1);
}

/** Line-numbered listing: at least 3 of the first lines carry a prefix (or every line of a short text). */
function looksNumbered(head: string): boolean {
  let prefixed = 0;
  let lines = 0;
  for (let at = 0; lines < HEAD_LINES && at <= head.length; lines++) {
    PREFIX_AT.lastIndex = at;
    if (PREFIX_AT.test(head)) prefixed++;
    const nl = head.indexOf('\n', at);
    if (nl < 0) {
      lines++;
      break;
    }
    at = nl + 1;
  }
  return prefixed >= 3 || (prefixed >= 2 && prefixed === lines);
}

/**
 * The wrapping to undo for this text, judged on a bounded head (a file that was JSON-escaped is escaped
 * throughout; a listing is numbered from its first lines); undefined for ordinary text, which then costs
 * two bounded `indexOf` loops and one sticky regex test per head line.
 */
export function viewMode(text: string): ViewMode | undefined {
  let sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  let json = 0;
  // Up to three levels: a JSON file inside a JSON string inside a tool result.
  while (json < 3 && looksEscaped(sample)) {
    sample = unescapeJsonView(sample).text;
    json++;
  }
  const lines = looksNumbered(sample.length > 4096 ? sample.slice(0, 4096) : sample);
  return json > 0 || lines ? { json, lines } : undefined;
}

/** Decode JSON string escapes; unknown escapes are kept as-is. `map` is relative to `text`. */
export function unescapeJsonView(text: string): TextView {
  const n = text.length;
  if (text.indexOf('\\') < 0) return identity(text);
  let out = '';
  const map = new Int32Array(n + 1);
  let o = 0;
  let i = 0;
  let run = 0; // start of the stretch copied verbatim
  while (i < n) {
    const at = text.indexOf('\\', i);
    if (at < 0 || at + 1 >= n) break;
    const e = text.charCodeAt(at + 1);
    let decoded: string | undefined;
    let width = 2;
    if (e === 110 /* n */) decoded = '\n';
    else if (e === 116 /* t */) decoded = '\t';
    else if (e === 114 /* r */) decoded = '\r';
    else if (e === 34 || e === 92 || e === 47 || e === 39) decoded = text[at + 1];
    else if (e === 117 /* u */ && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
      decoded = String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
      width = 6;
    }
    if (decoded === undefined) {
      i = at + 1;
      continue;
    }
    for (let k = run; k < at; k++) map[o++] = k;
    out += text.slice(run, at) + decoded;
    map[o++] = at;
    i = run = at + width;
  }
  for (let k = run; k < n; k++) map[o++] = k;
  out += text.slice(run);
  map[o] = n;
  return { text: out, map: map.subarray(0, o + 1) };
}

/** Remove line-number prefixes; `atLineStart` says whether `text` begins a line. `map` is relative to `text`. */
export function stripLinePrefixView(text: string, atLineStart = true): TextView {
  const re = atLineStart ? LINE_PREFIX : LINE_PREFIX_MID;
  const map = new Int32Array(text.length + 1);
  let out = '';
  let o = 0;
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const prefixStart = m.index + m[1]!.length;
    out += text.slice(last, prefixStart);
    for (let k = last; k < prefixStart; k++) map[o++] = k;
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  out += text.slice(last);
  for (let k = last; k < text.length; k++) map[o++] = k;
  map[o] = text.length;
  return { text: out, map: map.subarray(0, o + 1) };
}

function identity(text: string): TextView {
  const map = new Int32Array(text.length + 1);
  for (let i = 0; i <= text.length; i++) map[i] = i;
  return { text, map };
}

/** Where a stretch may start: not inside an escape sequence, and at the start of its line when one is near. */
function safeStart(text: string, from: number, mode: ViewMode): { from: number; atLineStart: boolean } {
  if (mode.json > 0) while (from > 0 && text.charCodeAt(from - 1) === 92) from--;
  if (!mode.lines) return { from, atLineStart: from === 0 };
  const floor = Math.max(0, from - LINE_LOOKBACK);
  for (let i = from; i > floor; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 10) return { from: i, atLineStart: true };
    // An escaped newline ends a line of the decoded text.
    if (mode.json > 0 && c === 110 && text.charCodeAt(i - 2) === 92) {
      let at = i - 2;
      while (at > 0 && text.charCodeAt(at - 1) === 92) at--;
      return { from: at, atLineStart: false };
    }
  }
  return { from, atLineStart: from === 0 };
}

/** Where a stretch may end: not inside an escape sequence. */
function safeEnd(text: string, to: number, mode: ViewMode): number {
  if (mode.json === 0) return to;
  // Past a run of backslashes and what the last one escapes (up to `\uXXXX`).
  let i = to;
  while (i < text.length && i > 0 && text.charCodeAt(i - 1) === 92) i++;
  return Math.min(text.length, i > to ? i + 5 : to);
}

/**
 * The unwrapped view of `text[from, to)` (moved outwards to safe boundaries), with `map` giving offsets
 * in `text`. Undoes the JSON levels first, then strips line prefixes, as the wrappers were applied.
 */
export function normalizeRange(text: string, from: number, to: number, mode: ViewMode): RangeView {
  const start = safeStart(text, Math.max(0, from), mode);
  const end = safeEnd(text, Math.min(text.length, to), mode);
  let view: TextView = { text: text.slice(start.from, end), map: new Int32Array(0) };
  let map: Int32Array | undefined;
  const compose = (inner: Int32Array) => {
    if (!map) {
      map = inner;
      return;
    }
    const out = new Int32Array(inner.length);
    for (let i = 0; i < inner.length; i++) out[i] = map[inner[i]!]!;
    map = out;
  };
  for (let level = 0; level < mode.json; level++) {
    view = unescapeJsonView(view.text);
    compose(view.map);
  }
  // A stretch that begins after an escaped newline begins a line once decoded.
  if (mode.lines) {
    view = stripLinePrefixView(view.text, start.atLineStart || (mode.json > 0 && view.text.charCodeAt(0) === 10));
    compose(view.map);
  }
  const rel = map ?? identity(view.text).map;
  const out = new Int32Array(rel.length);
  for (let i = 0; i < rel.length; i++) out[i] = rel[i]! + start.from;
  return { text: view.text, map: out, from: start.from, to: end };
}

/** The whole text unwrapped (user patterns, which have no keywords to window around). */
export function derivedViews(text: string): TextView[] {
  const mode = viewMode(text);
  return mode ? [normalizeRange(text, 0, text.length, mode)] : [];
}
