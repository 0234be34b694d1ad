/**
 * The decision event: one per request, whatever the outcome. Built from the Exchange by `toEvent`,
 * which copies identifiers, verdicts, counts and fingerprints only — never a header value, a body
 * or a matched text. docs/EVENTS.md documents every field.
 */
import { randomBytes } from 'node:crypto';
import type { Exchange } from '../gateway/exchange.js';

export const EVENT_SCHEMA_VERSION = 1;

export interface EventFinding {
  type: string;
  rule: string;
  category: string;
  /** JSON path of the segment, e.g. `messages[3].content`. */
  path: string;
  action: string;
  count: number;
  /** Keyed hash of the value (set by the detector), never the value. */
  fingerprint?: string;
}

export interface EventPolicyResult {
  policy: string;
  phase: string;
  verdict: string;
  reason_code?: string;
  latency_ms: number;
  /** Short explanation from the engine (e.g. `flag mode: would have applied block`); never content. */
  reason?: string;
  error?: string;
  score?: number;
  findings: EventFinding[];
  /** With `audit-logger.detail: summary`: how many findings, instead of the list. */
  finding_count?: number;
}

export interface DecisionEvent {
  v: number;
  id: string;
  /** ISO-8601 time the request arrived. */
  timestamp: string;
  request_id: string;
  traceparent?: string;
  conversation_id?: string;
  config_version: string;
  route: string;
  dialect: string;
  method: string;
  stream: boolean;
  via_proxy?: boolean;
  /** (marked edit: proxy) Passthrough requests and CONNECT tunnels: `host[:port]` reached, bytes each way. */
  host?: string;
  bytes_up?: number;
  bytes_down?: number;
  client: string;
  auth: string;
  key_id?: string;
  user_id?: string;
  team_id?: string;
  project_id?: string;
  agent_id?: string;
  scope?: string;
  /** Why the scope applied, e.g. `client=claude-cli` or `key_tag=ci,route_prefix=/assistants`. */
  scope_reason?: string;
  /** `enforce` or `flag` (the scope's policies only record what they would have done). */
  scope_mode?: string;
  target_id?: string;
  provider?: string;
  /** Model the client asked for. */
  model?: string;
  /** Model sent upstream, when it differs. */
  upstream_model?: string;
  verdict: string;
  reason_code?: string;
  outcome: string;
  status?: number;
  error_code?: string;
  policies: EventPolicyResult[];
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  /** Of cache_write_tokens, those written to Anthropic's 1-hour cache (priced higher); omitted when none. */
  cache_write_1h_tokens?: number;
  /** USD; null when the model has no known price (never guessed as 0). */
  cost_usd: number | null;
  latency_ms: number | null;
  upstream_ms: number | null;
  /** Time to the first upstream byte, from dispatch. */
  ttfb_ms: number | null;
  /** latency_ms − upstream_ms: what the gateway itself added. */
  overhead_ms: number | null;
  attempts: number;
  cache_hit: boolean;
  quality?: number;
}

const texts = new WeakMap<DecisionEvent, string>();

/**
 * The event's JSON text, serialised once: the journal line, the stored row (whose hash is over this
 * text) and the live event stream use the same string. Events are not changed after `record`.
 */
export function eventJson(ev: DecisionEvent): string {
  let t = texts.get(ev);
  if (t === undefined) texts.set(ev, (t = JSON.stringify(ev)));
  return t;
}

export function newEventId(): string {
  return 'evt_' + randomBytes(12).toString('base64url');
}

const MAX_ERROR_CHARS = 160;
const MAX_REASON_CHARS = 120;
const ms = (a?: number, b?: number): number | null => (a === undefined || b === undefined ? null : Math.max(0, Math.round((b - a) * 10) / 10));
/** Identifiers from headers are copied into events; cap them so a header cannot bloat or smuggle text. */
const ident = (v: string | undefined): string | undefined => (v === undefined ? undefined : v.slice(0, 200));

/**
 * Errors the gateway answers itself before (or instead of) calling a provider, with the reason code
 * their event carries. These are refusals: outcome `refused`, verdict `block`.
 */
const REFUSALS: Record<string, string> = {
  KT_ERR_UNAUTHENTICATED: 'unauthenticated',
  KT_ERR_RATE_LIMITED: 'rate_limited',
  KT_ERR_BUDGET_EXCEEDED: 'budget_exceeded',
  KT_ERR_NOT_READY: 'not_ready',
  KT_ERR_INVALID_JSON: 'invalid_request',
  KT_ERR_INVALID_REQUEST: 'invalid_request',
  KT_ERR_BODY_TOO_LARGE: 'body_too_large',
  KT_ERR_NO_TARGET: 'no_target',
  KT_ERR_NOT_FOUND: 'not_found',
};

function outcomeOf(ex: Exchange): string {
  if (ex.errorCode && REFUSALS[ex.errorCode]) return 'refused';
  if (ex.outcome) return ex.outcome;
  if (ex.errorCode?.startsWith('KT_ERR_UPSTREAM')) return 'upstream_error';
  if (ex.verdict === 'block') return 'blocked';
  if (ex.errorCode) return 'refused';
  return 'served';
}

/** A refused or blocked request is a `block`, whoever stopped it (a policy, auth, a limit, a budget). */
function verdictOf(ex: Exchange, outcome: string): string {
  if ((outcome === 'refused' || outcome === 'blocked') && (ex.verdict === 'allow' || ex.verdict === 'redact' || ex.verdict === 'flag')) return 'block';
  return ex.verdict;
}

function reasonOf(ex: Exchange, outcome: string): string | undefined {
  if (ex.reasonCode) return ex.reasonCode;
  if (ex.errorCode && REFUSALS[ex.errorCode]) return REFUSALS[ex.errorCode];
  if (ex.errorCode === 'KT_ERR_POLICY_FAILED') return 'policy_failed';
  if (outcome === 'blocked') return 'blocked';
  return undefined;
}

function findingsOf(r: Exchange['policyResults'][number]): EventFinding[] {
  // Collapse repeats of one rule at one path: agents resend whole conversations, so this keeps rows small.
  const byKey = new Map<string, EventFinding>();
  for (const f of r.findings) {
    const key = `${f.rule}\u0000${f.path}\u0000${f.fingerprint ?? ''}\u0000${f.action}`;
    const prev = byKey.get(key);
    if (prev) prev.count += f.count ?? 1;
    else
      byKey.set(key, {
        type: f.type,
        rule: f.rule,
        category: f.category,
        path: f.path,
        action: f.action,
        count: f.count ?? 1,
        ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
      });
  }
  return [...byKey.values()];
}

/**
 * Optional fields are set only when defined, in the order of DecisionEvent, so the event has no
 * undefined members and its JSON keeps one field order — without `delete`, which would turn each event
 * into a slow dictionary object right before it is serialised (journal, store) and observed (metrics).
 */
export function toEvent(ex: Exchange, detail: 'summary' | 'findings' = 'findings'): DecisionEvent {
  const p = ex.principal;
  const u = ex.usage;
  const end = ex.t.end ?? ex.t.upstreamEnd;
  const latency = ms(ex.t.start, end);
  const upstream = ms(ex.t.upstreamStart, ex.t.upstreamEnd);
  const outcome = outcomeOf(ex);
  const ev = { v: EVENT_SCHEMA_VERSION, id: ex.id, timestamp: new Date(ex.startedAt).toISOString(), request_id: ident(ex.requestId) ?? '' } as DecisionEvent;
  let x: string | number | boolean | undefined;
  if ((x = ident(ex.traceparent)) !== undefined) ev.traceparent = x;
  if ((x = ident(ex.conversationId)) !== undefined) ev.conversation_id = x;
  ev.config_version = ex.configVersion;
  ev.route = ex.route;
  ev.dialect = ex.dialect;
  ev.method = ex.method;
  ev.stream = ex.stream;
  if (ex.viaProxy) ev.via_proxy = true;
  if ((x = ident(ex.proxyConn?.host)) !== undefined) ev.host = x; // (marked edit: proxy)
  if ((x = ex.proxyConn?.bytesUp) !== undefined) ev.bytes_up = x;
  if ((x = ex.proxyConn?.bytesDown) !== undefined) ev.bytes_down = x;
  ev.client = ex.client;
  ev.auth = p.kind;
  if ((x = p.keyId) !== undefined) ev.key_id = x;
  if ((x = ident(p.userId)) !== undefined) ev.user_id = x;
  if ((x = ident(p.teamId)) !== undefined) ev.team_id = x;
  if ((x = ident(p.projectId)) !== undefined) ev.project_id = x;
  if ((x = ident(p.agentId)) !== undefined) ev.agent_id = x;
  if (ex.scope) {
    if ((x = ex.scope.name) !== undefined) ev.scope = x;
    if ((x = ident(ex.scope.reason)) !== undefined) ev.scope_reason = x;
    ev.scope_mode = ex.scope.mode ?? 'enforce';
  }
  if (ex.target) {
    if ((x = ex.target.id) !== undefined) ev.target_id = x;
    if ((x = ex.target.provider) !== undefined) ev.provider = x;
  }
  if ((x = ident(ex.model)) !== undefined) ev.model = x;
  if (ex.target && ex.target.model !== ex.model && ex.target.model !== undefined) ev.upstream_model = ex.target.model;
  ev.verdict = verdictOf(ex, outcome);
  if ((x = reasonOf(ex, outcome)) !== undefined) ev.reason_code = x;
  ev.outcome = outcome;
  if ((x = ex.status) !== undefined) ev.status = x;
  if ((x = ex.errorCode) !== undefined) ev.error_code = x;
  ev.policies = ex.policyResults.map((r) => policyOf(r, detail));
  ev.input_tokens = u?.inputTokens ?? null;
  ev.output_tokens = u?.outputTokens ?? null;
  ev.cache_read_tokens = u?.cacheReadTokens ?? null;
  ev.cache_write_tokens = u?.cacheWriteTokens ?? null;
  if (u?.cacheWrite1hTokens) ev.cache_write_1h_tokens = u.cacheWrite1hTokens;
  ev.cost_usd = ex.costUsd ?? null;
  ev.latency_ms = latency;
  ev.upstream_ms = upstream;
  ev.ttfb_ms = ms(ex.t.upstreamStart, ex.t.upstreamFirstByte);
  ev.overhead_ms = latency !== null && upstream !== null ? Math.max(0, Math.round((latency - upstream) * 10) / 10) : latency;
  ev.attempts = ex.attempts;
  ev.cache_hit = ex.cacheHit ?? false;
  if ((x = ex.quality) !== undefined) ev.quality = x;
  return ev;
}

function policyOf(r: Exchange['policyResults'][number], detail: 'summary' | 'findings'): EventPolicyResult {
  const o = { policy: r.policy, phase: r.phase, verdict: r.verdict } as EventPolicyResult;
  if (r.reasonCode !== undefined) o.reason_code = r.reasonCode;
  o.latency_ms = Math.round(r.latencyMs * 100) / 100;
  if (r.reason) o.reason = r.reason.slice(0, MAX_REASON_CHARS);
  if (r.error) o.error = r.error.slice(0, MAX_ERROR_CHARS);
  if (r.score !== undefined) o.score = r.score;
  if (detail === 'summary') {
    o.findings = [];
    o.finding_count = r.findings.reduce((n, f) => n + (f.count ?? 1), 0);
  } else o.findings = findingsOf(r);
  return o;
}
