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
