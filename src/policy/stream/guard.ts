/**
 * The stream guard: sits on a client-dialect SSE stream, routes each text or tool-argument delta through
 * its channel's hold-back (redacting across chunk boundaries), redacts whole texts in done/final events
 * the same way, releases held text before the event that closes its channel, adds a disclaimer at the
 * end, and — when an output policy blocks — stops emitting and sets `refusal` so the pipeline ends the
 * stream with an error event in the client's dialect.
 *
 * Lifecycle (asserted): push* → end, once; nothing is emitted after end or after a refusal.
 */
import assert from 'node:assert/strict';
import type { StreamTextCodec, TextRef } from '../../dialects/stream-text.js';
import { closesChannel } from '../../dialects/stream-text.js';
import { GatewayError } from '../../errors.js';
import type { StreamGuard } from '../../gateway/hooks.js';
import type { SseEvent } from '../../sse/parser.js';
import type { Finding, PolicyResult, Verdict } from '../types.js';
import { ChannelHoldback, type HoldbackHit, type HoldbackRules } from './holdback.js';

export interface StreamGuardOptions {
  codec: StreamTextCodec;
  rules: HoldbackRules;
  /** Policies guarding this stream, for per-policy results. */
  policies: readonly string[];
  fingerprint(type: string, value: string): string;
  notice?: string;
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

export function createStreamGuard(opts: StreamGuardOptions): StreamGuard {
  const channels = new Map<string, ChannelHoldback>();
  const templates = new Map<string, SseEvent>();
  const findings = new Map<string, Finding[]>();
  let latency = 0;
  let maxIndex = -1;
  let ended = false;
  let noticeSent = false;
  let refusal: GatewayError | undefined;
  const fold = opts.onFinish ? { text: '', args: new Map<string, string>(), truncated: false } : undefined;

  const channel = (ref: TextRef) => {
    let ch = channels.get(ref.channel);
    if (!ch) channels.set(ref.channel, (ch = new ChannelHoldback(opts.rules, ref.role)));
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
  const redactWhole = (ref: TextRef) => {
    const h = new ChannelHoldback(opts.rules, ref.role);
    const { text, hits } = h.push(ref.text, true);
    record(ref, hits.filter((x) => x.action === 'block' || x.action === 'escalate'));
    ref.set(text);
  };

  const flushClosed = (closes: string[] | 'all', skip: Set<string>, out: SseEvent[]) => {
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
      const parsed = opts.codec.parse(ev);
      if (!parsed) {
        out.push(ev);
      } else {
        const closingHere = new Set<string>();
        if (fold && parsed.closes.length && TRUNCATED.test(ev.data)) fold.truncated = true;
        for (const ref of parsed.deltas) {
          if (fold) {
            if (ref.role === 'assistant') fold.text += ref.text;
            else fold.args.set(ref.channel, (fold.args.get(ref.channel) ?? '') + ref.text);
          }
          const final = closesChannel(parsed.closes, ref.channel);
          if (final) closingHere.add(ref.channel);
          const { text, hits } = channel(ref).push(ref.text, final);
          record(ref, hits);
          ref.set(text);
          templates.set(ref.channel, ev);
          const idx = Number(/^b(\d+)$/.exec(ref.channel)?.[1] ?? -1);
          if (idx > maxIndex) maxIndex = idx;
        }
        const m = /"index":(\d+)/.exec(ev.data);
        if (ev.event === 'content_block_start' && m) maxIndex = Math.max(maxIndex, Number(m[1]));
        flushClosed(parsed.closes, closingHere, out);
        for (const ref of parsed.full) redactWhole(ref);
        if (parsed.closes === 'all' && opts.notice && !noticeSent && opts.codec.notice) {
          noticeSent = true;
          out.push(...opts.codec.notice({ templates, maxIndex }, opts.notice));
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
