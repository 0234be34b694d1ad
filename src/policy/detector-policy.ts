/**
 * The shape most policies share: run detectors over the segments of a phase (through the scan cache),
 * decide an action per detection, and turn redactions into deterministic placeholder edits. Findings
 * carry the segment pointer, rule, offsets and a keyed fingerprint — never the matched text.
 */
import type { Segment, TextEdit } from '../dialects/types.js';
import type { Detection, Detector } from '../detect/types.js';
import type { Fingerprinter } from './fingerprint.js';
import { placeholder, type RedactionOptions } from './placeholders.js';
import type { PolicyContext } from './policy.js';
import type { ScanCache } from './scan-cache.js';
import type { Finding, Phase, PolicyOutcome, Verdict } from './types.js';

export const SEVERITY: Record<Verdict, number> = { allow: 0, flag: 1, redact: 2, escalate: 3, block: 4 };

export function worst(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Findings kept per policy and phase; the rest are counted on the last one. */
const MAX_FINDINGS = 200;

export interface DetectorPolicyDeps {
  cache: ScanCache;
  fingerprint: Fingerprinter;
}

export interface DetectorRun {
  policy: string;
  detectors: readonly Detector[];
  /** Which segments this policy looks at in this phase (default: all). */
  accepts?(seg: Segment, phase: Phase): boolean;
  /** Verdict for one detection; 'allow' drops it. */
  actionFor(d: Detection, seg: Segment, phase: Phase): Verdict;
  redaction: RedactionOptions;
  reasonCode: string;
  /** Drops detections of allow-listed values (literal match of the value). */
  allowlist?: ReadonlySet<string>;
}

// (marked edit: detection speed) cache-space keys built once per (policy, detector, role), not per
// segment and turn: a fresh key string is also a fresh hash on every lookup.
const SPACES = new WeakMap<Detector, Map<string, Map<string, string>>>();
function spaceOf(policy: string, det: Detector, role: string): string {
  let byPolicy = SPACES.get(det);
  if (!byPolicy) SPACES.set(det, (byPolicy = new Map()));
  let byRole = byPolicy.get(policy);
  if (!byRole) byPolicy.set(policy, (byRole = new Map()));
  let space = byRole.get(role);
  if (space === undefined) byRole.set(role, (space = `${policy}\0${det.id}\0${role}`));
  return space;
}

/** Detections of one detector over one segment, cached by (policy, detector, role, text). */
export function scanSegment(run: DetectorRun, det: Detector, seg: Segment, deps: DetectorPolicyDeps): readonly Detection[] {
  const space = spaceOf(run.policy, det, seg.role);
  let found = deps.cache.get(space, seg.text, seg);
  if (found === undefined) {
    found = det.scan(seg.text, { role: seg.role });
    deps.cache.set(space, seg.text, found, seg);
  }
  return found;
}

export function runDetectors(run: DetectorRun, ctx: PolicyContext, deps: DetectorPolicyDeps): PolicyOutcome {
  const findings: Finding[] = [];
  const edits: TextEdit[] = [];
  let verdict: Verdict = 'allow';
  for (const seg of ctx.segments) {
    if (run.accepts && !run.accepts(seg, ctx.phase)) continue;
    for (const det of run.detectors) {
      for (const d of scanSegment(run, det, seg, deps)) {
        const value = seg.text.slice(d.start, d.end);
        if (run.allowlist?.has(value)) continue;
        const action = run.actionFor(d, seg, ctx.phase);
        if (action === 'allow') continue;
        verdict = worst(verdict, action);
        if (findings.length < MAX_FINDINGS) {
          findings.push({
            policy: run.policy,
            rule: d.rule,
            type: d.type,
            category: d.category,
            path: seg.pointer,
            start: d.start,
            end: d.end,
            action,
            fingerprint: deps.fingerprint(d.type, value),
          });
        } else {
          const last = findings[findings.length - 1];
          last.count = (last.count ?? 1) + 1;
        }
        if (action === 'redact') {
          edits.push({ path: seg.path, start: d.start, end: d.end, replacement: placeholder(d.type, value, run.redaction, deps.fingerprint) });
        }
      }
    }
  }
  return { verdict, reasonCode: verdict === 'allow' ? undefined : run.reasonCode, findings, edits };
}
