/**
 * Scoring: how much evidence of an attack a text holds, and where. Evidence counts only where it sits
 * together — within one window of WINDOW characters — so that a long source file whose comments say
 * "no output policies" in one place and name OpenAI in another does not add up to an attack: a planted
 * instruction is a few sentences, a jailbreak a few paragraphs of one piece.
 *
 * Inside a window each rule counts once, each group of rules once (boundary mentions), and matches of
 * different rules over the same words once, at the highest weight (`you are now` is both a persona and an
 * identity switch). A match inside a short quoted phrase — inline code, or a string literal in code
 * (`scan('ignore previous instructions')`, `['<|im_start|>']`) — is a mention: tests, filters and
 * templates quote attacks, so it counts 1 at most, and all mentions of a window 2 at most. A code token —
 * a model name as an identifier (`openai-chat`, `OpenAI(`, `family: 'openai'`, `platform.openai.com`),
 * an enum value (`mode: 'explicit'`) — is no evidence at all.
 *
 * In source code, a window that reaches the threshold only through matches quoted as data (string
 * literals and regex sources: a detector's own rule file, a test's attack list) is reported as advisory:
 * recorded, not acted on; so is every quoted match of an acting window. The same words in prose or a
 * comment are not quoted, count in full and are acted on.
 */
import type { InjectionKind } from './rules.js';

export interface ScoredHit {
  rule: { id: string; kind: InjectionKind; weight: number; group?: string };
  start: number;
  end: number;
}

/**
 * Whether a text reads as source code: most of its first lines (a `cat -n` number stripped) end like
 * statements or open like declarations and comments. Prose, e-mails and chat transcripts do not.
 */
export function looksLikeCode(text: string): boolean {
  let lines = 0;
  let code = 0;
  const head = text.length > CODE_SAMPLE ? text.slice(0, CODE_SAMPLE) : text;
  for (const raw of head.split('\n')) {
    const line = raw.replace(LINE_NUMBER, '').trim();
    if (!line) continue;
    lines++;
    if (CODE_LINE_END.test(line) || CODE_LINE_START.test(line)) code++;
  }
  return lines >= 5 && code >= lines * 0.5;
}

const CODE_SAMPLE = 16 * 1024;
const LINE_NUMBER = /^\s*\d+(?:\t|: |\s?\| |→)/;
const CODE_LINE_END = /[;{}()[\],:]$|=>$/;
const CODE_LINE_START = /^(?:\/\/|\/\*|\*|#|import\b|export\b|from\b|const\b|let\b|var\b|def\b|class\b|function\b|return\b|if\b|for\b|while\b|fn\b|func\b|pub\b|package\b|use\b|@\w)/;

export interface Firing {
  /** Hits inside windows that reached the threshold (each at most once), in text order. */
  hits: ScoredHit[];
  /** Per hit: every window it fired in was advisory. */
  advisory: boolean[];
  /** Score of the strongest window, by kind. */
  score: Map<InjectionKind, number>;
  total: number;
}

/** Characters of text over which evidence adds up: about a paragraph or two. */
export const WINDOW = 1200;
/** What all quoted phrases of a window add up to at most: below the threshold on their own. */
const MAX_MENTION_SCORE = 2;
/** Longest quoted phrase taken for a mention rather than for content. */
const MAX_MENTION = 160;
/** Windows looked at, at most, per text (their left edges are spread over the hits). */
const MAX_WINDOWS = 512;

interface Judged {
  hit: ScoredHit;
  mention: boolean;
  /** Inside a literal that code opens; worked out when first asked. */
  quoted?: boolean;
}

/**
 * `weakThreshold`: what a window made only of weak evidence (rules of weight 2 or less: jailbreak
 * vocabulary, persona phrases, term mentions) needs instead; a source file read by a tool is full of
 * such words (`unrestricted`, `act as`, `explicit`, `OpenAI`), while an attack planted in it carries an
 * instruction (an override, a request for the prompt, a forged turn, data sent out).
 */
export interface ScoreOptions {
  /** Whether the text is source code (asked only once a window could fire: it costs a look at the text). */
  code?: () => boolean;
  /** Added to the threshold of windows of weak evidence only, in source code. */
  codeWeakExtra?: number;
}

export function score(text: string, hits: readonly ScoredHit[], threshold: number, opts: ScoreOptions = {}): Firing | undefined {
  let code: boolean | undefined;
  const isCode = () => (code ??= opts.code?.() ?? false);
  const judged: Judged[] = [];
  for (const hit of hits) {
    if (hit.rule.weight <= 2 && codeToken(text, hit.start, hit.end, hit.rule.id)) continue;
    const mention = mentioned(text, hit.start, hit.end);
    judged.push({ hit, mention });
  }
  if (judged.length === 0) return undefined;
  const quoted = (x: Judged) => (x.quoted ??= x.mention || quotedInCode(text, x.hit.start, x.hit.end));
  judged.sort((a, b) => a.hit.start - b.hit.start);
  const inFiring = new Uint8Array(judged.length); // 1 = in an advisory window only, 2 = in an acting window
  let best: { score: Map<InjectionKind, number>; total: number } | undefined;
  const step = Math.max(1, Math.ceil(judged.length / MAX_WINDOWS));
  let j = 0;
  for (let i = 0; i < judged.length; i += step) {
    const from = judged[i]!.hit.start;
    if (i > 0 && from === judged[i - step]!.hit.start) continue;
    if (j < i) j = i;
    while (j < judged.length && judged[j]!.hit.start < from + WINDOW) j++;
    const window = judged.slice(i, j);
    if (upperBound(window) < threshold) continue;
    const s = scoreOf(window);
    if (s.total < threshold) continue;
    const weakOnly = !window.some((x) => x.hit.rule.weight > 2);
    const needed = weakOnly && isCode() ? threshold + (opts.codeWeakExtra ?? 0) : threshold;
    if (s.total < needed) continue;
    if (!best || s.total > best.total) best = s;
    // Quoted as data only counts as such in source code; typed into a chat, a quote is still the user's text.
    const acting = !isCode() || scoreOf(window, quoted).total >= needed;
    for (let k = i; k < j; k++) inFiring[k] = Math.max(inFiring[k]!, acting ? 2 : 1);
  }
  if (!best) return undefined;
  const out: Firing = { hits: [], advisory: [], score: best.score, total: best.total };
  judged.forEach((x, k) => {
    if (!inFiring[k]) return;
    out.hits.push(x.hit);
    // A quoted match is only recorded even where prose around it acts: the prose is what gets neutralised.
    out.advisory.push(inFiring[k] === 1 || (isCode() && quoted(x)));
  });
  return out;
}

/** Sum of the weights of the distinct rules in a window: no score of it can be higher. */
function upperBound(window: readonly Judged[]): number {
  const seen = new Map<string, number>();
  for (const x of window) seen.set(x.hit.rule.id, Math.max(seen.get(x.hit.rule.id) ?? 0, x.hit.rule.weight));
  let sum = 0;
  for (const w of seen.values()) sum += w;
  return sum;
}

/** Score of a window; without the matches `skip` says are quoted, when given. */
function scoreOf(window: readonly Judged[], skip?: (x: Judged) => boolean): { score: Map<InjectionKind, number>; total: number } {
  const firsts: { kind: InjectionKind; weight: number; start: number; end: number; group?: string; mention: boolean }[] = [];
  const seen = new Set<string>();
  for (const x of window) {
    if (skip?.(x)) continue;
    const h = x.hit;
    if (seen.has(h.rule.id)) continue;
    seen.add(h.rule.id);
    firsts.push({ kind: h.rule.kind, weight: x.mention ? Math.min(1, h.rule.weight) : h.rule.weight, start: h.start, end: h.end, group: h.rule.group, mention: x.mention });
  }
  firsts.sort((a, b) => b.weight - a.weight);
  const counted: typeof firsts = [];
  const groups = new Set<string>();
  const score = new Map<InjectionKind, number>();
  let mentions = 0;
  let total = 0;
  for (const f of firsts) {
    // Quoted phrases, however many, are at most supporting evidence: a list of attack strings in a test is not an attack.
    if (f.mention && mentions >= MAX_MENTION_SCORE) continue;
    if (f.group && groups.has(f.group)) continue;
    if (counted.some((c) => f.start < c.end && c.start < f.end && overlap(f, c) >= 0.5)) continue;
    if (f.group) groups.add(f.group);
    if (f.mention) mentions += f.weight;
    counted.push(f);
    score.set(f.kind, (score.get(f.kind) ?? 0) + f.weight);
    total += f.weight;
  }
  return { score, total };
}

/** Share of the shorter span covered by both. */
function overlap(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return (Math.min(a.end, b.end) - Math.max(a.start, b.start)) / Math.max(1, Math.min(a.end - a.start, b.end - b.start));
}

/** Before a single-quoted literal: code syntax. Single quotes are never JSON. */
const CODE_BEFORE_SINGLE = new Set(['(', '[', ',', '=', '+', '{', '?', '|', '&', '!', '<', '>', ':']);
/** Before a double-quoted literal: a call or an assignment, not a JSON array or object (`[`, `,`, `:`), which is data. */
const CODE_BEFORE_DOUBLE = new Set(['(', '=', '+', '?', '|', '&', '!', '<', '>']);
const CODE_KEYWORD = /\b(?:return|yield|await|echo|print|printf|puts|assert|expect|scan|detect)$/;
/** Before a regex literal's opening `/`. */
const CODE_BEFORE_REGEX = new Set(['(', '[', ',', '=', ':', '!', '&', '|', '?', '{', '}', ';']);

/** The first non-blank character before `at` (across line breaks), and its offset. */
function prevCode(text: string, at: number): [string, number] {
  let k = at - 1;
  while (k >= 0 && /\s/.test(text[k]!)) k--;
  return [k >= 0 ? text[k]! : '', k];
}

const opensCode = (text: string, open: number, q: string): boolean => {
  const [prev, k] = prevCode(text, open);
  return (q === "'" || q === '`' ? CODE_BEFORE_SINGLE : CODE_BEFORE_DOUBLE).has(prev) || CODE_KEYWORD.test(text.slice(Math.max(0, k - 10), k + 1));
};

/** Each quote character that opens a literal on the line holding [start, end) and closes it there, with its opening offset. */
function* literalsAround(text: string, start: number, end: number, maxLength: number, quotes: readonly string[]): Generator<{ q: string; open: number }> {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  if (end > lineEnd) return;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  for (const q of quotes) {
    if ((before.split(q).length - 1) % 2 === 0) continue;
    const open = lineStart + before.lastIndexOf(q);
    const closeAt = after.indexOf(q);
    if (closeAt < 0 || end + closeAt - open > maxLength) continue;
    yield { q, open };
  }
}

/** Whether [start, end) sits inside a short quoted phrase (inline code, a string literal in code) on its line. */
function mentioned(text: string, start: number, end: number): boolean {
  for (const lit of literalsAround(text, start, end, MAX_MENTION, ['`', '"', "'"])) if (lit.q === '`' || opensCode(text, lit.open, lit.q)) return true;
  return false;
}

/**
 * Whether [start, end) sits inside a string literal or a regex literal that code opens, however long
 * (a rule pack's pattern sources, a fixture's attack strings).
 */
function quotedInCode(text: string, start: number, end: number): boolean {
  for (const lit of literalsAround(text, start, end, Infinity, ['`', '"', "'"])) if (opensCode(text, lit.open, lit.q)) return true;
  for (const re of literalsAround(text, start, end, Infinity, ['/'])) {
    if (CODE_BEFORE_REGEX.has(prevCode(text, re.open)[0]) && text[re.open + 1] !== '/' && text[re.open + 1] !== '*') return true;
  }
  return false;
}

const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);

/** Rules whose single-word matches are product names that code uses as identifiers, hosts and paths. */
const NAME_RULES = new Set(['jailbreak.model-name']);

/**
 * A single word of code rather than of prose: the whole of a string literal that code opens
 * (`family: 'openai'`, `mode: 'explicit'`, `type: 'unrestricted'`, `| 'gpt-4'`), an identifier by its shape
 * (`system_prompt`), and for product names also a name glued to an identifier, host, path or call
 * (`openai-chat`, `openai_api`, `platform.openai.com`, `../openai/src`, `@openai`, `OpenAI(`, `OpenAI<T>`).
 * Phrases (with a space) never are; nor are words glued in prose (`illegal/dangerous`, `non-harmful`).
 */
export function codeToken(text: string, start: number, end: number, ruleId: string): boolean {
  const span = text.slice(start, end);
  if (/\s/.test(span)) return false;
  const prev = text[start - 1];
  const next = text[end];
  if ((prev === "'" || prev === '"' || prev === '`') && next === prev && opensCode(text, start - 1, prev)) return true;
  if (/^[A-Za-z]+_[A-Za-z_]+$/.test(span)) return true;
  if (!NAME_RULES.has(ruleId)) return false;
  const after = text[end + 1];
  // `platform.openai`, `azure-openai`, `langchain_openai`; in prose a hyphenated prefix keeps its capitals (`Evil-ChatGPT`).
  if (prev !== undefined && './_$#\\'.includes(prev) && isWord(text[start - 2])) return true;
  if (prev === '-' && isWord(text[start - 2]) && span === span.toLowerCase()) return true;
  if (prev === '@' || prev === '/') return true;
  if (next === '(' || next === '<') return true;
  return next !== undefined && '-_/.'.includes(next) && after !== undefined && (next === '-' ? /[a-z]/.test(after) : isWord(after));
}
