/**
 * `pii-detector`: email, phone, payment cards, IBAN, US SSN and IP addresses (plus `detect_patterns`)
 * in prompts, tool traffic and answers; `action` (default redact) with per-type overrides.
 */
import type { PiiDetectorConfig } from '../../../config/sections/policies/pii-detector.js';
import { runDetectors } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import { namedPatterns, type PolicyBuildDeps } from '../../policy-deps.js';
import { piiTail, trailingRun } from '../../stream/tails.js';
import type { Verdict } from '../../types.js';

export const NAME = 'pii-detector';

/** Config key → detector type id. */
const TYPE_KEYS = {
  email: 'email',
  phone: 'phone',
  credit_card: 'credit-card',
  iban: 'iban',
  ssn: 'us-ssn',
  ip_address: 'ip-address',
} as const;

export function createPiiPolicy(cfg: PiiDetectorConfig, deps: PolicyBuildDeps): Policy {
  const perType = new Map<string, Verdict | 'off'>();
  for (const [key, type] of Object.entries(TYPE_KEYS)) {
    const a = cfg.types?.[key as keyof typeof TYPE_KEYS];
    if (a) perType.set(type, a === 'off' ? 'off' : a);
  }
  const types = Object.values(TYPE_KEYS).filter((t) => perType.get(t) !== 'off');
  const detector = deps.detectors.pii({
    types,
    detectPatterns: namedPatterns(cfg.detect_patterns, 'pattern'),
    // (marked edit: detection precision) private and reserved values only when asked for.
    ip: { includePrivate: cfg.ip?.include_private ?? false },
    includeReserved: cfg.include_reserved ?? false,
  });
  const actionFor = (type: string): Verdict => {
    const a = perType.get(type);
    return a === undefined || a === 'off' ? cfg.action : a;
  };
  const run = {
    policy: NAME,
    detectors: [detector],
    redaction: cfg.redaction,
    reasonCode: 'pii_detected',
    allowlist: new Set(cfg.allowlist ?? []),
    actionFor: (d: { type: string }) => actionFor(d.type),
  };
  return definePolicy({
    name: NAME,
    phases: ['input', 'tool', 'output'],
    mode: cfg.mode ?? 'enforce',
    advice: 'Remove or anonymise the personal data and send again.',
    evaluate: (ctx) => runDetectors(run, ctx, deps),
    stream: {
      detectors: [detector],
      actionFor: (_rule, type) => actionFor(type),
      redaction: cfg.redaction,
      // A pending email or number (tails.ts); detect_patterns are the user's, so any trailing run may start one.
      pending: cfg.detect_patterns?.length ? (t: string) => Math.min(piiTail(t), trailingRun(t)) : piiTail,
    },
  });
}
