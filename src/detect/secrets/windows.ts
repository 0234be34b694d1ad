/**
 * The second look at a JSON-escaped or line-numbered text: only the stretches around keyword hits are
 * unwrapped (normalize.ts), each once however many rules hit in it, and the rules run again in their
 * windows there, measured in view characters exactly as over a view of the whole text. In a listing that
 * is only line-numbered, only rules whose pattern can cross a line need this (run-rule.ts `spansLines`).
 * A text with no hit costs nothing here; one with hits costs about the size of their windows.
 */
import { normalizeRange, type RangeView, type ViewMode } from './normalize.js';
import { mapBack, runRule, type Candidate, type CompiledRule, type RuleHits } from './run-rule.js';

interface Window {
  rule: number;
  /** Raw hit starts of this window, ascending. */
  hits: number[];
  /** Raw stretch to unwrap: the rule's window plus as much again, since unwrapping removes characters. */
  from: number;
  to: number;
}

interface Region {
  from: number;
  to: number;
  windows: Window[];
}

/** First index whose original offset is at or after `raw`. */
function toView(map: Int32Array, raw: number): number {
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]! < raw) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Room kept around a stretch an `around` rule asked for: its name and operator checks look this far. */
const AROUND_ROOM = 128;

/** Raw windows per rule, grouped like runRule groups hits, with room to spare for what unwrapping removes. */
function windowsOf(text: string, mode: ViewMode, compiled: readonly CompiledRule[], hits: readonly (RuleHits | undefined)[]): Window[] {
  const n = text.length;
  const out: Window[] = [];
  hits.forEach((h, r) => {
    if (!h) return;
    const c = compiled[r]!;
    // In a listing that is only line-numbered, a pattern that cannot cross a line found all it can already.
    if (!c.lines && mode.json === 0) return;
    const around = c.rule.around;
    if (around) {
      // Only the hits the rule would look at, judged on the text as sent (the line around a hit reads the same).
      let last: Window | undefined;
      for (const start of h.starts) {
        const w = around(text, start, h.length);
        if (!w) continue;
        const from = Math.max(0, w[0] - AROUND_ROOM);
        const to = Math.min(n, w[1] + AROUND_ROOM);
        if (last && from <= last.to) {
          last.hits.push(start);
          last.to = Math.max(last.to, to);
        } else out.push((last = { rule: r, hits: [start], from, to }));
      }
      return;
    }
    let i = 0;
    while (i < h.starts.length) {
      const group = [h.starts[i]!];
      let to = h.starts[i]! + h.length + c.after;
      while (i + 1 < h.starts.length && h.starts[i + 1]! - c.before <= to) {
        i++;
        group.push(h.starts[i]!);
        to = h.starts[i]! + h.length + c.after;
      }
      i++;
      const from = group[0]! - c.before;
      out.push({ rule: r, hits: group, from: Math.max(0, from - c.before - 64), to: Math.min(n, to + c.after + 64) });
    }
  });
  return out;
}

/** Overlapping stretches become one region, unwrapped once. */
function regionsOf(windows: Window[]): Region[] {
  windows.sort((a, b) => a.from - b.from);
  const regions: Region[] = [];
  for (const w of windows) {
    const last = regions[regions.length - 1];
    if (last && w.from <= last.to) {
      last.to = Math.max(last.to, w.to);
      last.windows.push(w);
    } else regions.push({ from: w.from, to: w.to, windows: [w] });
  }
  return regions;
}

/** True when the view holds the rule's whole window around every hit (or reaches the text's edge). */
function covers(view: RangeView, viewHits: readonly number[], c: CompiledRule, length: number, n: number): boolean {
  const len = view.text.length;
  const leftEdge = view.from === 0;
  const rightEdge = view.to === n;
  const around = c.rule.around;
  if (around) {
    for (const h of viewHits) {
      if ((h < AROUND_ROOM && !leftEdge) || (h + length + AROUND_ROOM > len && !rightEdge)) return false;
      const w = around(view.text, h, length);
      if (w && ((w[0] <= 0 && !leftEdge) || (w[1] >= len && !rightEdge))) return false;
    }
    return true;
  }
  const first = viewHits[0]!;
  const last = viewHits[viewHits.length - 1]!;
  return (first - c.before >= 0 || leftEdge) && (last + length + c.after <= len || rightEdge);
}

export function scanWindows(text: string, mode: ViewMode, compiled: readonly CompiledRule[], hits: readonly (RuleHits | undefined)[], out: Candidate[]): void {
  const n = text.length;
  for (const region of regionsOf(windowsOf(text, mode, compiled, hits))) {
    const view = normalizeRange(text, region.from, region.to, mode);
    for (const w of region.windows) {
      const c = compiled[w.rule]!;
      const length = hits[w.rule]!.length;
      let v = view;
      let viewHits = w.hits.map((h) => toView(v.map, h));
      // Unwrapping removed more than the room left (a listing of blank lines): widen this window alone.
      for (let grow = 2; !covers(v, viewHits, c, length, n); grow *= 2) {
        const span = (c.before + c.after + length) * grow;
        v = normalizeRange(text, w.hits[0]! - span, w.hits[w.hits.length - 1]! + span, mode);
        viewHits = w.hits.map((h) => toView(v.map, h));
      }
      const inView: Candidate[] = [];
      runRule(c, v.text, viewHits, length, inView);
      if (inView.length > 0) mapBack(text, v, inView, out);
    }
  }
}
