/** `safety-filter`: harmful-content categories (`block_if`) and keywords in user input and model output; block or escalate. */
import type { SafetyFilterConfig } from '../../../config/sections/policies/safety-filter.js';
import type { Segment } from '../../../dialects/types.js';
import { runDetectors } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import type { PolicyBuildDeps } from '../../policy-deps.js';
import { createTermMatcher } from '../dlp-filter/terms.js';
import type { Phase } from '../../types.js';

export const NAME = 'safety-filter';

export function createSafetyFilter(cfg: SafetyFilterConfig, deps: PolicyBuildDeps): Policy {
  const factory = deps.detectors.safety;
  if (!factory) deps.warn('safety-filter: the category lexicon is not available; only policy.safety-filter.keywords are matched');
  const detector =
    factory?.({ categories: cfg.block_if, keywords: cfg.keywords, method: cfg.method }) ??
    (cfg.keywords?.length
      ? createTermMatcher({ terms: cfg.keywords.map((k, i) => ({ id: `keyword-${i + 1}`, term: k, regex: false })), patterns: [], fuzzy: false, maxDistance: 0, category: 'safety', type: 'keyword' })
      : undefined);
  const phases = cfg.phases ?? ['input', 'output'];
  const run = {
    policy: NAME,
    detectors: detector ? [detector] : [],
    redaction: { marker_format: 'label' as const },
    reasonCode: 'unsafe_content',
    // The application's system prompt and the user's own tool output are not what this policy judges.
    accepts: (seg: Segment, phase: Phase) => (phase === 'output' ? seg.role === 'assistant' : seg.role === 'user' || seg.role === 'prompt'),
    actionFor: () => cfg.action,
  };
  return definePolicy({
    name: NAME,
    phases,
    mode: cfg.mode ?? 'enforce',
    advice: 'This content is not allowed by your organisation’s safety policy.',
    evaluate: (ctx) => runDetectors(run, ctx, deps),
    stream: detector && phases.includes('output') ? { detectors: [detector], actionFor: () => cfg.action, candidates: [] } : undefined,
  });
}
