/**
 * `safety-filter`: harmful-content categories (`block_if`, the lexicon in detect/keywords) and the
 * configured `keywords`, in user input and model output; block, escalate or flag. `method` picks the
 * sources: `category` (the lexicon only), `keyword` (the keywords only) or `both` (default).
 */
import type { SafetyFilterConfig } from '../../../config/sections/policies/safety-filter.js';
import type { Detector } from '../../../detect/types.js';
import type { Segment } from '../../../dialects/types.js';
import { runDetectors } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import type { PolicyBuildDeps } from '../../policy-deps.js';
import type { Phase } from '../../types.js';

export const NAME = 'safety-filter';

export function createSafetyFilter(cfg: SafetyFilterConfig, deps: PolicyBuildDeps): Policy {
  const method = cfg.method ?? 'both';
  const detectors: Detector[] = [];
  if (method !== 'keyword') {
    if (deps.detectors.safety) detectors.push(deps.detectors.safety({ categories: cfg.block_if }));
    else deps.warn('safety-filter: the category lexicon is not available; only policy.safety-filter.keywords are matched');
  }
  if (method !== 'category' && cfg.keywords?.length)
    detectors.push(
      deps.detectors.terms({ terms: cfg.keywords.map((k, i) => ({ id: `keyword-${i + 1}`, term: k, regex: false })), patterns: [], fuzzy: false, maxDistance: 0, category: 'safety', type: 'keyword' }),
    );
  if (method === 'keyword' && !cfg.keywords?.length) deps.warn('safety-filter: method is keyword but no keywords are configured; the policy matches nothing');
  const phases = cfg.phases ?? ['input', 'output'];
  const run = {
    policy: NAME,
    detectors,
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
    stream: detectors.length && phases.includes('output') ? { detectors, actionFor: () => cfg.action } : undefined,
  });
}
