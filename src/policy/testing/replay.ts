/**
 * `kt policy replay`: what promoting flag-mode policies to enforce would have done to the traffic
 * recorded in a period, read from the decision events in the store. Events hold no content, so nothing
 * is re-detected: a flag-mode result already records what it would have applied (its `reason`, and each
 * finding's `action`), and replay adds those up the way the engine would have enforced them — the first
 * block stops a request, so nothing after it in that request counts. Rules added or changed since the
 * events were recorded cannot be replayed; golden cases (`kt policy test`) cover those.
 */
import type { Writable } from 'node:stream';
import type { DecisionEvent, EventPolicyResult } from '../../audit/event.js';
import { EventStore } from '../../audit/event-store.js';
import { cliDb, parseSince, type StoreArgs } from '../../audit/cli/cli-store.js';
import { loadConfigFiles } from '../../config/index.js';
import { EXIT, ExitError } from '../../cli/exit.js';

/** Fields the evidence layer records on newer events; read when present, so older events still replay. */
type PolicyRow = EventPolicyResult & { reason?: string; finding_count?: number };
type ReplayEvent = Omit<DecisionEvent, 'policies'> & { scope_mode?: string; scope_reason?: string; policies: PolicyRow[] };

export type WouldApply = 'redact' | 'block';

export interface RuleRow {
  policy: string;
  rule: string;
  phase: string;
  would_redact: number;
  would_block: number;
  /** A few event ids to look at (`kt events export`), oldest first. */
  sample_event_ids: string[];
}

export interface ClientRow {
  client: string;
  requests: number;
  would_redact: number;
  would_block: number;
}

export interface ReplayReport {
  since: string;
  until: string;
  scope: string | null;
  requests: number;
  /** Requests with at least one flag-mode result (what replay can promote). */
  flag_mode_requests: number;
  would_change: { requests: number; share: number; redacted: number; blocked: number };
  rules: RuleRow[];
  clients: ClientRow[];
  config_versions: { version: string; requests: number }[];
  /** Why requests landed in their scope (`scope_reason` on the events; absent on events recorded before it). */
  scope_reasons: { scope: string; reason: string; requests: number }[];
  current_config_version?: string;
  notes: string[];
}

const SAMPLES = 3;
const RANK: Record<string, number> = { redact: 1, block: 2, escalate: 2 };
const WOULD_RE = /^flag mode: would have applied (\w+)/;

/**
 * What a recorded result would have done enforced: its `reason` when the event has it, else the
 * strongest action of its findings; a flag-mode result that failed would have failed closed.
 */
export function wouldApply(p: PolicyRow): WouldApply | undefined {
  if (p.verdict !== 'flag') return undefined;
  const said = p.reason ? WOULD_RE.exec(p.reason)?.[1] : undefined;
  // A result flagged for another reason (a streamed answer already delivered) cannot be promoted.
  if (p.reason && !said) return undefined;
  let rank = said ? (RANK[said] ?? 0) : 0;
  if (!said) for (const f of p.findings) rank = Math.max(rank, RANK[f.action] ?? 0);
  if (!said && p.error && p.reason_code === 'policy_failed') rank = 2;
  return rank === 2 ? 'block' : rank === 1 ? 'redact' : undefined;
}

/** The rules behind a promoted result: its findings with that action, else what the event can say. */
function rulesOf(p: PolicyRow, would: WouldApply): string[] {
  if (p.error) return ['(policy error: would fail closed)'];
  const actions = would === 'block' ? ['block', 'escalate'] : ['redact'];
  const rules = [...new Set(p.findings.filter((f) => actions.includes(f.action)).map((f) => f.rule))];
  if (rules.length) return rules;
  if (!p.findings.length && p.finding_count) return ['(rules not recorded: logging detail summary)'];
  return ['(policy verdict)'];
}

export interface ReplayOptions {
  since: number;
  until: number;
  scope?: string;
  currentVersion?: string;
}

export function replayEvents(events: Iterable<DecisionEvent>, opts: ReplayOptions): ReplayReport {
  const r = createReplay(opts);
  for (const e of events) r.add(e);
  return r.report();
}

/** Adds events up one at a time (a period can hold more events than fit in memory). */
export function createReplay(opts: ReplayOptions): { add(e: DecisionEvent): void; report(): ReplayReport } {
  const rules = new Map<string, RuleRow>();
  const clients = new Map<string, ClientRow>();
  const versions = new Map<string, number>();
  const reasons = new Map<string, { scope: string; reason: string; requests: number }>();
  let requests = 0;
  let flagged = 0;
  let redacted = 0;
  let blocked = 0;
  let skippedOutput = 0;
  const add = (raw: DecisionEvent): void => {
    const e = raw as unknown as ReplayEvent;
    if (opts.scope !== undefined && e.scope !== opts.scope) return;
    requests++;
    versions.set(e.config_version, (versions.get(e.config_version) ?? 0) + 1);
    if (e.scope && typeof e.scope_reason === 'string') {
      const k = `${e.scope}\u0000${e.scope_reason}`;
      const row = reasons.get(k) ?? { scope: e.scope, reason: e.scope_reason, requests: 0 };
      reasons.set(k, row);
      row.requests++;
    }
    const client = clients.get(e.client) ?? { client: e.client, requests: 0, would_redact: 0, would_block: 0 };
    clients.set(e.client, client);
    client.requests++;
    if (e.scope_mode === 'flag' || e.policies.some((p) => wouldApply(p))) flagged++;
    let outcome: WouldApply | undefined;
    let touched: { policy: string; rule: string; phase: string; would: WouldApply }[] = [];
    for (const p of e.policies) {
      const would = wouldApply(p);
      if (!would) continue;
      // Enforced, a redaction in the request changes what the model sees, so what the answer held then says
      // nothing about what it would hold: those output results are left out (and said so).
      if (p.phase === 'output' && outcome === 'redact') {
        skippedOutput++;
        continue;
      }
      const found = rulesOf(p, would).map((rule) => ({ policy: p.policy, rule, phase: p.phase, would }));
      if (would === 'block') {
        // Enforced, the first block ends the request: redactions before it never reach anyone, later policies never run.
        outcome = 'block';
        touched = found;
        break;
      }
      touched.push(...found);
      outcome = 'redact';
    }
    if (!outcome) return;
    const seen = new Set<string>();
    for (const t of touched) {
      const key = `${t.policy}\u0000${t.rule}\u0000${t.phase}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = rules.get(key) ?? { policy: t.policy, rule: t.rule, phase: t.phase, would_redact: 0, would_block: 0, sample_event_ids: [] };
      rules.set(key, row);
      if (t.would === 'block') row.would_block++;
      else row.would_redact++;
      if (row.sample_event_ids.length < SAMPLES) row.sample_event_ids.push(e.id);
    }
    if (outcome === 'block') {
      blocked++;
      client.would_block++;
    } else {
      redacted++;
      client.would_redact++;
    }
  };
  return { add, report };

  function report(): ReplayReport {
    const changed = redacted + blocked;
    const notes = [
      'Events hold no content, so replay promotes what the recorded flag-mode policies found with the rules of that time; it cannot re-run detectors. Rules added or changed since cannot be replayed: check them with golden cases in `kt policy test`.',
    ];
    const otherVersions = opts.currentVersion ? [...versions.keys()].filter((v) => v !== opts.currentVersion) : [];
    if (otherVersions.length)
      notes.push(`${otherVersions.reduce((n, v) => n + versions.get(v)!, 0)} of ${requests} requests were recorded under another config version (${otherVersions.join(', ')}) than the config given (${opts.currentVersion}): their findings reflect the rules of that version.`);
    if (skippedOutput)
      notes.push(`${skippedOutput} output-phase result(s) followed a redaction of the same request and are not counted: enforced, the model would have seen the redacted text, so its answer would differ.`);
    return {
      since: new Date(opts.since).toISOString(),
      until: new Date(opts.until).toISOString(),
      scope: opts.scope ?? null,
      requests,
      flag_mode_requests: flagged,
      would_change: { requests: changed, share: requests ? Math.round((changed / requests) * 10000) / 10000 : 0, redacted, blocked },
      rules: [...rules.values()].sort((a, b) => b.would_block + b.would_redact - (a.would_block + a.would_redact) || a.policy.localeCompare(b.policy) || a.rule.localeCompare(b.rule)),
      clients: [...clients.values()].sort((a, b) => b.requests - a.requests || a.client.localeCompare(b.client)),
      config_versions: [...versions].map(([version, n]) => ({ version, requests: n })),
      scope_reasons: [...reasons.values()].sort((a, b) => b.requests - a.requests),
      ...(opts.currentVersion ? { current_config_version: opts.currentVersion } : {}),
      notes,
    };
  }
}

export interface PolicyReplayOptions extends StoreArgs {
  days?: string;
  since?: string;
  scope?: string;
  json?: boolean;
  stdout?: Writable;
  now?: number;
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

export function formatReplay(r: ReplayReport): string {
  const where = `${r.since} to ${r.until}${r.scope !== null ? `, scope ${r.scope}` : ''}`;
  if (r.requests === 0)
    return `kt policy replay: no decision events recorded from ${where}. Nothing to replay: send traffic through the flag-mode scope first, or widen --days / --since.\n\n${r.notes[0]}\n`;
  const c = r.would_change;
  const lines = [
    `kt policy replay: ${r.requests} requests from ${where}; ${r.flag_mode_requests} recorded in flag mode.`,
    c.requests
      ? `Promoting to enforce would have changed ${c.requests} of ${r.requests} requests (${pct(c.share)}): ${c.blocked} blocked, ${c.redacted} redacted.`
      : 'Promoting to enforce would have changed none of them.',
  ];
  if (r.scope_reasons.length) lines.push(`Matched by: ${r.scope_reasons.map((x) => `${x.scope} ← ${x.reason} (${x.requests})`).join('; ')}.`);
  if (r.rules.length) {
    lines.push('', 'policy / rule (phase)                                   redact  block  sample events');
    for (const x of r.rules) lines.push(`${`${x.policy} / ${x.rule} (${x.phase})`.padEnd(56)} ${String(x.would_redact).padStart(6)} ${String(x.would_block).padStart(6)}  ${x.sample_event_ids.join(', ')}`);
  }
  lines.push('', 'client            requests  redact  block');
  for (const x of r.clients) lines.push(`${x.client.padEnd(16)} ${String(x.requests).padStart(9)} ${String(x.would_redact).padStart(7)} ${String(x.would_block).padStart(6)}`);
  lines.push('', ...r.notes);
  return lines.join('\n') + '\n';
}

export async function policyReplay(opts: PolicyReplayOptions): Promise<ReplayReport> {
  const out = opts.stdout ?? process.stdout;
  const now = opts.now ?? Date.now();
  if (opts.days !== undefined && opts.since !== undefined) throw new ExitError(EXIT.usage, 'kt policy replay: give --days or --since, not both');
  let since: number;
  if (opts.since !== undefined) since = parseSince(opts.since, now);
  else {
    const days = Number(opts.days ?? 7);
    if (!Number.isFinite(days) || days <= 0) throw new ExitError(EXIT.usage, `kt policy replay: --days must be a positive number, got "${opts.days}"`);
    since = now - days * 86_400_000;
  }
  let currentVersion: string | undefined;
  if (opts.policyConfig?.length) {
    try {
      currentVersion = (await loadConfigFiles(opts.policyConfig)).version;
    } catch (err) {
      throw new ExitError(EXIT.usage, `kt policy replay: ${(err as Error).message}`);
    }
  }
  const { db } = await cliDb(opts);
  const store = await EventStore.open(db);
  try {
    const replay = createReplay({ since, until: now, scope: opts.scope, currentVersion });
    // Page through the period oldest first with the store's own query (seq cursor), as `kt events export` does.
    for (let after = 0; ; ) {
      const rows = await store.query({ since, until: now + 1, afterSeq: after, limit: 2000, order: 'asc' });
      if (rows.length === 0) break;
      for (const r of rows) replay.add(r.event);
      after = rows[rows.length - 1].seq;
    }
    const report = replay.report();
    out.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatReplay(report));
    return report;
  } finally {
    await store.close();
  }
}
