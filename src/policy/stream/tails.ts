/**
 * Hold-back contracts for streamed text: for one detector, the offset from which the end of the text
 * received so far may still grow into one of its matches. The stream guard sends everything before the
 * smallest such offset at once and holds the rest until more text resolves it, so nothing of a value is
 * sent before the value is recognised, and text that cannot become a match (a finished word, a finished
 * line) is never delayed. Each function returns `text.length` when nothing is pending.
 */

/** Longest trailing run held for being a possible value; longer runs are scanned whole (PEM blocks aside). */
export const MAX_RUN = 1024;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0;
/** Quotes end a value in every credential format (`KEY="…"`, `'…'`, template strings). */
const isQuote = (c: number) => c === 34 || c === 39 || c === 96;

/**
 * Start of the trailing run of value characters (anything but whitespace and quotes). A run can be the
 * beginning of a credential whatever letters it starts with (`plkavo.wa2pr4b`, `AC7f…`, `72138…:AA…`),
 * so the run is held until a space or quote ends it and the scan of the finished run says clean.
 */
export function trailingRun(text: string): number {
  let i = text.length;
  const floor = Math.max(0, text.length - MAX_RUN);
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (isSpace(c) || isQuote(c)) break;
    i--;
  }
  return i;
}

/** Start of the run that ends at `end` (exclusive), skipping horizontal whitespace before `end`. */
function previousRun(text: string, end: number): { start: number; end: number } | undefined {
  let e = end;
  while (e > 0 && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  if (e === end || e === 0) return undefined;
  let s = e;
  while (s > 0 && !isSpace(text.charCodeAt(s - 1)) && !isQuote(text.charCodeAt(s - 1))) s--;
  return s < e ? { start: s, end: e } : undefined;
}

const BEGIN = '-----BEGIN';
const END_LINE = /-----END[^\n]*?-----/;
/** Credential names, as in the rule pack's assignment rules. */
const CRED = '(?:pass(?:wd|word|phrase)?|pwd|secret|token|auth|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|bearer)';
/** `password = "correct horse` — a quoted value that may hold spaces and is not closed yet. */
const OPEN_QUOTED_VALUE = new RegExp(`${CRED}[\\w.-]{0,40}\\\\?["']?\\]?[ \\t]{0,8}(?:=>|:=|===?|!==?|\\?=|=|:|,)[ \\t]{0,8}\\\\?(["'\`])[^"'\`\\n]{0,200}$`, 'id');
/** `"hunter2" == password` — a quoted string that a comparison with a credential name may still follow. */
const QUOTED_THEN_COMPARE = /(["'`])[^"'`\n\\]{1,200}\1[ \t]{0,8}(?:[!=]={0,2}[ \t]{0,8}[\w.]{0,40})?$/;
/** Connection strings name the server after the password (`Password=x;Server=db`): hold to the line's end. */
const CONN_PASSWORD = /(?:^|[;"'\s])(?:password|pwd)[ \t]*=[^\n]{0,300}$/i;

/**
 * The credential scanner's contract: the trailing run; the run before it when that one holds a rule
 * keyword (`FlyV1 fm2_…`, `Bearer ey…`: the value may start there); a quoted value after a credential
 * name until its closing quote; a quoted string a comparison with a credential name may still follow;
 * a connection string's password until the end of its line; an open `-----BEGIN` block until its
 * `-----END … -----` line.
 */
export function secretTail(candidates: readonly string[]): (text: string) => number {
  const hasCandidate = (s: string) => {
    const low = s.toLowerCase();
    return candidates.some((c) => low.includes(c));
  };
  return (text) => {
    let cut = trailingRun(text);
    const prev = previousRun(text, cut);
    if (prev && prev.end - prev.start <= 64 && hasCandidate(text.slice(prev.start, prev.end))) cut = prev.start;
    // Regexes only look at the current line's last few hundred characters.
    const lineStart = Math.max(text.lastIndexOf('\n') + 1, text.length - 512);
    const line = text.slice(lineStart);
    const open = OPEN_QUOTED_VALUE.exec(line);
    if (open) cut = Math.min(cut, lineStart + open.indices![1]![1]);
    const cmp = QUOTED_THEN_COMPARE.exec(line);
    if (cmp) cut = Math.min(cut, lineStart + cmp.index + 1);
    const conn = CONN_PASSWORD.exec(line);
    if (conn) cut = Math.min(cut, lineStart + conn.index);
    const begin = text.lastIndexOf(BEGIN);
    if (begin >= 0 && !END_LINE.test(text.slice(begin))) cut = Math.min(cut, begin);
    return cut;
  };
}

/** Email local part and domain so far (`jane.do`, `jane.doe@exam`). */
const EMAIL_TAIL = /[A-Za-z0-9.!#$%&*+/=?^_{|}~-]+(?:@[A-Za-z0-9.-]*)?$/;
const isNumberish = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 32 || c === 40 || c === 41 || c === 43 || c === 45 || c === 46 || c === 47;

/**
 * Start of a trailing number-like sequence that a phone, card, IBAN, SSN or IP address may still grow
 * from: digits, capitals and the separators these are written with (`+1 (415) 555-01`, `DE89 3704 00`),
 * with at least one digit, single spaces only, at most 42 characters.
 */
export function numberTail(text: string): number {
  let i = text.length;
  const floor = Math.max(0, text.length - 42);
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (!isNumberish(c) || (c === 32 && text.charCodeAt(i - 2) === 32)) break;
    i--;
  }
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  for (let k = i; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) return i;
  }
  return text.length;
}

/** The PII detector's contract: a pending email (local part, `@`, domain so far) or number-like sequence. */
export function piiTail(text: string): number {
  let cut = text.length;
  const m = EMAIL_TAIL.exec(text.length > 320 ? text.slice(-320) : text);
  if (m) cut = text.length - m[0].length;
  return Math.min(cut, numberTail(text));
}
