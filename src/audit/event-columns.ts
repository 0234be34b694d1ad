/** Columns copied out of the event for filtering; `verify` checks they still match the hashed JSON. */
import type { DecisionEvent } from './event.js';

export const COLUMNS = ['id', 'ts', 'verdict', 'outcome', 'user_id', 'team_id', 'project_id', 'key_id', 'client', 'model', 'cost_usd', 'input_tokens', 'output_tokens'] as const;

export function columnValues(ev: DecisionEvent): unknown[] {
  return [ev.id, Date.parse(ev.timestamp), ev.verdict, ev.outcome, ev.user_id ?? null, ev.team_id ?? null, ev.project_id ?? null,
    ev.key_id ?? null, ev.client, ev.model ?? null, ev.cost_usd, ev.input_tokens, ev.output_tokens];
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof b === 'number') return Number(a) === b;
  return a === b;
}

export interface SegmentRow {
  day: string;
  table_name: string;
}
