/**
 * `prompt-injection`: where it fires matters. User turns and legacy prompts are direct attempts
 * (`response.action`, default block). Tool results and files are indirect: an instruction planted there
 * is neutralised by redacting it, so the agent's session survives (a block would repeat on every later
 * turn). System prompts and the assistant's own history are the application's and the model's words,
 * not an attacker's, and are not scanned.
 */
import type { PromptInjectionConfig } from '../../../config/sections/policies/prompt-injection.js';
import type { Segment } from '../../../dialects/types.js';
import { runDetectors } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import { namedPatterns, type PolicyBuildDeps } from '../../policy-deps.js';
import type { Phase, Verdict } from '../../types.js';

export const NAME = 'prompt-injection';

const SENSITIVITY = { low: 4, medium: 3, high: 2 } as const;

export function createPromptInjection(cfg: PromptInjectionConfig, deps: PolicyBuildDeps): Policy {
  if (cfg.use_embedding) deps.warn('prompt-injection: use_embedding needs an embedding classifier, which is not available offline; pattern detection is used');
  if (cfg.boundaries?.enforce_delimiters) deps.warn('prompt-injection: boundaries.enforce_delimiters has no effect (kt does not wrap prompts in delimiters); reject_fake_boundaries detects forged ones');
  const factory = deps.detectors.injection;
  if (!factory) deps.warn('prompt-injection: the injection detector is not available; the policy only records');
  const detector = factory?.({
    attackPatterns: namedPatterns(cfg.detection?.attack_patterns, 'attack-pattern'),
    decodeBase64: cfg.encoding?.decode_base64 ?? true,
    normalizeUnicode: cfg.encoding?.normalize_unicode ?? true,
    detectHomoglyphs: cfg.encoding?.detect_homoglyphs ?? true,
    rejectFakeBoundaries: cfg.boundaries?.reject_fake_boundaries ?? true,
    // The score a segment needs: low sensitivity asks for more evidence, high for less.
    threshold: SENSITIVITY[cfg.detection?.sensitivity ?? 'medium'],
  });
  const direct: Verdict = cfg.response?.action ?? 'block';
  const scanTools = cfg.detection?.scan_tool_results ?? true;
  const run = {
    policy: NAME,
    detectors: detector ? [detector] : [],
    redaction: { marker_format: 'label' as const },
    reasonCode: 'prompt_injection',
    accepts(seg: Segment, phase: Phase): boolean {
      if (phase === 'tool') return scanTools && seg.role === 'tool_result';
      return seg.role === 'user' || seg.role === 'prompt';
    },
    actionFor(_d: unknown, _seg: Segment, phase: Phase): Verdict {
      if (phase === 'tool') return direct === 'flag' ? 'flag' : 'redact';
      return direct;
    },
  };
  return definePolicy({
    name: NAME,
    phases: ['input', 'tool'],
    mode: cfg.mode ?? 'enforce',
    advice: 'Rephrase the request without instructions aimed at the model’s rules; ask your kt administrator if this is a false positive.',
    evaluate: (ctx) => {
      const out = runDetectors(run, ctx, deps);
      if ((out.verdict === 'block' || out.verdict === 'escalate') && cfg.response?.message) out.message = cfg.response.message;
      return out;
    },
  });
}
