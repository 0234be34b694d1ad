/**
 * `kt policy test`: golden cases — `tests/*.json` next to the config and inline `testing.suites` — run
 * through the same engine the gateway uses (request phases, OpenAI chat shape), each compared with its
 * expected verdict and reason code. Prints `{ok, results:[{name, verdict, reason_code, passed}]}` with
 * --json; exit 1 when a case fails, 2 when the config or a case file is invalid.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { ConfigError, loadConfigFiles } from '../../config/index.js';
import { EXIT, ExitError } from '../../cli/exit.js';
import type { Exchange } from '../../gateway/exchange.js';
import { createPolicyHooks, type PolicyHooksOptions } from '../hooks.js';
import type { PolicyConfigView } from '../registry.js';
import type { Verdict } from '../types.js';

export interface PolicyTestCase {
  name: string;
  input: { messages: unknown[]; headers?: Record<string, string>; model?: string };
  expected: { verdict: Verdict; reason_code?: string };
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
  passed: boolean;
  expected: { verdict: Verdict; reason_code?: string };
}

function isCase(v: unknown): v is PolicyTestCase {
  const c = v as PolicyTestCase;
  return typeof c === 'object' && c !== null && typeof c.name === 'string' && Array.isArray(c.input?.messages) && typeof c.expected?.verdict === 'string';
}

/** A case file holds one case, a list of cases, `{cases}` or `{suites:[{cases}]}`. */
function casesOf(doc: unknown, file: string): PolicyTestCase[] {
  const d = doc as { cases?: unknown[]; suites?: { cases?: unknown[] }[] };
  const list: unknown[] = Array.isArray(doc) ? doc : Array.isArray(d?.cases) ? d.cases : Array.isArray(d?.suites) ? d.suites.flatMap((s) => s.cases ?? []) : [doc];
  return list.map((c, i) => {
    if (!isCase(c)) throw new ExitError(EXIT.usage, `${file}: case ${i + 1} needs {name, input: {messages: [...]}, expected: {verdict}}`);
    return c;
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

function exchangeFor(c: PolicyTestCase): Exchange {
  const body = { model: c.input.model ?? 'policy-test', messages: c.input.messages };
  return {
    id: 'evt_policy_test', requestId: 'policy-test', startedAt: Date.now(), t: { start: 0 }, configVersion: 'policy-test',
    route: '/v1/chat/completions', dialect: 'openai-chat', method: 'POST', headers: Object.fromEntries(Object.entries(c.input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    client: 'policy-test', principal: { kind: 'anonymous' }, rawBody: Buffer.from(JSON.stringify(body)), body, bodyEdited: false, model: body.model,
    stream: false, attempts: 0, policyResults: [], verdict: 'allow',
  };
}

export async function runPolicyCases(config: PolicyConfigView, cases: PolicyTestCase[], engine: PolicyHooksOptions = {}): Promise<PolicyTestResult[]> {
  const hooks = createPolicyHooks(config, engine);
  const results: PolicyTestResult[] = [];
  for (const c of cases) {
    const ex = exchangeFor(c);
    await hooks.inspectRequest(ex);
    const reason = ex.reasonCode ?? null;
    const passed = ex.verdict === c.expected.verdict && (c.expected.reason_code === undefined || c.expected.reason_code === reason);
    results.push({ name: c.name, verdict: ex.verdict, reason_code: reason, passed, expected: c.expected });
  }
  return results;
}

export async function policyTest(opts: PolicyTestOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const files = opts.file.length ? opts.file : ['policy-config.yaml'];
  let config: PolicyConfigView & { testing?: { suites?: { cases?: unknown[] }[] } };
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
    stdout.write(JSON.stringify({ ok, results: results.map(({ name, verdict, reason_code, passed }) => ({ name, verdict, reason_code, passed })) }, null, 2) + '\n');
  } else {
    for (const r of results)
      stdout.write(r.passed ? `PASS ${r.name} (${r.verdict})\n` : `FAIL ${r.name}: expected ${r.expected.verdict}${r.expected.reason_code ? `/${r.expected.reason_code}` : ''}, got ${r.verdict}${r.reason_code ? `/${r.reason_code}` : ''}\n`);
    stdout.write(`${results.filter((r) => r.passed).length}/${results.length} cases passed\n`);
  }
  if (!ok) throw new ExitError(EXIT.findings);
}
