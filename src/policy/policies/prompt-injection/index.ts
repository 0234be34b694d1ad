/**
 * `prompt-injection`: where it fires matters. User turns and legacy prompts are direct attempts
 * (`response.action`, default block). Tool results and files are indirect: an instruction planted there
 * is neutralised by redacting it, so the agent's session survives (a block would repeat on every later
 * turn). System prompts and the assistant's own history are the application's and the model's words,
 * not an attacker's, and are not scanned. With `boundaries.enforce_delimiters`, chat-template control
 * tokens in user text and tool results are replaced by a placeholder whatever the score.
 */
import type { PromptInjectionConfig } from '../../../config/sections/policies/prompt-injection.js';
import type { Detector } from '../../../detect/types.js';
import { runDetectors, type DetectorRun } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import { namedPatterns, type PolicyBuildDeps } from '../../policy-deps.js';
import type { Verdict } from '../../types.js';

export const NAME = 'prompt-injection';

const SENSITIVITY = { low: 4, medium: 3, high: 2 } as const;
const DELIMITER_RULE = 'injection.delimiter';

export function createPromptInjection(cfg: PromptInjectionConfig, deps: PolicyBuildDeps): Policy {
  if (cfg.use_embedding) deps.warn('prompt-injection: use_embedding needs an embedding classifier, which is not available offline; pattern detection is used');
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
  // enforce_delimiters: chat-template control tokens in user text and tool results are neutralised
  // (replaced by a placeholder) whatever the score, so no content can open a turn in a model's template.
  const delimiters = cfg.boundaries?.enforce_delimiters ? deps.detectors.delimiters?.() : undefined;
  if (cfg.boundaries?.enforce_delimiters && !delimiters) deps.warn('prompt-injection: the delimiter detector is not available; enforce_delimiters is ignored');
  const neutralise: Verdict = direct === 'flag' ? 'flag' : 'redact';
  const base = {
    policy: NAME,
    redaction: { marker_format: 'label' as const },
    reasonCode: 'prompt_injection',
  };
  const input: DetectorRun = {
    ...base,
    detectors: [detector, delimiters].filter((d): d is Detector => d !== undefined),
    accepts: (seg) => seg.role === 'user' || seg.role === 'prompt',
    // (marked edit: detection precision) attack strings that code only quotes (a rule pack, a test's fixtures) are recorded, not acted on.
    actionFor: (d) => (d.advisory ? 'flag' : d.rule === DELIMITER_RULE ? neutralise : direct),
  };
  // Instructions planted in a tool result are neutralised, not blocked: a block would repeat on every later turn.
  const tool: DetectorRun = {
    ...base,
    detectors: [scanTools ? detector : undefined, delimiters].filter((d): d is Detector => d !== undefined),
    accepts: (seg) => seg.role === 'tool_result',
    actionFor: (d) => (d.advisory ? 'flag' : neutralise), // (marked edit: detection precision)
  };
  return definePolicy({
    name: NAME,
    phases: ['input', 'tool'],
    mode: cfg.mode ?? 'enforce',
    advice: 'Rephrase the request without instructions aimed at the model’s rules; ask your kt administrator if this is a false positive.',
    evaluate: (ctx) => {
      const out = runDetectors(ctx.phase === 'tool' ? tool : input, ctx, deps);
      if ((out.verdict === 'block' || out.verdict === 'escalate') && cfg.response?.message) out.message = cfg.response.message;
      return out;
    },
  });
}
