/** Character-class checks shared by the PII matchers, so a value glued to an identifier is not taken for PII. */

const IDENT = /[\p{L}\p{N}_]/u;

/** True when `c` continues a word or identifier (letters, digits, underscore in any script). */
export function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && c !== '' && IDENT.test(c);
}

/** The whole (trimmed) text is this one value: a bare form field, a tool argument, a CSV cell. */
export function isBareValue(text: string, start: number, end: number): boolean {
  for (let i = 0; i < start; i++) if (!isSpaceOrQuote(text.charCodeAt(i))) return false;
  for (let i = end; i < text.length; i++) if (!isSpaceOrQuote(text.charCodeAt(i))) return false;
  return true;
}

function isSpaceOrQuote(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39;
}

/** Lower-cased window of text before `start`, for context words ("phone", "ssn", "version"). */
export function before(text: string, start: number, width: number): string {
  return text.slice(Math.max(0, start - width), start).toLowerCase();
}
