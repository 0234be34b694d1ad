/**
 * `kt verify coding-assistant`: the seed-003 check as a command. Sends an assistant-shaped Anthropic
 * request (a `cat -n` tool result holding a freshly generated fake secret) through the assistant path
 * and the same conversation through the general path, then waits for both decision events on the
 * gateway's live event stream. Passes when the assistant path redacted or blocked the secret, the
 * general path answered 2xx with the secret unchanged (checked when the upstream echoes, as the demo
 * provider does), and no event carries the secret.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { DecisionEvent } from '../audit/event.js';
import { ExitError, EXIT } from '../cli/exit.js';
import { createSseParser } from '../sse/parser.js';

export interface VerifyOptions {
  url?: string;
  key?: string;
  generalKey?: string;
  /** Key for the live event stream (auth mode keys: one with the admin role); default --key, then --general-key. */
  adminKey?: string;
  /** Route prefix of the assistant scope (e.g. /assistants), when the scope matches on one. */
  prefix?: string;
  model?: string;
  json?: boolean;
  timeoutMs?: number;
  out?: (s: string) => void;
}

/** User-Agents as the real clients send them (CLIENTS.md): the assistant path is detected by client. */
const ASSISTANT_UA = 'claude-cli/2.1.197 (external, sdk-cli)';
const GENERAL_UA = 'kt-verify/1 (general path)';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** An AWS-access-key-shaped value made up now: never a real key, and unique to this run. */
export function fakeAwsKeyId(): string {
  return 'AKIA' + [...randomBytes(16)].map((b) => B32[b % 32]).join('');
}

export function assistantBody(secret: string, model: string): object {
  const toolId = 'toolu_kt' + randomBytes(9).toString('hex');
  const file = ['# deploy settings', `AWS_ACCESS_KEY_ID=${secret}`, 'AWS_REGION=eu-west-1', ''].map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');
  return {
    model,
    max_tokens: 256,
    stream: false,
    system: [{ type: 'text', text: 'You are Claude Code, an interactive CLI tool that helps with software engineering tasks.' }],
    tools: [{ name: 'Read', description: 'Reads a file from the local filesystem.', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Which AWS region does this project deploy to? Check .env.' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: toolId, name: 'Read', input: { file_path: '/workspace/.env' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: file }] },
    ],
  };
}

export interface PathResult {
  path: string;
  status: number;
  requestId: string;
  /** The secret came back in the answer (the demo provider echoes what it received). */
  echoed: boolean;
  /** The answer came from an upstream that quotes what it received (kt's demo provider). */
  echoes: boolean;
  /** The error message of a non-2xx answer (the secret masked, should it ever appear). */
  error?: string;
  event?: DecisionEvent;
}

export interface VerifyReport {
  ok: boolean;
  assistant: PathResult;
  general: PathResult;
  problems: string[];
}

function authHeaders(key: string | undefined): Record<string, string> {
  return key ? { 'x-api-key': key } : { 'x-api-key': 'kt-verify-no-key' };
}

/** The event stream said no to our credentials: a setup problem to explain, not an unreachable gateway. */
class StreamRefused extends Error {}

/** Subscribes to the gateway's decision events and resolves the ones for the given request ids. */
async function watchEvents(base: string, key: string | undefined, signal: AbortSignal) {
  const seen = new Map<string, DecisionEvent>();
  const waiters = new Map<string, (e: DecisionEvent) => void>();
  const res = await request(`${base}/keeptrusts/events/stream`, { method: 'GET', headers: { accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) }, signal });
  if (res.statusCode !== 200) {
    const why = errorMessage(await res.body.text());
    if (res.statusCode === 401 || res.statusCode === 403)
      throw new StreamRefused(`kt verify: the gateway's event stream refused the key (${res.statusCode}: ${why}). verify reads the decision events there; with auth.mode: keys pass a key with the admin role as --admin-key (kt keys create --roles admin).`);
    throw new Error(`the event stream answered ${res.statusCode}: ${why}`);
  }
  const parser = createSseParser({
    onEvent(ev) {
      if (ev.event !== 'decision') return;
      try {
        const e = JSON.parse(ev.data) as DecisionEvent;
        seen.set(e.request_id, e);
        waiters.get(e.request_id)?.(e);
      } catch {
        // a malformed event is not ours to judge here
      }
    },
  });
  res.body.on('data', (c: Buffer) => parser.feed(c));
  res.body.on('error', () => undefined);
  return {
    wait(requestId: string, ms: number): Promise<DecisionEvent | undefined> {
      const e = seen.get(requestId);
      if (e) return Promise.resolve(e);
      return new Promise((resolve) => {
        const t = setTimeout(() => resolve(undefined), ms);
        waiters.set(requestId, (ev) => {
          clearTimeout(t);
          resolve(ev);
        });
      });
    },
  };
}

async function send(base: string, path: string, body: object, headers: Record<string, string>, secret: string): Promise<PathResult> {
  const requestId = `kt-verify-${randomUUID()}`;
  const res = await request(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-request-id': requestId, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  const r: PathResult = { path, status: res.statusCode, requestId: String(res.headers['x-request-id'] ?? requestId), echoed: text.includes(secret), echoes: /Demo reply from kt/.test(text) };
  if (!ok2xx(r.status)) r.error = errorMessage(text).replaceAll(secret, '[the seeded secret]');
  return r;
}

const ok2xx = (status: number) => status >= 200 && status < 300;

function errorMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof j.error === 'object' ? j.error?.message : (j.error ?? j.message);
    if (typeof m === 'string') return m.slice(0, 300);
  } catch {
    // not JSON: show its start
  }
  return text.slice(0, 200);
}

const changed = (e: DecisionEvent | undefined) => !!e && (e.verdict === 'redact' || e.verdict === 'block');
/** Stopped by a policy (not by auth, a limit or a missing route): what a block action looks like. */
const policyBlocked = (r: PathResult) => r.status === 400 && r.event?.error_code === 'KT_ERR_POLICY_BLOCKED';
const redacted = (r: PathResult) => ok2xx(r.status) && r.event?.verdict === 'redact';

/** Why a request failed before any policy could judge it, and what to pass instead. */
function failureHint(r: PathResult, flag: '--key' | '--general-key'): string {
  const what = `${r.status}${r.error ? `: ${r.error}` : ''}`;
  if (r.status === 401)
    return `${what} — this gateway needs an access key on this path: pass one with ${flag}${flag === '--key' ? ' (the key issued to the assistant integration, e.g. tagged for its scope)' : ' (a key the assistant scope does not match)'}`;
  if (r.status === 404 && flag === '--key') return `${what} — check --prefix against the scope's route_prefix`;
  return what;
}

export async function runVerify(opts: VerifyOptions): Promise<VerifyReport> {
  const base = (opts.url ?? 'http://127.0.0.1:41002').replace(/\/+$/, '');
  const model = opts.model ?? 'claude-sonnet-4-5';
  const secret = fakeAwsKeyId();
  const ac = new AbortController();
  try {
    const events = await watchEvents(base, opts.adminKey ?? opts.key ?? opts.generalKey, ac.signal);
    const prefix = opts.prefix ? '/' + opts.prefix.replace(/^\/+|\/+$/g, '') : '';
    const assistant = await send(base, `${prefix}/v1/messages?beta=true`, assistantBody(secret, model), { 'user-agent': ASSISTANT_UA, ...authHeaders(opts.key) }, secret);
    const general = await send(base, '/v1/messages', assistantBody(secret, model), { 'user-agent': GENERAL_UA, ...authHeaders(opts.generalKey) }, secret);
    const wait = opts.timeoutMs ?? 10_000;
    [assistant.event, general.event] = await Promise.all([events.wait(assistant.requestId, wait), events.wait(general.requestId, wait)]);
    const problems: string[] = [];
    const a = assistant.event;
    const g = general.event;
    if (!a) problems.push('no decision event arrived for the assistant-path request (is the evidence layer on?)');
    if (!g) problems.push('no decision event arrived for the general-path request');
    if (!ok2xx(assistant.status) && !policyBlocked(assistant)) problems.push(`the assistant-path request failed before the bundle could judge it (${failureHint(assistant, '--key')})`);
    else if (a) {
      if (!a.scope) problems.push('the assistant-path request matched no scope: add a scope matching clients: [claude-cli] (or its key tag / route prefix)');
      if (!redacted(assistant) && !policyBlocked(assistant)) {
        const flagged = a.policies.some((p) => p.verdict === 'flag' && p.findings.length > 0) || a.verdict === 'flag';
        problems.push(flagged ? `scope ${a.scope} found the secret but only flagged it (flag mode): promote it with mode: enforce` : 'the assistant path forwarded the secret: no policy redacted or blocked it');
      }
    }
    if (ok2xx(assistant.status) && assistant.echoed) problems.push('the upstream answer repeated the secret on the assistant path');
    // The control only proves the distinction if the general request went through, secret and all.
    if (!ok2xx(general.status)) {
      problems.push(
        policyBlocked(general)
          ? `the general path blocked the request (${general.error ?? 'policy block'}): the bundle should apply to assistant traffic only`
          : `the general-path request failed (${failureHint(general, '--general-key')}), so the control proves nothing`,
      );
    } else {
      if (g && changed(g)) problems.push(`the general path was changed too (verdict ${g.verdict}${g.scope ? `, scope ${g.scope}` : ''}): the bundle should apply to assistant traffic only`);
      else if (general.echoes && !general.echoed) problems.push('the general-path answer did not carry the secret back unchanged: something on the general path altered the request');
    }
    if (g && a && g.scope && g.scope === a.scope) problems.push(`both paths landed in scope ${a.scope}`);
    for (const e of [a, g]) if (e && JSON.stringify(e).includes(secret)) problems.push(`event ${e.id} contains the secret`);
    return { ok: problems.length === 0, assistant, general, problems };
  } finally {
    ac.abort();
  }
}

function describe(label: string, r: PathResult): string[] {
  const e = r.event;
  const lines = [`${label}: POST ${r.path} → ${r.status}${e ? `, event ${e.id}, scope ${e.scope ?? '(none)'}${scopeWhy(e)}, verdict ${e.verdict}` : ', no event'}`];
  if (r.error) lines.push(`  error: ${r.error}`);
  if (ok2xx(r.status) && r.echoes) lines.push(`  the demo upstream ${r.echoed ? 'received the secret unchanged' : 'did not receive the secret'}`);
  for (const p of e?.policies ?? []) {
    if (p.verdict === 'allow' && !p.findings.length) continue;
    const rules = [...new Set(p.findings.map((f) => (f as { rule?: string }).rule).filter(Boolean))].join(', ');
    lines.push(`  policy ${p.policy} · ${p.phase} · ${p.verdict}${rules ? ` · ${rules}` : ''}`);
  }
  return lines;
}

/** Why the scope applied, when the event says (`scope_reason`, recorded since the evidence layer added it). */
function scopeWhy(e: DecisionEvent): string {
  const why = (e as { scope_reason?: unknown }).scope_reason;
  return typeof why === 'string' && why ? ` (${why})` : '';
}

export async function verifyCodingAssistant(opts: VerifyOptions): Promise<void> {
  const out = opts.out ?? ((s: string) => process.stdout.write(s));
  let report: VerifyReport;
  try {
    report = await runVerify(opts);
  } catch (err) {
    if (err instanceof StreamRefused) throw new ExitError(EXIT.findings, err.message);
    throw new ExitError(EXIT.findings, `kt verify: cannot reach the gateway at ${opts.url ?? 'http://127.0.0.1:41002'}: ${(err as Error).message}`);
  }
  if (opts.json) out(JSON.stringify(report, null, 2) + '\n');
  else {
    const lines = [...describe('assistant path', report.assistant), ...describe('general path  ', report.general)];
    lines.push(report.ok ? 'PASS: the assistant path redacted or blocked the secret, the general path served it unchanged, no event holds the secret.' : 'FAIL:');
    for (const p of report.problems) lines.push(`  - ${p}`);
    out(lines.join('\n') + '\n');
  }
  if (!report.ok) throw new ExitError(EXIT.findings);
}
