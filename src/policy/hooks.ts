/**
 * The policy engine as gateway hooks: `inspectRequest` (input and tool phases over the request's
 * segments, edits applied once), `inspectResponse` (output phase over a buffered answer, plus the
 * disclaimer) and `streamGuard` (undefined when no output policy is configured: zero overhead).
 * Per-policy results go on `ex.policyResults`; `ex.verdict` / `ex.reasonCode` follow the worst one.
 */
import type { DialectName, Segment, TextEdit } from '../dialects/types.js';
import type { StreamTextCodec } from '../dialects/stream-text.js';
import { anthropicStreamText } from '../dialects/anthropic-messages/stream-text.js';
import { openaiChatStreamText } from '../dialects/openai-chat/stream-text.js';
import { openaiCompletionsStreamText } from '../dialects/openai-completions/stream-text.js';
import { openaiResponsesStreamText } from '../dialects/openai-responses/stream-text.js';
import type { GatewayError } from '../errors.js';
import type { Exchange } from '../gateway/exchange.js';
import type { GatewayHooks } from '../gateway/hooks.js';
import { applyEdits } from './apply-edits.js';
import { SEVERITY } from './detector-policy.js';
import { PolicyEngine, type EngineOptions, type PhaseRun } from './engine.js';
import { createFingerprinter, fingerprintKeySource } from './fingerprint.js';
import { addNotice } from './notice.js';
import { placeholder } from './placeholders.js';
import { buildPolicies, type BuildOptions, type PolicyConfigView } from './registry.js';
import { segmentsFor } from './segment-registry.js';
import { createStreamGuard, type StreamFold } from './stream/guard.js';
import { disclaimerApplies } from './policies/disclaimers/index.js';
import type { Phase, PolicyOutcome, PolicyResult } from './types.js';
import { performance } from 'node:perf_hooks';

export type PolicyHooks = Pick<GatewayHooks, 'inspectRequest' | 'inspectResponse' | 'streamGuard'>;

const CODECS: Partial<Record<DialectName, StreamTextCodec>> = {
  'openai-chat': openaiChatStreamText,
  'openai-responses': openaiResponsesStreamText,
  'openai-completions': openaiCompletionsStreamText,
  'anthropic-messages': anthropicStreamText,
};

const TOOL_ROLES = new Set(['tool_result', 'tool_call']);

/** Answers that carry no generated text (vectors, token counts): nothing for output policies to judge. */
// (marked edit: proxy) generic-json: answers on protocols kt does not know are relayed unscanned.
const NO_OUTPUT = new Set<DialectName>(['openai-embeddings', 'anthropic-count-tokens', 'generic-json']);

export function splitByPhase(segments: readonly Segment[]): { input: Segment[]; tool: Segment[] } {
  const input: Segment[] = [];
  const tool: Segment[] = [];
  for (const s of segments) (TOOL_ROLES.has(s.role) ? tool : input).push(s);
  return { input, tool };
}

function note(ex: Exchange, run: PhaseRun | PolicyResult[]): void {
  const results = Array.isArray(run) ? run : run.results;
  for (const r of results) {
    ex.policyResults.push(r);
    if (SEVERITY[r.verdict] > SEVERITY[ex.verdict]) {
      ex.verdict = r.verdict;
      ex.reasonCode = r.reasonCode;
    }
    if (r.score !== undefined) ex.quality = r.score;
  }
}

export interface PolicyHooksOptions extends EngineOptions, BuildOptions {}

export function createPolicyHooks(config: PolicyConfigView, opts: PolicyHooksOptions = {}): PolicyHooks & { engine: PolicyEngine; warnings: string[] } {
  const { policies, warnings, cache } = buildPolicies(config, opts);
  const engine = new PolicyEngine(policies, opts);
  const fingerprint = createFingerprinter(fingerprintKeySource({ key: opts.fingerprintKey, dataDir: opts.dataDir, warn: opts.warn }));
  const streamPolicies = policies.filter((p) => p.phases.includes('output') && p.stream);
  const noticePolicy = policies.find((p) => p.notice);
  const qualityPolicy = policies.find((p) => p.name === 'quality-scorer' && p.phases.includes('output'));
  const advice = Object.fromEntries(policies.map((p) => [p.name, p.advice ?? '']));
  const flagOnly = (ex: Exchange) => ex.scope?.mode === 'flag';
  const noticeFor = (ex: Exchange) =>
    noticePolicy?.notice && disclaimerApplies({ models: noticePolicy.notice.models ? [...noticePolicy.notice.models] : undefined }, ex.model) ? noticePolicy.notice : undefined;

  const runRequestPhase = async (ex: Exchange, phase: Phase, segments: Segment[]) =>
    engine.runPhase(phase, { segments, conversationId: ex.conversationId, model: ex.model, dialect: ex.dialect, request: ex.body }, { flagOnly: flagOnly(ex) });

  /**
   * Quality of a streamed answer, scored once it ended on the folded text (the same heuristics as a
   * buffered answer). The answer was already delivered, so a failing score is recorded, never enforced.
   */
  const scoreStream = (ex: Exchange, fold: StreamFold) => {
    const segments: Segment[] = [{ path: ['stream'], pointer: 'stream', role: 'assistant', text: fold.text }];
    fold.toolArguments.forEach((text, i) => segments.push({ path: ['stream', i, 'arguments'], pointer: `stream.tool_calls[${i}].arguments`, role: 'tool_call', text }));
    const response = { stop_reason: fold.truncated ? 'max_tokens' : 'end_turn' };
    const started = performance.now();
    const record = (out: PolicyOutcome) => {
      const verdict = out.verdict === 'allow' ? 'allow' : 'flag';
      const r: PolicyResult = { policy: qualityPolicy!.name, phase: 'output', verdict, latencyMs: Math.round((performance.now() - started) * 1000) / 1000, findings: out.findings };
      if (out.reasonCode) r.reasonCode = out.reasonCode;
      if (out.score !== undefined) r.score = out.score;
      if (out.verdict !== verdict) r.reason = `stream already delivered: would have applied ${out.verdict}`;
      note(ex, [r]);
    };
    try {
      const out = qualityPolicy!.evaluate({ phase: 'output', segments, request: ex.body, response, dialect: ex.dialect, model: ex.model });
      if (out instanceof Promise) out.then(record, () => undefined);
      else record(out);
    } catch {
      // Scoring is advisory once the answer is out; a failure leaves no score rather than a wrong one.
    }
  };

  return {
    engine,
    warnings,
    async inspectRequest(ex) {
      if (!engine.hasPhase('input') && !engine.hasPhase('tool')) return undefined;
      const segments = segmentsFor(ex.dialect).request(ex.body);
      cache.attach(segments, ex.conversationId);
      const { input, tool } = splitByPhase(segments);
      const edits: TextEdit[] = [];
      for (const [phase, segs] of [['input', input], ['tool', tool]] as const) {
        const run = await runRequestPhase(ex, phase, segs);
        note(ex, run);
        if (run.error) {
          ex.reasonCode = run.reasonCode ?? ex.reasonCode;
          return run.error;
        }
        edits.push(...run.edits);
      }
      const { body, changed } = applyEdits(ex.body, edits);
      if (changed) {
        ex.body = body;
        ex.bodyEdited = true;
      }
      return undefined;
    },

    async inspectResponse(ex, body): Promise<{ body?: unknown; error?: GatewayError }> {
      const notice = noticeFor(ex);
      if (!engine.hasPhase('output') || NO_OUTPUT.has(ex.dialect)) return {};
      const segments = segmentsFor(ex.dialect).response(body);
      const run = await engine.runPhase('output', { segments, conversationId: ex.conversationId, model: ex.model, dialect: ex.dialect, request: ex.body, response: body }, { flagOnly: flagOnly(ex) });
      note(ex, run);
      if (run.error) return { error: run.error };
      let out = body;
      let changed = false;
      if (run.edits.length) ({ body: out, changed } = applyEdits(body, run.edits));
      if (notice) {
        out = addNotice(ex.dialect, out, notice.text, notice.position);
        changed = changed || out !== body;
      }
      return changed ? { body: out } : {};
    },

    streamGuard(ex) {
      const codec = CODECS[ex.dialect];
      const notice = noticeFor(ex);
      if (!codec || (streamPolicies.length === 0 && !notice && !qualityPolicy)) return undefined;
      const flag = flagOnly(ex);
      const redaction = { marker_format: 'label' as const };
      const detectors = streamPolicies.flatMap((p) =>
        p.stream!.detectors.map((detector) => ({
          detector,
          policy: p.name,
          redact: (type: string, value: string) => placeholder(type, value, p.stream!.redaction ?? redaction, fingerprint),
          pending: p.stream!.pending,
          action: (d: { rule: string; type: string }) => {
            const v = p.stream!.actionFor(d.rule, d.type);
            return (flag || p.mode === 'flag') && v !== 'allow' ? 'flag' : v;
          },
        })),
      );
      return createStreamGuard({
        codec,
        policies: streamPolicies.map((p) => p.name),
        fingerprint,
        notice: notice ? { text: notice.text, position: notice.position } : undefined,
        toolCalls: streamPolicies.flatMap((p) =>
          (p.stream!.toolCalls?.detectors ?? []).map((detector) => ({
            policy: p.name,
            detector,
            action: (d: { rule: string; type: string }) => {
              const v = p.stream!.toolCalls!.actionFor(d.rule, d.type);
              return (flag || p.mode === 'flag') && v !== 'allow' ? 'flag' : v;
            },
            message: p.stream!.toolCalls!.message ? (d: { rule: string }) => p.stream!.toolCalls!.message!(d.rule) : undefined,
          })),
        ),
        advice,
        rules: {
          detectors,
          redact: (type, value) => placeholder(type, value, redaction, fingerprint),
        },
        onResults: (results) => note(ex, results),
        onFinish: qualityPolicy ? (fold) => scoreStream(ex, fold) : undefined,
      });
    },
  };
}
