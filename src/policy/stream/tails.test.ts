/**
 * The hold-back contracts are hand-written scans standing in for end-anchored regexes (which V8 tries
 * from every position of the window, on every delta). Each must hold back exactly what the regex
 * formulation does: compared here on generated texts built from the characters that matter to them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailTail, numberTail, piiTail, secretTail, trailingRun } from './tails.js';

/** The regex formulation the scans replace (as the guard first shipped them). */
const EMAIL_TAIL = /[A-Za-z0-9.!#$%&*+/=?^_{|}~-]+(?:@[A-Za-z0-9.-]*)?$/;
function emailTailRef(text: string): number {
  const m = EMAIL_TAIL.exec(text.length > 320 ? text.slice(-320) : text);
  return m ? text.length - m[0].length : text.length;
}

const CRED = '(?:pass(?:wd|word|phrase)?|pwd|secret|token|auth|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|bearer)';
const OPEN_QUOTED_VALUE = new RegExp(`${CRED}[\\w.-]{0,40}\\\\?["']?\\]?[ \\t]{0,8}(?:=>|:=|===?|!==?|\\?=|=|:|,)[ \\t]{0,8}\\\\?(["'\`])[^"'\`\\n]{0,200}$`, 'id');
const QUOTED_THEN_COMPARE = /(["'`])[^"'`\n\\]{1,200}\1[ \t]{0,8}(?:[!=]={0,2}[ \t]{0,8}[\w.]{0,40})?$/;
const CONN_PASSWORD = /(?:^|[;"'\s])(?:password|pwd)[ \t]*=[^\n]{0,300}$/i;
function secretTailRef(candidates: readonly string[]): (text: string) => number {
  const has = (s: string) => candidates.some((c) => s.toLowerCase().includes(c));
  return (text) => {
    let cut = trailingRun(text);
    let e = cut;
    while (e > 0 && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
    if (e !== cut && e > 0) {
      let s = e;
      while (s > 0 && !/[ \t\n\r\f\v\u00a0"'`]/.test(text[s - 1]!)) s--;
      if (s < e && e - s <= 64 && has(text.slice(s, e))) cut = s;
    }
    const lineStart = Math.max(text.lastIndexOf('\n') + 1, text.length - 512);
    const line = text.slice(lineStart);
    const open = OPEN_QUOTED_VALUE.exec(line);
    if (open) cut = Math.min(cut, lineStart + open.indices![1]![1]);
    const cmp = QUOTED_THEN_COMPARE.exec(line);
    if (cmp) cut = Math.min(cut, lineStart + cmp.index + 1);
    const conn = CONN_PASSWORD.exec(line);
    if (conn) cut = Math.min(cut, lineStart + conn.index);
    const begin = text.lastIndexOf('-----BEGIN');
    if (begin >= 0 && !/-----END[^\n]*?-----/.test(text.slice(begin))) cut = Math.min(cut, begin);
    return cut;
  };
}

/** A small deterministic PRNG, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a', 'Z', '7', '.', '@', '-', '+', '_', ' ', '  ', '\t', '\n', '"', "'", '`', '\\', '=', '==', '!=', ':', ',', ';', '(', ')', '/', '#', 'é', '\u00a0',
  'jane.doe', '@example.org', 'password', 'Password', 'pwd', 'api_key', 'token', 'secret', 'Bearer', 'sk-', 'ghp_', 'AKIA', 'eyJ', 'Server=db',
  '-----BEGIN', '-----END KEY-----', '415 555', 'DE89 3704', 'x'.repeat(70), 'word ', '"hunter2"', "'abc'", ' == pass', ' => ', ' := ',
];

function texts(n: number, seed: number, maxPieces = 14): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let t = '';
    const k = 1 + Math.floor(r() * maxPieces);
    for (let j = 0; j < k; j++) t += PIECES[Math.floor(r() * PIECES.length)];
    out.push(t);
  }
  return out;
}

test('emailTail holds back exactly what the end-anchored email regex matches', () => {
  for (const t of [...texts(20000, 1), '', 'a', '@', 'a@', ' @x', 'a@b+c', 'x'.repeat(400), 'x'.repeat(318) + '@ab', ' ' + 'y'.repeat(330) + '@d'])
    assert.equal(emailTail(t), emailTailRef(t), JSON.stringify(t));
});

test('piiTail is the earlier of a pending email and a pending number', () => {
  for (const t of texts(5000, 2)) assert.equal(piiTail(t), Math.min(emailTailRef(t), numberTail(t)), JSON.stringify(t));
});

test('secretTail holds back exactly what its regex formulation does', () => {
  // Lower case, as the code-sanitation policy passes them; one-character and spaced ones included.
  const candidates = ['sk-', 'ghp_', 'akia', 'eyj', '-----begin', 'postgres://', 'bearer', 'fm2_', 'q~', '0x', ':aa', '-u ', 'x', 'password'];
  const fast = secretTail(candidates);
  const ref = secretTailRef(candidates);
  const long = texts(400, 4, 60).map((t) => t.repeat(3));
  // Each pattern at its longest reach, and one past it.
  const edges: string[] = [];
  for (const w of [0, 40, 41])
    for (const sp of [0, 8, 9])
      for (const op of ['=', '===', '!==', ':='])
        for (const name of ['credentials', 'private_key', 'pwd']) {
          edges.push(`${'z '.repeat(30)}${name}${'w'.repeat(w)}\\"]${' '.repeat(sp)}${op}${' '.repeat(sp)}\\"correct horse`);
          edges.push(`${'z '.repeat(30)}"${'v'.repeat(w + 1)}"${' '.repeat(sp)}${op.replace(':', '!')}${' '.repeat(sp)}${'w'.repeat(w)}`);
        }
  for (const t of [...texts(20000, 3), ...long, ...edges, 'password = "correct horse', '"hunter2" == password', 'x "a" == ' + 'b'.repeat(41), 'Pwd=x;Server=db'])
    assert.equal(fast(t), ref(t), JSON.stringify(t));
});
