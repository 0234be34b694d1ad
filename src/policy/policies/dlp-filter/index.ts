/** `dlp-filter`: organisation terms (case-insensitive, optionally fuzzy) and patterns, redacted or blocked everywhere. */
import type { DlpFilterConfig } from '../../../config/sections/policies/dlp-filter.js';
import { runDetectors } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import { namedPatterns, type PolicyBuildDeps } from '../../policy-deps.js';

export const NAME = 'dlp-filter';

export function createDlpFilter(cfg: DlpFilterConfig, deps: PolicyBuildDeps): Policy {
  const terms = (cfg.blocked_terms ?? []).map((t, i) =>
    typeof t === 'string' ? { id: `term-${i + 1}`, term: t, regex: false } : { id: t.name ?? `term-${i + 1}`, term: t.term, regex: t.regex },
  );
  const patterns = namedPatterns(cfg.detect_patterns, 'pattern');
  const detector = deps.detectors.terms({ terms, patterns, fuzzy: cfg.fuzzy_matching, maxDistance: cfg.max_distance });
  const run = {
    policy: NAME,
    detectors: [detector],
    redaction: { marker_format: 'label' as const },
    reasonCode: 'dlp_match',
    actionFor: () => cfg.action,
  };
  return definePolicy({
    name: NAME,
    phases: ['input', 'tool', 'output'],
    mode: cfg.mode ?? 'enforce',
    advice: 'The text contains organisation-restricted terms; remove them and send again.',
    evaluate: (ctx) => runDetectors(run, ctx, deps),
    // A trailing partial term (`Project` of `Project Falcon`) is held until it resolves.
    stream: { detectors: [detector], actionFor: () => cfg.action, pending: detector.pending ? (t) => detector.pending!(t) : undefined },
  });
}
