/** Contract between the policy engine, the policies and the rest of the gateway. Types only. */
import type { Segment, TextEdit } from '../dialects/types.js';

export const PHASES = ['input', 'tool', 'output'] as const;
export type Phase = (typeof PHASES)[number];

export const VERDICTS = ['allow', 'flag', 'redact', 'block', 'escalate'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type FindingCategory = 'secret' | 'pii' | 'injection' | 'dlp' | 'safety' | 'quality' | 'shell' | 'access';

/** What a policy found. Never carries the matched text: a keyed fingerprint at most. */
export interface Finding {
  policy: string;
  rule: string;
  type: string;
  category: FindingCategory;
  /** Printable JSON path of the segment (`messages[3].content`). */
  path: string;
  start: number;
  end: number;
  action: Verdict;
  /** HMAC of the value with the gateway's key, so equal values can be correlated across events. */
  fingerprint?: string;
  count?: number;
}

export interface PolicyResult {
  policy: string;
  phase: Phase;
  verdict: Verdict;
  reasonCode?: string;
  reason?: string;
  latencyMs: number;
  findings: Finding[];
  /** Set when the policy threw or timed out; the verdict then follows --fail-mode. */
  error?: string;
  /** Quality score (0..1) for quality-scorer. */
  score?: number;
}

/** What one policy returns for one phase. */
export interface PolicyOutcome {
  verdict: Verdict;
  reasonCode?: string;
  /** Human explanation for a block: names policy, rule and what to do; never the matched text. */
  message?: string;
  findings: Finding[];
  edits?: TextEdit[];
  score?: number;
}

export interface PolicyInput {
  phase: Phase;
  segments: readonly Segment[];
  /** Conversation id, for deterministic placeholders across turns. */
  conversationId?: string;
  model?: string;
}
