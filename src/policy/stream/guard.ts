/**
 * The stream guard: sits on a client-dialect SSE stream, routes each text or tool-argument delta through
 * its channel's hold-back (redacting across chunk boundaries), redacts whole texts in done/final events
 * the same way, releases held text before the event that closes its channel, judges each tool call's
 * complete arguments when its channel closes (dangerous shell: the client runs a call only once it is
 * complete, so refusing before the close is in time), adds a disclaimer (before the first text delta, or
 * at the end), and — when an output policy blocks — stops emitting and sets `refusal` so the pipeline
 * ends the stream with an error event in the client's dialect.
 *
 * Lifecycle (asserted): push* → end, once; nothing is emitted after end or after a refusal.
 */
import assert from 'node:assert/strict';
import type { StreamMemo, StreamTextCodec, TextRef } from '../../dialects/stream-text.js';
import { closesChannel } from '../../dialects/stream-text.js';
import { GatewayError } from '../../errors.js';
import type { StreamGuard } from '../../gateway/hooks.js';
import type { SseEvent } from '../../sse/parser.js';
import type { Detection, Detector } from '../../detect/types.js';
import type { Finding, PolicyResult, Verdict } from '../types.js';
import { ChannelHoldback, type HoldbackHit, type HoldbackRules } from './holdback.js';

/** A check of one tool call's complete arguments (not its deltas). */
export interface ToolCallCheck {
  policy: string;
  detector: Detector;
  action(d: Detection): Verdict;
  /** The refusal's message when this check blocks (default: the guard's generic one). */
  message?(d: Detection): string;
}

export interface StreamGuardOptions {
  codec: StreamTextCodec;
  rules: HoldbackRules;
  /** Policies guarding this stream, for per-policy results. */
  policies: readonly string[];
  fingerprint(type: string, value: string): string;
  notice?: { text: string; position: 'append' | 'prepend' };
  /** Run on each tool call's whole arguments when its channel closes. */
  toolCalls?: readonly ToolCallCheck[];
  /** Receives one PolicyResult per policy when the stream ends (or is refused). */
  onResults?(results: PolicyResult[]): void;
  /** Receives the answer folded to text when the stream ends (quality scoring); only when set is text kept. */
  onFinish?(fold: StreamFold): void;
  advice?: Record<string, string>;
}

/** A streamed answer folded to what quality heuristics read. */
export interface StreamFold {
  text: string;
  toolArguments: string[];
  truncated: boolean;
}

/** Stop signals meaning "hit the output-token limit" in each dialect's closing events. */
const TRUNCATED = /"finish_reason":"length"|"stop_reason":"max_tokens"|"type":"response\.incomplete"/;
/** Between a prepended notice and the answer, as in buffered answers (notice.ts). */
const NOTICE_SEP = '\n\n';
const NONE: ReadonlySet<string> = new Set();

export function createStreamGuard(opts: StreamGuardOptions): StreamGuard {
  const channels = new Map<string, ChannelHoldback>();
  const templates = new Map<string, SseEvent>();
  const findings = new Map<string, Finding[]>();
  let latency = 0;
  let maxIndex = -1;
  let ended = false;
  let noticeSent = false;
  /** The channel that carries a prepended notice (the first assistant text channel). */
  let prependChannel: string | undefined;
  /** Without a codec notice (Responses), an appended notice ends the first text channel to close. */
  let appendChannel: string | undefined;
  const textChannels: string[] = [];
  let refusal: GatewayError | undefined;
  const fold = opts.onFinish ? { text: '', args: new Map<string, string>(), truncated: false } : undefined;
  const toolChecks = opts.toolCalls ?? [];
  /** Raw arguments of tool calls not yet judged, by channel. */
  const toolArgs = new Map<string, string>();
  const judged = new Set<string>();
  /** The codec's per-stream state (frames of repeated delta events). */
  const memo: StreamMemo = {};

  const judgeToolCall = (channelId: string, text: string) => {
    if (judged.has(channelId)) return;
    judged.add(channelId);
    toolArgs.delete(channelId);
    const hits: HoldbackHit[] = [];
    for (const c of toolChecks)
      for (const d of c.detector.scan(text, { role: 'tool_call' })) {
        const action = c.action(d);
        if (action === 'allow') continue;
        hits.push({ policy: c.policy, detection: d, action, offset: d.start, value: text.slice(d.start, d.end) });
        if ((action === 'block' || action === 'escalate') && !refusal && c.message)
          refusal = new GatewayError('KT_ERR_POLICY_BLOCKED', c.message(d), { reason: action === 'escalate' ? 'escalation_required' : 'output_blocked', policy: c.policy });
      }
    record({ channel: channelId }, hits);
  };
  /** The first assistant text delta carries the notice, before its own text. */
  const prepend = (ref: TextRef, text: string): string => {
    if (opts.notice?.position !== 'prepend' || ref.role !== 'assistant' || noticeSent) return text;
    prependChannel = ref.channel;
    noticeSent = true;
    return opts.notice.text + NOTICE_SEP + text;
  };

  const channel = (ref: TextRef) => {
    let ch = channels.get(ref.channel);
    if (!ch) {
      channels.set(ref.channel, (ch = new ChannelHoldback(opts.rules, ref.role)));
      if (ref.role === 'assistant') textChannels.push(ref.channel);
    }
    return ch;
  };

  const record = (ref: { channel: string }, hits: HoldbackHit[]) => {
    for (const h of hits) {
      const list = findings.get(h.policy) ?? [];
      if (list.length < 200)
        list.push({
          policy: h.policy,
          rule: h.detection.rule,
          type: h.detection.type,
          category: h.detection.category,
          path: `stream.${ref.channel}`,
          start: h.offset,
          end: h.offset + (h.detection.end - h.detection.start),
          action: h.action,
          fingerprint: opts.fingerprint(h.detection.type, h.value),
        });
      findings.set(h.policy, list);
      if ((h.action === 'block' || h.action === 'escalate') && !refusal) {
        const reason = h.action === 'escalate' ? 'escalation_required' : 'output_blocked';
        refusal = new GatewayError(
          'KT_ERR_POLICY_BLOCKED',
          `kt stopped the model's response: policy ${h.policy} (rule ${h.detection.rule}: ${h.detection.type} in the answer). ${opts.advice?.[h.policy] ?? 'Ask your kt administrator if this is a false positive.'}`,
          { reason, policy: h.policy },
        );
      }
    }
  };

  /** Whole texts (done events, final objects): redacted in one pass, same placeholders as the deltas. */
  /**
   * Whole texts already redacted in this stream, by role and text: a Responses answer repeats each text
   * in up to four closing events (`.done`, `content_part.done`, `output_item.done`, `response.completed`).
   * A repeat needs no new scan: the same text gets the same placeholders, and a blocking finding ended
   * the stream at its first occurrence.
   */
  const wholes = new Map<string, string>();
  const redactWhole = (ref: TextRef) => {
    if (ref.role === 'tool_call' && toolChecks.length) judgeToolCall(ref.channel, ref.text);
    const key = ref.role + '\u0000' + ref.text;
    let text = wholes.get(key);
    if (text === undefined) {
      const r = new ChannelHoldback(opts.rules, ref.role).push(ref.text, true);
      record(ref, r.hits.filter((x) => x.action === 'block' || x.action === 'escalate'));
      wholes.set(key, (text = r.text));
    }
    // A whole text repeats its channel's deltas: the prepended notice is part of it (only once sent).
    if (ref.channel === prependChannel) ref.set(opts.notice!.text + NOTICE_SEP + text);
    else if (ref.channel === appendChannel && ref.role === 'assistant') ref.set(text + NOTICE_SEP + opts.notice!.text);
    else ref.set(text);
  };

  const flushClosed = (closes: string[] | 'all', skip: ReadonlySet<string>, out: SseEvent[]) => {
    for (const [id, ch] of channels) {
      if (skip.has(id) || !closesChannel(closes, id) || !ch.holding) continue;
      const { text, hits } = ch.push('', true);
      record({ channel: id }, hits);
      const t = templates.get(id);
      if (text && t) out.push(opts.codec.synthesize(t, id, text));
    }
  };

  const results = (): PolicyResult[] =>
    opts.policies.map((policy) => {
      const f = findings.get(policy) ?? [];
      const verdict = f.reduce<Verdict>((v, x) => (rank(x.action) > rank(v) ? x.action : v), 'allow');
      return { policy, phase: 'output' as const, verdict, latencyMs: Math.round(latency * 1000) / 1000, findings: f, ...(verdict !== 'allow' ? { reasonCode: reasonFor(f) } : {}) };
    });

  return {
    push(ev) {
      assert.ok(!ended, 'stream guard: push after end');
      if (refusal) return [];
      const t0 = performance.now();
      const out: SseEvent[] = [];
      const parsed = opts.codec.parse(ev, memo);
      if (!parsed) {
        out.push(ev);
      } else {
        const closes = parsed.closes;
        /** Whether this event ends anything (most delta events do not: then nothing below needs to look). */
        const closing = closes === 'all' || closes.length > 0;
        let closingHere: Set<string> | undefined;
        if (fold && closes.length && TRUNCATED.test(ev.data)) fold.truncated = true;
        for (const ref of parsed.deltas) {
          if (fold) {
            if (ref.role === 'assistant') fold.text += ref.text;
            else fold.args.set(ref.channel, (fold.args.get(ref.channel) ?? '') + ref.text);
          }
          const final = closing && closesChannel(closes, ref.channel);
          if (final) (closingHere ??= new Set()).add(ref.channel);
          if (ref.role === 'tool_call' && toolChecks.length && !judged.has(ref.channel)) toolArgs.set(ref.channel, (toolArgs.get(ref.channel) ?? '') + ref.text);
          const { text, hits } = channel(ref).push(ref.text, final);
          record(ref, hits);
          ref.set(prepend(ref, text));
          templates.set(ref.channel, ev);
          // Anthropic block indexes (`b3`), for a notice block after the last one.
          const idx = ref.channel.charCodeAt(0) === 98 ? Number(/^b(\d+)$/.exec(ref.channel)?.[1] ?? -1) : -1;
          if (idx > maxIndex) maxIndex = idx;
        }
        if (ev.event === 'content_block_start') {
          const m = /"index":(\d+)/.exec(ev.data);
          if (m) maxIndex = Math.max(maxIndex, Number(m[1]));
        }
        if (closing) {
          // A tool call is complete when its channel closes: judge it before anything of the close goes out.
          for (const [id, args] of toolArgs) if (closesChannel(closes, id)) judgeToolCall(id, args);
          flushClosed(closes, closingHere ?? NONE, out);
        }
        if (opts.notice?.position === 'append' && !opts.codec.notice && !noticeSent) {
          const id = textChannels.find((c) => closesChannel(parsed.closes, c));
          const t = id && templates.get(id);
          if (id && t) {
            noticeSent = true;
            appendChannel = id;
            out.push(opts.codec.synthesize(t, id, NOTICE_SEP + opts.notice.text));
          }
        }
        for (const ref of parsed.full) redactWhole(ref);
        if (parsed.closes === 'all' && opts.notice?.position === 'append' && !noticeSent && opts.codec.notice) {
          noticeSent = true;
          out.push(...opts.codec.notice({ templates, maxIndex }, opts.notice.text));
        }
        if (!refusal) out.push(parsed.toEvent());
      }
      latency += performance.now() - t0;
      if (refusal) {
        opts.onResults?.(results());
        // Nothing from the event that carried the blocked text goes out; the pipeline sends the error event.
        return [];
      }
      return out;
    },
    end() {
      assert.ok(!ended, 'stream guard: end called twice');
      ended = true;
      const out: SseEvent[] = [];
      if (!refusal) flushClosed('all', new Set(), out);
      if (!refusal) opts.onResults?.(results());
      if (!refusal && fold) opts.onFinish?.({ text: fold.text, toolArguments: [...fold.args.values()], truncated: fold.truncated });
      return refusal ? [] : out;
    },
    get refusal() {
      return refusal;
    },
  };
}

function rank(v: Verdict): number {
  return { allow: 0, flag: 1, redact: 2, escalate: 3, block: 4 }[v];
}

function reasonFor(f: Finding[]): string {
  const cat = f[0]?.category;
  return cat === 'secret' ? 'secret_detected' : cat === 'pii' ? 'pii_detected' : cat === 'dlp' ? 'dlp_match' : cat === 'safety' ? 'unsafe_content' : 'output_finding';
}
