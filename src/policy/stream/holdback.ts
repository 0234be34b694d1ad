/**
 * The text side of the stream guard, for one channel (one content block, one tool call's arguments).
 * Each push scans a window — a short tail of text already sent, for context, plus the text held back
 * plus the new delta — and emits everything up to the earliest point where a match might still be
 * growing:
 *   - a detection that reaches the end of the window (the value may continue),
 *   - the earliest pending offset any detector's hold-back contract reports (tails.ts): the trailing
 *     run of a possible credential, a pending email or number, a partial organisation term …
 * Text that no detector can still claim goes out at once: a delta ending in a space, a quote or a
 * newline leaves nothing held.
 */
import type { Detection, Detector } from '../../detect/types.js';

export interface HoldbackDetector {
  detector: Detector;
  action(d: Detection): 'allow' | 'flag' | 'redact' | 'block' | 'escalate';
  policy: string;
  /** This policy's placeholder; defaults to `redact` below. */
  redact?(type: string, value: string): string;
  /** Offset in `text` from which its end may still grow into a match (`text.length`: nothing pending). */
  pending?(text: string): number;
}

export interface HoldbackRules {
  detectors: readonly HoldbackDetector[];
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

/** Earlier start first; at the same start, the longer detection first. */
const byPosition = (a: { d: Detection }, b: { d: Detection }) => a.d.start - b.d.start || b.d.end - a.d.end;

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
    let cut = final ? buf.length : this.holdPoint(buf, found);
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
    // (No filter/sort callbacks when nothing was found, the usual case: each would be a closure per delta.)
    const inRange = found.length ? found.filter((f) => f.d.end <= cut || f.d.start < cut).sort(byPosition) : found;
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

  private holdPoint(buf: string, found: { d: Detection }[]): number {
    let cut = buf.length;
    for (const f of found) if (f.d.end >= buf.length) cut = Math.min(cut, f.d.start);
    for (const r of this.rules.detectors) if (r.pending) cut = Math.min(cut, r.pending(buf));
    if (buf.length - cut > MAX_HOLD) cut = buf.length;
    return cut;
  }
}
