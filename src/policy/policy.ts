/**
 * What one policy is, for the engine: a name, the phases it runs in (declared as data and checked when
 * the policy is defined), an enforcement mode and an evaluate function. Phases and what they may produce:
 *
 *   input  — request text of system/user/assistant/prompt/embedding segments → allow|flag|redact|block|escalate
 *   tool   — tool_result and tool_call segments of the request            → allow|flag|redact|block|escalate
 *   output — the response (buffered, or the stream guard)                  → allow|flag|redact|block|escalate
 *
 * A block or escalate refuses with KT_ERR_POLICY_BLOCKED (400, x-should-retry: false); a policy that
 * throws or exceeds its time budget follows --fail-mode (block → KT_ERR_POLICY_FAILED).
 */
import type { DialectName, Segment } from '../dialects/types.js';
import type { Detector } from '../detect/types.js';
import type { RedactionOptions } from './placeholders.js';
import { PHASES, type Phase, type PolicyOutcome } from './types.js';

export interface PolicyContext {
  phase: Phase;
  segments: readonly Segment[];
  conversationId?: string;
  model?: string;
  dialect?: DialectName;
  /** The client's request body (read-only); output policies use it (JSON asked for? max_tokens?). */
  request?: unknown;
  /** The buffered response body in the client's dialect, output phase only. */
  response?: unknown;
}

/** Detectors an output policy wants the stream guard to run over streamed text, with their verdicts. */
export interface StreamRules {
  detectors: readonly Detector[];
  /** Verdict for one detection in streamed output (redact, block, flag, allow). */
  actionFor(rule: string, type: string): PolicyOutcome['verdict'];
  /**
   * Hold-back contract (stream/tails.ts): the offset in `text` from which its end may still grow into a
   * detection (`text.length` when nothing is pending). Without it, only detections reaching the end are held.
   */
  pending?(text: string): number;
  /** Placeholder format for redactions (default label). */
  redaction?: RedactionOptions;
  /** Detectors run on each streamed tool call's complete arguments (when its channel closes). */
  toolCalls?: { detectors: readonly Detector[]; actionFor(rule: string, type: string): PolicyOutcome['verdict']; message?(rule: string): string };
}

export interface Policy {
  /** Canonical kind (`code-sanitation`, never the alias). */
  readonly name: string;
  readonly phases: readonly Phase[];
  /** flag: record what would have happened, change nothing. */
  readonly mode: 'enforce' | 'flag';
  /** What the user can do when this policy blocks; ends the block message. */
  readonly advice?: string;
  /** Default 5 s; exceeding it counts as a failure (--fail-mode). */
  readonly timeBudgetMs?: number;
  evaluate(ctx: PolicyContext): PolicyOutcome | Promise<PolicyOutcome>;
  /** Output policies that guard streams. */
  readonly stream?: StreamRules;
  /** A notice to add to responses (disclaimers). */
  readonly notice?: { text: string; position: 'append' | 'prepend'; models?: readonly string[] };
}

export class PolicyDefinitionError extends Error {
  readonly code = 'KT_ERR_POLICY_DEFINITION';
  constructor(message: string) {
    super(message);
    this.name = 'PolicyDefinitionError';
  }
}

/** Validates a policy at registration, so a typo in a phase fails at start-up, not on traffic. */
export function definePolicy(p: Policy): Policy {
  if (!p.name) throw new PolicyDefinitionError('policy without a name');
  if (typeof p.evaluate !== 'function') throw new PolicyDefinitionError(`policy ${p.name}: evaluate is not a function`);
  for (const ph of p.phases) {
    if (!(PHASES as readonly string[]).includes(ph)) throw new PolicyDefinitionError(`policy ${p.name}: unknown phase "${ph}" (known: ${PHASES.join(', ')})`);
  }
  if (p.mode !== 'enforce' && p.mode !== 'flag') throw new PolicyDefinitionError(`policy ${p.name}: mode must be enforce or flag`);
  return p;
}
