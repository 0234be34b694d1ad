/**
 * `kt policy replay` on real recorded traffic: a gateway with a flag-mode coding-assistant scope serves
 * assistant requests (a secret in the prompt, a secret in a tool result, personal data, a clean one), a
 * general-path request with the same secret; replay then reads the store and reports what enforcing
 * would have done. Also: the CLI is wired, and an empty period says so.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { loadConfigFiles, type LoadedConfig } from '../../config/index.js';
import { startGateway, type Gateway } from '../../gateway/server.js';
import { closeEvidence, evidenceFor } from '../../audit/evidence.js';
import type { DecisionEvent } from '../../audit/event.js';
import { policyReplay, replayEvents } from './replay.js';

const SECRET = 'AKIAZ7QWERTYUIOP2345';
const KT = resolve(import.meta.dirname, '../../../bin/kt.js');

const CONFIG = (dir: string) => `
pack: { name: replay-test, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers: { targets: [{ id: demo, provider: demo }] }
gateway: { data_dir: ${JSON.stringify(dir)} }
scopes:
  - name: coding-assistant
    match: { clients: [claude-cli, codex] }
    chain: [code-sanitation, pii-detector]
    policy:
      code-sanitation: { block_on_match: true }
      pii-detector: { action: redact }
    mode: flag
`;

const CLAUDE = 'claude-cli/2.1.197 (external, cli)';

function text(t: string) {
  return { model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: t }] };
}

function toolResult(content: string) {
  return {
    model: 'claude-x',
    max_tokens: 64,
    messages: [
      { role: 'user', content: 'what region is in .env?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '.env' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content }] },
    ],
  };
}

describe('kt policy replay', () => {
  let dir: string;
  let file: string;
  let gw: Gateway;
  let loaded: LoadedConfig;
  const ids: Record<string, string> = {};
  let events: DecisionEvent[];

  const send = async (name: string, ua: string, body: object) => {
    const res = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': ua, 'x-api-key': 'x' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, `${name}: ${await res.text()}`);
    ids[name] = res.headers.get('x-request-id')!;
  };

  const replay = async (opts: Parameters<typeof policyReplay>[0]) => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += c));
    const report = await policyReplay({ policyConfig: [file], stdout, ...opts });
    return { report, out };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-replay-'));
    file = join(dir, 'policy-config.yaml');
    writeFileSync(file, CONFIG(dir));
    loaded = await loadConfigFiles([file]);
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false, watch: false });
    await send('prompt-secret', CLAUDE, text(`deploy with AWS_ACCESS_KEY_ID=${SECRET} please`));
    await send('tool-secret', CLAUDE, toolResult(`     1\tAWS_ACCESS_KEY_ID=${SECRET}\n     2\tREGION=eu-west-1`));
    await send('clean', CLAUDE, text('rename the variable foo to bar in utils.ts'));
    await send('codex-pii', 'codex_exec/0.169.0 (Linux; x86_64)', text('mail the report to jane.doe@acme-corp.org')); // (marked edit: detection precision) example.org is reserved, not personal
    await send('both', CLAUDE, text(`key ${SECRET} and mail jane.doe@acme-corp.org`));
    await send('general', 'curl/8.5.0', text(`deploy with AWS_ACCESS_KEY_ID=${SECRET} please`));
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    events = (await (await ev.store).query({ limit: 100, order: 'asc' })).map((r) => r.event);
  });
  after(async () => {
    await gw.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  const eventId = (name: string) => events.find((e) => e.request_id === ids[name])!.id;

  it('reports per rule what enforcing would have redacted or blocked, with sample event ids that exist', async () => {
    const { report, out } = await replay({ json: true });
    assert.deepEqual(JSON.parse(out), report);
    assert.equal(report.requests, 6);
    // Five requests landed in the flag-mode scope; without scope_mode on events, the four with findings count.
    const clean = events.find((e) => e.request_id === ids.clean) as DecisionEvent & { scope_mode?: string };
    assert.equal(report.flag_mode_requests, clean.scope_mode === 'flag' ? 5 : 4);
    assert.deepEqual(report.would_change, { requests: 4, share: 0.6667, redacted: 2, blocked: 2 });
    const row = (policy: string, rule: string, phase: string) => report.rules.find((r) => r.policy === policy && r.rule === rule && r.phase === phase);
    const block = row('code-sanitation', 'aws-access-key-id', 'input');
    assert.ok(block, JSON.stringify(report.rules));
    assert.equal(block.would_block, 2);
    assert.equal(block.would_redact, 0);
    assert.deepEqual(block.sample_event_ids, [eventId('prompt-secret'), eventId('both')]);
    const redact = row('code-sanitation', 'aws-access-key-id', 'tool');
    assert.deepEqual([redact?.would_redact, redact?.would_block, redact?.sample_event_ids], [1, 0, [eventId('tool-secret')]]);
    // The blocked request never reached pii-detector when enforced, so only the codex one counts.
    const pii = report.rules.filter((r) => r.policy === 'pii-detector');
    assert.deepEqual(pii.map((r) => [r.phase, r.would_redact, r.would_block, r.sample_event_ids]), [['input', 1, 0, [eventId('codex-pii')]]]);
    const known = new Set(events.map((e) => e.id));
    for (const r of report.rules) for (const id of r.sample_event_ids) assert.ok(known.has(id), `${id} is not a stored event`);
    assert.deepEqual(report.clients, [
      { client: 'claude-cli', requests: 4, would_redact: 1, would_block: 2 },
      { client: 'codex', requests: 1, would_redact: 1, would_block: 0 },
      { client: 'curl', requests: 1, would_redact: 0, would_block: 0 },
    ]);
    assert.equal(report.current_config_version, loaded.version);
    assert.deepEqual(report.config_versions, [{ version: loaded.version, requests: 6 }]);
    // Why each request landed in the scope, when the events record it (scope_reason).
    if ((clean as { scope_reason?: string }).scope_reason !== undefined)
      assert.deepEqual(report.scope_reasons, [
        { scope: 'coding-assistant', reason: 'client=claude-cli', requests: 4 },
        { scope: 'coding-assistant', reason: 'client=codex', requests: 1 },
      ]);
    else assert.deepEqual(report.scope_reasons, []);
    assert.ok(report.notes.some((n) => /Rules added or changed since cannot be replayed.*kt policy test/.test(n)));
    // The demo echoes what it got: those answers held the secret / address only because nothing was redacted.
    assert.ok(report.notes.some((n) => /^2 output-phase result\(s\) followed a redaction of the same request and are not counted/.test(n)), JSON.stringify(report.notes));
    assert.ok(!out.includes(SECRET));
  });

  it('prints a readable report, and --scope narrows it to that scope', async () => {
    const { out } = await replay({});
    assert.match(out, /^kt policy replay: 6 requests from \S+ to \S+; \d recorded in flag mode\./);
    assert.match(out, /Promoting to enforce would have changed 4 of 6 requests \(66\.7%\): 2 blocked, 2 redacted\./);
    assert.match(out, new RegExp(`code-sanitation / aws-access-key-id \\(input\\) +0 +2  ${eventId('prompt-secret')}, ${eventId('both')}`));
    assert.match(out, /curl +1 +0 +0/);
    assert.match(out, /cannot re-run detectors\. Rules added or changed since cannot be replayed: check them with golden cases in `kt policy test`/);
    const scoped = await replay({ scope: 'coding-assistant', json: true });
    assert.equal(scoped.report.requests, 5);
    assert.equal(scoped.report.would_change.requests, 4);
    assert.equal(scoped.report.clients.some((c) => c.client === 'curl'), false);
  });

  it('an empty period says there is nothing to replay and exits 0 (through the kt command)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kt-replay-empty-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [KT, 'policy', 'replay', '--days', '3', '--data-dir', empty], { env: { PATH: process.env.PATH, HOME: empty }, timeout: 60_000 });
      assert.match(stdout, /^kt policy replay: no decision events recorded from \S+ to \S+\. Nothing to replay/);
      assert.match(stdout, /kt policy test/);
      const none = await replay({ scope: 'nope', json: true });
      assert.equal(none.report.requests, 0);
      assert.deepEqual(none.report.rules, []);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a flag-mode policy that failed would have failed closed; a result flagged for another reason is not promoted', () => {
    const base = events.find((e) => e.request_id === ids.clean)!;
    const ev = (id: string, policies: object[]) => ({ ...base, id, policies }) as DecisionEvent;
    const r = replayEvents(
      [
        ev('evt_err', [{ policy: 'code-sanitation', phase: 'input', verdict: 'flag', reason_code: 'policy_failed', reason: 'flag mode: would have applied block', error: 'threw Error', latency_ms: 1, findings: [] }]),
        ev('evt_stream', [{ policy: 'quality-scorer', phase: 'output', verdict: 'flag', reason: 'stream already delivered: would have applied block', latency_ms: 1, findings: [{ type: 'q', rule: 'q', category: 'quality', path: 'stream', action: 'block', count: 1 }] }]),
        ev('evt_summary', [{ policy: 'pii-detector', phase: 'input', verdict: 'flag', reason: 'flag mode: would have applied redact', latency_ms: 1, findings: [], finding_count: 2 }]),
      ],
      { since: 0, until: 1 },
    );
    assert.deepEqual(r.would_change, { requests: 2, share: 0.6667, redacted: 1, blocked: 1 });
    assert.deepEqual(r.rules.map((x) => [x.rule, x.would_block, x.would_redact, x.sample_event_ids]), [
      ['(policy error: would fail closed)', 1, 0, ['evt_err']],
      ['(rules not recorded: logging detail summary)', 0, 1, ['evt_summary']],
    ]);
  });

  it('--days and --since together are a usage error', async () => {
    await assert.rejects(replay({ days: '2', since: '1h' }), (e: unknown) => (e as { exitCode?: number }).exitCode === 2);
  });
});
