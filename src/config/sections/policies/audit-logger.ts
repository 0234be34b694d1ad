/** `policy.audit-logger`: the decision-event record. */
import { z } from 'zod';
import { policyBase } from './common.js';

export const auditLoggerSchema = z
  .strictObject({
    ...policyBase,
    retention_days: z.number().int().min(1).max(36500).default(90).describe('Events older than this are purged.'),
    immutable: z.boolean().default(true).describe('Chain events with hashes so edits are detectable (kt events verify).'),
    detail: z
      .enum(['summary', 'findings'])
      .default('findings')
      .describe('summary: verdicts and counts; findings: plus rule, type and JSON path of each finding. Never content.'),
  })
  .describe('Records one decision event per request.');

export type AuditLoggerConfig = z.infer<typeof auditLoggerSchema>;
