/**
 * The shape of one credential rule, plus the small pattern builders that the rule families share.
 * Rules are data: the scanner compiles them, the rule test runs each one's own examples.
 */

export interface SecretRule {
  /** Stable id reported in findings, e.g. `github-pat`. */
  id: string;
  description: string;
  /** Lower-case literals; the rule only runs near one of them (see prefilter.ts). */
  keywords: readonly string[];
  /**
   * Case-sensitive literals that start the secret at a word boundary, found with native `indexOf`; for
   * formats whose only fixed part is too short or too common for the case-folding prefilter (`SK`, `MT`).
   */
  anchors?: readonly string[];
  /**
   * Pattern run near each keyword hit. A named group `secret` marks the value to redact; without it,
   * the whole match is the secret. Flags are added by the scanner (`g`, `d`; keep `i` if you need it).
   */
  pattern: RegExp;
  /** A literal every match contains; windows without it are skipped before the regex runs (`@` in URL user-info). */
  requires?: string;
  /** Minimum Shannon entropy (bits per char) of the secret value. */
  minEntropy?: number;
  /** Extra validation (checksum, structure); false drops the candidate. */
  validate?: (secret: string, match: string) => boolean;
  /**
   * The format's own checksum, for formats that carry one but whose examples are not all checksummed
   * (fixtures, older tokens): true raises confidence, so the entropy gate is skipped; false changes nothing.
   */
  checksum?: (secret: string) => boolean;
  /**
   * A cheap look at the text around one keyword hit (`start`, keyword `length`): the stretch the pattern
   * needs to run over for this hit (kept inside the rule's `before` / `after` reach), or undefined to skip
   * the hit before any regex runs. It must cover every match the pattern could make with this hit; it
   * only saves time, for rules whose keywords are common words in code.
   */
  around?: (text: string, start: number, length: number) => readonly [number, number] | undefined;
  /**
   * Where a match through one keyword hit can begin: the pattern is then tried anchored (sticky) at those
   * positions of the text instead of at every position of a window. Must list every start a match whose
   * name or value holds this hit can have; for context rules whose windows are mostly not a match.
   */
  starts?: (text: string, start: number, length: number) => readonly number[];
  /** Skip the shared placeholder allow-list (for rules whose format is checked exactly). */
  allowPlaceholders?: boolean;
  /** Characters searched before a keyword hit (default 16) and after it (default 256). */
  before?: number;
  after?: number;
  /** Lower wins ties less: generic context rules use 0, provider formats 2 (default). */
  priority?: number;
  /** Texts the rule must flag. */
  truePositives: readonly string[];
  /** Texts the rule must not flag, each with the reason. */
  falsePositives: readonly { text: string; why: string }[];
}

/**
 * A key name followed by an assignment operator and an optionally quoted value: covers `KEY=v`,
 * `key: "v"`, `"key": "v"`, `key := v`, `key => 'v'`, `$key = "v"`, `<key>v</key>` is not covered.
 * `name` is a regex source for the key (matched inside a longer identifier), `value` for the secret.
 */
export function assignment(name: string, value: string, flags = 'i'): RegExp {
  return new RegExp(
    `(?:${name})[\\w.-]{0,30}?\\\\?["']?\\]?[ \\t]{0,4}(?:=>|:=|::=|:::=|\\?=|\\|\\|=|=|:|,)[ \\t]{0,8}(?:@|\\$)?\\\\?["'\`]?(?<secret>${value})(?![\\w+/=-])`,
    flags,
  );
}

/** A prefixed token with a word boundary in front (so `foo_ghp_…` still matches but `xghp_` does not). */
export function prefixed(body: string, flags = ''): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])(?<secret>${body})(?![A-Za-z0-9_-])`, flags);
}

const nameCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;

/**
 * An `around` for `assignment()` rules keyed on common words (`token`, `pat`): the hit's line, when the
 * name it starts runs on (`[\w.-]`) to an operator or comma after optional quotes, brackets and blanks,
 * as `assignment()` requires; otherwise the hit is skipped. The scanner clamps the stretch to the rule's reach.
 */
export function assignmentAround(text: string, start: number): [number, number] | undefined {
  const n = text.length;
  let i = start;
  for (let k = 0; i < n && k < 64 && nameCode(text.charCodeAt(i)); k++) i++;
  for (let k = 0; i < n && k < 12; k++, i++) {
    const c = text.charCodeAt(i);
    if (c !== 34 && c !== 39 && c !== 92 && c !== 93 && c !== 32 && c !== 9) break; // " ' \ ] space tab
  }
  const op = text.charCodeAt(i);
  // = : , ? | — every operator assignment() accepts starts with one of these.
  if (op !== 61 && op !== 58 && op !== 44 && op !== 63 && op !== 124) return undefined;
  let to = i;
  while (to < n && to - i < 320 && text.charCodeAt(to) !== 10) to++;
  return [0, to];
}
