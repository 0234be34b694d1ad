/**
 * `quality-scorer`: cheap heuristics on a buffered answer — empty, truncated at the token limit, a
 * refusal, invalid JSON when JSON was asked for, tool-call arguments that do not parse — folded into one
 * score (the lowest applicable), reported on the event; below `min_score` the `on_fail` verdict applies.
 */
import type { QualityScorerConfig } from '../../../config/sections/policies/quality-scorer.js';
import { definePolicy, type Policy, type PolicyContext } from '../../policy.js';
import type { Finding, PolicyOutcome } from '../../types.js';
import { jsonRequested, parses, providerRefusal, textRefusal, truncated } from './signals.js';

export const NAME = 'quality-scorer';

const SCORES = { empty: 0, tool_arguments: 0.2, invalid_json: 0.2, refusal: 0.3, short: 0.4, truncated: 0.5 } as const;
type Check = keyof typeof SCORES;

export function scoreOutput(cfg: QualityScorerConfig, ctx: PolicyContext): { score: number; failed: { check: Check; path: string }[] } {
  const on = (c: keyof NonNullable<QualityScorerConfig['checks']>) => cfg.checks?.[c] ?? true;
  const failed: { check: Check; path: string }[] = [];
  const texts = ctx.segments.filter((s) => s.role === 'assistant');
  const calls = ctx.segments.filter((s) => s.role === 'tool_call');
  const text = texts.map((s) => s.text).join('');
  const hasToolCall = calls.length > 0 || /"type":"(?:tool_use|function_call)"/.test(JSON.stringify(ctx.response ?? '').slice(0, 100_000));
  if (on('empty') && text.trim().length === 0 && !hasToolCall) failed.push({ check: 'empty', path: '' });
  else if (!hasToolCall && text.trim().length < cfg.min_output_chars) failed.push({ check: 'short', path: texts[0]?.pointer ?? '' });
  if (on('truncated') && truncated(ctx.response)) failed.push({ check: 'truncated', path: '' });
  if (on('refusal') && (providerRefusal(ctx.response) || textRefusal(text))) failed.push({ check: 'refusal', path: texts[0]?.pointer ?? '' });
  if (on('invalid_json') && jsonRequested(ctx.request) && text.trim() && !parses(text)) failed.push({ check: 'invalid_json', path: texts[0]?.pointer ?? '' });
  if (on('tool_arguments'))
    for (const c of calls) if (/(?:^|\.)arguments$/.test(c.pointer) && !parses(c.text)) failed.push({ check: 'tool_arguments', path: c.pointer });
  const score = failed.reduce((m, f) => Math.min(m, SCORES[f.check]), 1);
  return { score, failed };
}

export function createQualityScorer(cfg: QualityScorerConfig): Policy {
  return definePolicy({
    name: NAME,
    phases: ['output'],
    mode: cfg.mode ?? 'enforce',
    advice: 'The answer did not meet the configured quality bar; retry or rephrase the request.',
    evaluate: (ctx): PolicyOutcome => {
      // Streams are scored from what the guard saw; without a response body there is nothing to judge.
      if (ctx.response === undefined) return { verdict: 'allow', findings: [] };
      const { score, failed } = scoreOutput(cfg, ctx);
      const findings: Finding[] = failed.map((f) => ({
        policy: NAME,
        rule: `quality.${f.check}`,
        type: f.check,
        category: 'quality',
        path: f.path,
        start: 0,
        end: 0,
        action: score < cfg.min_score ? cfg.on_fail : 'flag',
      }));
      if (score >= cfg.min_score) return { verdict: failed.length ? 'flag' : 'allow', reasonCode: failed.length ? 'quality_low' : undefined, findings, score };
      return { verdict: cfg.on_fail, reasonCode: 'quality_below_threshold', findings, score };
    },
  });
}
