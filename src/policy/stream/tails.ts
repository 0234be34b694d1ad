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

/** Offset of the last quote character at or before `from`, or -1. */
const lastQuote = (line: string, from = line.length): number => Math.max(line.lastIndexOf('"', from), line.lastIndexOf("'", from), line.lastIndexOf('`', from));
/** Longest text from a credential name's first letter to the opening quote of its value in OPEN_QUOTED_VALUE (11 + 40 + 3 + 8 + 3 + 8 + 1 = 74). */
const OPEN_NAME_REACH = 80;
/** Longest text after the closing quote in QUOTED_THEN_COMPARE (8 + 1 + 2 + 8 + 40). */
const COMPARE_REACH = 59;
/** QUOTED_THEN_COMPARE anchored at one position: every match opens at the line's second-to-last quote. */
const QUOTED_THEN_COMPARE_AT = new RegExp(QUOTED_THEN_COMPARE.source, 'y');

/**
 * The candidates as a lookup by their first two characters (every candidate has at least two), so
 * "does this run contain a candidate" costs one probe per position instead of one `includes` per
 * candidate (the rule pack has a few hundred keywords).
 */
function candidateIndex(candidates: readonly string[]): (s: string) => boolean {
  const byPair = new Map<number, string[]>();
  const short: string[] = [];
  for (const c of candidates) {
    if (c.length < 2) {
      short.push(c);
      continue;
    }
    const k = (c.charCodeAt(0) << 16) | c.charCodeAt(1);
    const list = byPair.get(k);
    if (list) list.push(c);
    else byPair.set(k, [c]);
  }
  return (s) => {
    const low = s.toLowerCase();
    for (const c of short) if (low.includes(c)) return true;
    for (let i = 0; i + 1 < low.length; i++) {
      const list = byPair.get((low.charCodeAt(i) << 16) | low.charCodeAt(i + 1));
      if (list) for (const c of list) if (low.startsWith(c, i)) return true;
    }
    return false;
  };
}

/**
 * The credential scanner's contract: the trailing run; the run before it when that one holds a rule
 * keyword (`FlyV1 fm2_…`, `Bearer ey…`: the value may start there); a quoted value after a credential
 * name until its closing quote; a quoted string a comparison with a credential name may still follow;
 * a connection string's password until the end of its line; an open `-----BEGIN` block until its
 * `-----END … -----` line.
 *
 * This runs on every delta of every stream, so each regex runs only where it can match: both quote
 * patterns end at the line's last quote (nothing after it is a quote), so they are tried only when that
 * quote is near the end, and only from where a match can start; the connection-string one needs a `=`.
 */
export function secretTail(candidates: readonly string[]): (text: string) => number {
  const hasCandidate = candidateIndex(candidates);
  return (text) => {
    let cut = trailingRun(text);
    const prev = previousRun(text, cut);
    if (prev && prev.end - prev.start <= 64 && hasCandidate(text.slice(prev.start, prev.end))) cut = prev.start;
    // Regexes only look at the current line's last few hundred characters.
    const lineStart = Math.max(text.lastIndexOf('\n') + 1, text.length - 512);
    const line = text.slice(lineStart);
    const q = lastQuote(line);
    // The value after the opening quote has at most 200 characters and no quote: the opening quote is the last one.
    if (q >= 0 && line.length - q - 1 <= 200) {
      const from = Math.max(0, q - OPEN_NAME_REACH);
      const open = OPEN_QUOTED_VALUE.exec(from ? line.slice(from) : line);
      if (open) cut = Math.min(cut, lineStart + from + open.indices![1]![1]);
      // `"…" == name`: the closing quote is the last one, the opening one the quote before it.
      if (line.length - q - 1 <= COMPARE_REACH && q > 0) {
        const q1 = lastQuote(line, q - 1);
        if (q1 >= 0) {
          QUOTED_THEN_COMPARE_AT.lastIndex = q1;
          if (QUOTED_THEN_COMPARE_AT.test(line)) cut = Math.min(cut, lineStart + q1 + 1);
        }
      }
    }
    if (line.includes('=')) {
      const conn = CONN_PASSWORD.exec(line);
      if (conn) cut = Math.min(cut, lineStart + conn.index);
    }
    const begin = text.lastIndexOf(BEGIN);
    if (begin >= 0 && !END_LINE.test(text.slice(begin))) cut = Math.min(cut, begin);
    return cut;
  };
}

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

const EMAIL_WINDOW = 320;
/** Characters of an email's local part (`[A-Za-z0-9.!#$%&*+/=?^_{|}~-]`) and of its domain (`[A-Za-z0-9.-]`). */
const isLocal = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 33 || (c >= 35 && c <= 38) || c === 42 || c === 43 || c === 47 || c === 61 || c === 63 || (c >= 94 && c <= 95) || (c >= 123 && c <= 126) || c === 45;
const isDomain = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;

/**
 * Start of a pending email (`jane.do`, `jane.doe@exam`) in the last EMAIL_WINDOW characters, or
 * `text.length`: where `/[local]+(?:@[domain]*)?$/` would match, found by one backward scan (that regex,
 * tried from every position of the window, cost more than the rest of a delta's hold-back).
 * A match ends in domain characters after an `@` with a local part before it, or is a run of local-part
 * characters; the `@` form, when there, starts further left (the domain characters are local ones too).
 */
export function emailTail(text: string): number {
  const floor = Math.max(0, text.length - EMAIL_WINDOW);
  let i = text.length;
  while (i > floor && isDomain(text.charCodeAt(i - 1))) i--;
  if (i - 1 > floor && text.charCodeAt(i - 1) === 64 && isLocal(text.charCodeAt(i - 2))) {
    let j = i - 2;
    while (j > floor && isLocal(text.charCodeAt(j - 1))) j--;
    return j;
  }
  while (i > floor && isLocal(text.charCodeAt(i - 1))) i--;
  return i;
}

/** The PII detector's contract: a pending email (local part, `@`, domain so far) or number-like sequence. */
export function piiTail(text: string): number {
  return Math.min(emailTail(text), numberTail(text));
}
