/**
 * The text side of the stream guard, for one channel (one content block, one tool call's arguments).
 * Each push scans a window — a short tail of text already sent, for context, plus the text held back
 * plus the new delta — and emits everything up to the earliest point where a secret might still be
 * growing:
 *   - a detection that reaches the end of the window (the value may continue),
 *   - a trailing token that holds a candidate prefix (`sk-`, `AKIA`, `ghp_`, `password` …) or ends with
 *     the beginning of one (`gh`, `-----BE`),
 *   - a trailing token that follows an assignment to a secret-looking name (`token: "ab`),
 *   - a long random-looking trailing token,
 *   - an open `-----BEGIN … -----END` block.
 * Text without any of these goes out at once: no added latency when nothing is pending.
 */
import type { Detection, Detector } from '../../detect/types.js';

export interface HoldbackRules {
  detectors: readonly {
    detector: Detector;
    action(d: Detection): 'allow' | 'flag' | 'redact' | 'block' | 'escalate';
    policy: string;
    /** This policy's placeholder; defaults to `redact` below. */
    redact?(type: string, value: string): string;
  }[];
  /** Lower-case literal prefixes that may start a detected value. */
  candidates: readonly string[];
  redact(type: string, value: string): string;
}

export interface HoldbackHit {
  policy: string;
  detection: Detection;
  action: 'flag' | 'redact' | 'block' | 'escalate';
  /** Offset of the detection in the channel's whole text. */
  offset: number;
  value: string;
}

/** Characters of already-sent text kept as context for the next window. */
const CONTEXT = 256;
/** Beyond this much held text, the guard sends (redacted) what it holds rather than stall the answer. */
const MAX_HOLD = 32 * 1024;

const HEADS = new WeakMap<readonly string[], Set<string>>();

const DELIMS = /[\s"'`,;()[\]{}<>|]/;
const ASSIGN_TAIL = /(?:key|token|secret|passw(?:or)?d|pwd|auth|credential|private|bearer)[\w.-]{0,30}\\?["']?\]?\s{0,4}(?:=>|:=|=|:)\s{0,8}\\?["'`]?\s*$/i;
const BEGIN = '-----BEGIN';
const END_LINE = /-----END[^\n]*?-----/;

function lastDelimiter(buf: string, from: number): number {
  for (let i = buf.length - 1; i >= from; i--) if (DELIMS.test(buf[i])) return i;
  return from - 1;
}

function randomLooking(tok: string): boolean {
  return tok.length >= 20 && /^[A-Za-z0-9+/=_.~-]+$/.test(tok) && /[0-9]/.test(tok) && /[A-Za-z]/.test(tok);
}

export class ChannelHoldback {
  /** Raw text already sent (its tail, as context). */
  private context = '';
  /** Raw text received but not yet sent. */
  private pending = '';
  /** Length of the channel's raw text that was sent. */
  private sent = 0;

  constructor(
    private readonly rules: HoldbackRules,
    private readonly role: 'assistant' | 'tool_call',
  ) {}

  get holding(): boolean {
    return this.pending.length > 0;
  }

  /** Feeds a delta; returns the (redacted) text that may be sent now, and what was found in it. */
  push(delta: string, final = false): { text: string; hits: HoldbackHit[] } {
    const buf = this.context + this.pending + delta;
    const base = this.context.length;
    const found: { policy: string; d: Detection; action: HoldbackHit['action']; redact?: (type: string, value: string) => string }[] = [];
    for (const r of this.rules.detectors) {
      for (const d of r.detector.scan(buf, { role: this.role })) {
        if (d.end <= base) continue; // entirely in text already sent (and handled then)
        const action = r.action(d);
        if (action !== 'allow') found.push({ policy: r.policy, d, action, redact: r.redact });
      }
    }
    let cut = final ? buf.length : this.holdPoint(buf, base, found);
    // Never cut through a detection: hold it whole.
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of found)
        if (f.d.start < cut && cut < f.d.end && f.d.start >= base) {
          cut = f.d.start;
          changed = true;
        }
    }
    if (cut < base) cut = base;
    let out = '';
    let pos = base;
    const hits: HoldbackHit[] = [];
    const inRange = found.filter((f) => f.d.end <= cut || f.d.start < cut).sort((a, b) => a.d.start - b.d.start || b.d.end - a.d.end);
    for (const f of inRange) {
      const start = Math.max(f.d.start, base);
      const end = Math.min(f.d.end, cut);
      if (end <= start) continue;
      const value = buf.slice(f.d.start, f.d.end);
      hits.push({ policy: f.policy, detection: f.d, action: f.action, offset: this.sent - base + f.d.start, value });
      // Blocked values are masked too: the stream ends with an error, and nothing of them may slip out first.
      if (f.action === 'flag' || start < pos) continue;
      out += buf.slice(pos, start) + (f.redact ?? this.rules.redact)(f.d.type, value);
      pos = end;
    }
    out += buf.slice(pos, cut);
    const sentRaw = buf.slice(base, cut);
    this.sent += sentRaw.length;
    this.context = (this.context + sentRaw).slice(-CONTEXT);
    this.pending = buf.slice(cut);
    return { text: out, hits };
  }

  private holdPoint(buf: string, base: number, found: { d: Detection }[]): number {
    let cut = buf.length;
    for (const f of found) if (f.d.end >= buf.length) cut = Math.min(cut, f.d.start);
    const tokStart = lastDelimiter(buf, base) + 1;
    if (tokStart < buf.length) {
      const tok = buf.slice(tokStart);
      if (this.candidate(tok.toLowerCase()) || randomLooking(tok) || ASSIGN_TAIL.test(buf.slice(Math.max(0, tokStart - 64), tokStart)))
        cut = Math.min(cut, tokStart);
    }
    const begin = buf.lastIndexOf(BEGIN);
    // Open until a complete footer line (`-----END … -----`) arrived.
    if (begin >= 0 && !END_LINE.test(buf.slice(begin))) cut = Math.min(cut, begin);
    if (buf.length - cut > MAX_HOLD) cut = buf.length;
    return cut;
  }

  /**
   * The token holds a candidate, or a value could be starting in it: from the token's start or right
   * after a non-alphanumeric character (`KEY=sk`, `foo_gh`), what follows is the beginning of a candidate.
   */
  private candidate(tok: string): boolean {
    for (const c of this.rules.candidates) if (tok.includes(c)) return true;
    const heads = this.heads();
    for (let p = 0; p < tok.length; p++) {
      if (p > 0 && /[a-z0-9]/.test(tok[p - 1])) continue;
      if (heads.has(tok.slice(p))) return true;
    }
    return false;
  }

  /** Every proper prefix of every candidate, built once per candidate list (one per loaded config). */
  private heads(): Set<string> {
    let set = HEADS.get(this.rules.candidates);
    if (!set) {
      set = new Set();
      for (const c of this.rules.candidates) for (let k = 1; k < c.length; k++) set.add(c.slice(0, k));
      HEADS.set(this.rules.candidates, set);
    }
    return set;
  }
}
