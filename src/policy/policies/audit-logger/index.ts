/**
 * `audit-logger`: retention and immutability of decision events are the evidence store's job; in the
 * chain it only declares that events are kept. It runs in no phase.
 */
import type { AuditLoggerConfig } from '../../../config/sections/policies/audit-logger.js';
import { definePolicy, type Policy } from '../../policy.js';

export const NAME = 'audit-logger';

export function createAuditLogger(cfg: AuditLoggerConfig): Policy {
  return definePolicy({ name: NAME, phases: [], mode: cfg.mode ?? 'enforce', evaluate: () => ({ verdict: 'allow', findings: [] }) });
}
