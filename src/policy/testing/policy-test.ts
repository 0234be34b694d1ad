/**
 * `kt policy test`: golden cases — `tests/*.json` next to the config and inline `testing.suites` — run
 * through the same engine the gateway uses (request phases, OpenAI chat shape), each compared with its
 * expected verdict, reason code and (optionally) scope. A case selects its scope the way real traffic
 * does: `input.headers` (the User-Agent names the client), `input.path` (a route prefix) and
 * `input.key` (the access key's name and tags), resolved by the gateway's own scope code. Prints
 * `{ok, results:[{name, verdict, reason_code, passed}]}` (plus `scope` when the config has scopes) with
 * --json; exit 1 when a case fails, 2 when the config or a case file is invalid.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { ConfigError, loadConfigFiles } from '../../config/index.js';
import { EXIT, ExitError } from '../../cli/exit.js';
import { GatewayError } from '../../errors.js';
import type { Exchange, Principal } from '../../gateway/exchange.js';
import { detectClient } from '../../identity/client-detect.js';
import { createScopedPolicyHooks, type ScopedConfigView } from '../../scopes/policy-hooks.js';
import { scopeFor, stripRoutePrefix } from '../../scopes/resolve.js';
import type { PolicyHooksOptions } from '../hooks.js';
import { VERDICTS, type Verdict } from '../types.js';

export interface PolicyTestCase {
  name: string;
  input: {
    messages: unknown[];
    headers?: Record<string, string>;
    model?: string;
    /** Request path; only its route prefix matters (the messages are always read as chat/completions). */
    path?: string;
    /** The access key the request stands for: scopes match on its name and tags. */
    key?: { name?: string; tags?: string[] };
  };
  /** `scope`: the scope the case must land in; `null` for the general path (no scope). */
  expected: { verdict: Verdict; reason_code?: string; scope?: string | null };
}

export interface PolicyTestOptions {
  file: string[];
  json?: boolean;
  stdout?: Writable;
  /** Engine options (tests hand in detectors). */
  engine?: PolicyHooksOptions;
}

export interface PolicyTestResult {
  name: string;
  verdict: Verdict;
  reason_code: string | null;
  /** The scope the case resolved to (null: the general path). */
  scope: string | null;
  scope_reason?: string;
  passed: boolean;
  expected: PolicyTestCase['expected'];
  /** A route prefix no scope accepts: the gateway would answer 404 with this message. */
  error?: string;
}

const isStrRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** What is wrong with a case, or undefined when it is well formed. */
function caseProblem(v: unknown): string | undefined {
  const c = v as PolicyTestCase;
  if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || !Array.isArray(c.input?.messages) || typeof c.expected?.verdict !== 'string')
    return 'needs {name, input: {messages: [...]}, expected: {verdict}}';
  if (!(VERDICTS as readonly string[]).includes(c.expected.verdict)) return `expected.verdict must be one of ${VERDICTS.join(', ')}`;
  if (c.input.headers !== undefined && !isStrRecord(c.input.headers)) return 'input.headers must map header names to strings';
  if (c.input.path !== undefined && (typeof c.input.path !== 'string' || !c.input.path.startsWith('/'))) return 'input.path must be a string starting with /';
  const k = c.input.key;
  if (k !== undefined && (typeof k !== 'object' || k === null || (k.name !== undefined && typeof k.name !== 'string') || (k.tags !== undefined && !(Array.isArray(k.tags) && k.tags.every((t) => typeof t === 'string')))))
    return 'input.key must be {name?: string, tags?: [string]}';
  if (c.expected.scope !== undefined && c.expected.scope !== null && typeof c.expected.scope !== 'string') return 'expected.scope must be a scope name or null';
  return undefined;
}

/** A case file holds one case, a list of cases, `{cases}` or `{suites:[{cases}]}`. */
function casesOf(doc: unknown, file: string): PolicyTestCase[] {
  const d = doc as { cases?: unknown[]; suites?: { cases?: unknown[] }[] };
  const list: unknown[] = Array.isArray(doc) ? doc : Array.isArray(d?.cases) ? d.cases : Array.isArray(d?.suites) ? d.suites.flatMap((s) => s.cases ?? []) : [doc];
  return list.map((c, i) => {
    const problem = caseProblem(c);
    if (problem) throw new ExitError(EXIT.usage, `${file}: case ${i + 1}${typeof (c as PolicyTestCase)?.name === 'string' ? ` (${(c as PolicyTestCase).name})` : ''}: ${problem}`);
    return c as PolicyTestCase;
  });
}

async function caseFiles(configFile: string): Promise<PolicyTestCase[]> {
  const dir = join(dirname(configFile), 'tests');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: PolicyTestCase[] = [];
  for (const n of names) {
    const file = join(dir, n);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new ExitError(EXIT.usage, `${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
    out.push(...casesOf(doc, file));
  }
  return out;
}

function exchangeFor(c: PolicyTestCase, config: ScopedConfigView): Exchange {
  const body = { model: c.input.model ?? 'policy-test', messages: c.input.messages };
  const headers = Object.fromEntries(Object.entries(c.input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const ua = headers['user-agent'];
  const routed = stripRoutePrefix((c.input.path ?? '/v1/chat/completions').split('?')[0], config.scopes);
  const key = c.input.key;
  const identity = { userId: headers['x-user-id'], teamId: headers['x-team-id'], projectId: headers['x-project-id'] };
  const principal: Principal = key ? { kind: 'key', keyName: key.name, keyTags: key.tags?.length ? key.tags : undefined, ...identity } : { kind: 'anonymous', ...identity };
  return {
    id: 'evt_policy_test', requestId: 'policy-test', startedAt: Date.now(), t: { start: 0 }, configVersion: 'policy-test',
    route: routed.path, dialect: 'openai-chat', method: 'POST', headers,
    // Without a User-Agent a case is the historical `policy-test` client; with one, the client real traffic would be.
    client: ua === undefined ? 'policy-test' : detectClient(ua), userAgent: ua, principal, routePrefix: routed.prefix,
    rawBody: Buffer.from(JSON.stringify(body)), body, bodyEdited: false, model: body.model,
    stream: false, attempts: 0, policyResults: [], verdict: 'allow',
  };
}

export async function runPolicyCases(config: ScopedConfigView, cases: PolicyTestCase[], engine: PolicyHooksOptions = {}): Promise<PolicyTestResult[]> {
  const hooks = createScopedPolicyHooks(config, engine);
  const results: PolicyTestResult[] = [];
  for (const c of cases) {
    const ex = exchangeFor(c, config);
    // The scope step of identify, as the gateway runs it (first match wins; prefixes belong to their scopes).
    const scope = scopeFor(config.scopes, ex);
    let error: string | undefined;
    if (scope instanceof GatewayError) {
      error = scope.message;
      ex.verdict = 'block';
      ex.reasonCode = 'not_found';
    } else {
      if (scope) ex.scope = scope;
      await hooks.inspectRequest(ex);
    }
    const reason = ex.reasonCode ?? null;
    const got = ex.scope?.name ?? null;
    const passed =
      ex.verdict === c.expected.verdict && (c.expected.reason_code === undefined || c.expected.reason_code === reason) && (c.expected.scope === undefined || c.expected.scope === got);
    const r: PolicyTestResult = { name: c.name, verdict: ex.verdict, reason_code: reason, scope: got, passed, expected: c.expected };
    if (ex.scope) r.scope_reason = ex.scope.reason;
    if (error) r.error = error;
    results.push(r);
  }
  return results;
}

function describeFailure(r: PolicyTestResult): string {
  const e = r.expected;
  const want = `${e.verdict}${e.reason_code ? `/${e.reason_code}` : ''}${e.scope !== undefined ? ` in ${e.scope === null ? 'no scope' : `scope ${e.scope}`}` : ''}`;
  const got = `${r.verdict}${r.reason_code ? `/${r.reason_code}` : ''}${e.scope !== undefined ? ` in ${r.scope === null ? 'no scope' : `scope ${r.scope}`}` : ''}`;
  return `FAIL ${r.name}: expected ${want}, got ${got}${r.error ? ` (${r.error})` : ''}\n`;
}

export async function policyTest(opts: PolicyTestOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const files = opts.file.length ? opts.file : ['policy-config.yaml'];
  let config: ScopedConfigView & { testing?: { suites?: { cases?: unknown[] }[] } };
  try {
    config = (await loadConfigFiles(files)).config as typeof config;
  } catch (err) {
    if (err instanceof ConfigError) throw new ExitError(EXIT.usage, err.message);
    throw new ExitError(EXIT.usage, `kt policy test: cannot load ${files.join(', ')}: ${(err as Error).message}`);
  }
  const cases = [...(await caseFiles(files[0])), ...casesOf({ suites: config.testing?.suites ?? [] }, 'testing.suites')];
  const results = await runPolicyCases(config, cases, opts.engine);
  const ok = results.every((r) => r.passed);
  if (opts.json) {
    // COMPAT's shape exactly; `scope` is added only when the config has scopes to land in.
    const withScope = !!config.scopes?.length;
    stdout.write(JSON.stringify({ ok, results: results.map(({ name, verdict, reason_code, scope, passed }) => ({ name, verdict, reason_code, ...(withScope ? { scope } : {}), passed })) }, null, 2) + '\n');
  } else {
    for (const r of results) stdout.write(r.passed ? `PASS ${r.name} (${r.verdict}${r.scope ? `, scope ${r.scope}` : ''})\n` : describeFailure(r));
    stdout.write(`${results.filter((r) => r.passed).length}/${results.length} cases passed\n`);
  }
  if (!ok) throw new ExitError(EXIT.findings);
}
