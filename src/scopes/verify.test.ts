/** `kt verify coding-assistant` against real gateways (demo upstream): pass, flag mode, and no scope. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../config/index.js';
import { startGateway, type Gateway } from '../gateway/server.js';
import { closeEvidence, evidenceFor } from '../audit/evidence.js';
import { ExitError } from '../cli/exit.js';
import { fakeAwsKeyId, verifyCodingAssistant } from './verify.js';

const yaml = (dir: string, scopes: string, auth = '') => `
pack: { name: verify-test, version: 1.0.0, enabled: true }
policies: { chain: [audit-logger] }
providers: { targets: [{ id: demo, provider: demo }] }
gateway: { data_dir: ${JSON.stringify(dir)}${auth} }
${scopes}`;

const BY_TAG = `
scopes:
  - name: coding-assistant
    match: { key_tags: [assistant] }
    chain: [code-sanitation, audit-logger]
    policy: { code-sanitation: { block_on_match: false } }
`;

const ENFORCE = `
scopes:
  - name: coding-assistant
    match: { clients: [claude-cli, codex, qwen] }
    chain: [code-sanitation, audit-logger]
    policy: { code-sanitation: { block_on_match: false } }
`;

describe('kt verify coding-assistant', () => {
  const dirs: string[] = [];
  const gws: Gateway[] = [];
  const start = async (scopes: string, auth = '') => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-verify-'));
    dirs.push(dir);
    const { config, diagnostics } = parseConfigText(yaml(dir, scopes, auth), 'verify.yaml');
    assert.ok(config, JSON.stringify(diagnostics));
    const gw = await startGateway({ loaded: { config, version: 'v', files: [], warnings: [] }, listen: '127.0.0.1:0', logger: false });
    gws.push(gw);
    return gw;
  };
  const run = async (gw: Gateway, json = false, keys: { key?: string; generalKey?: string; adminKey?: string } = {}) => {
    let out = '';
    let code = 0;
    try {
      await verifyCodingAssistant({ url: gw.url, json, out: (s) => (out += s), ...keys });
    } catch (e) {
      if (!(e instanceof ExitError)) throw e;
      code = e.exitCode;
      out += e.message;
    }
    return { out, code };
  };
  before(() => undefined);
  after(async () => {
    for (const g of gws) await g.close();
    await closeEvidence();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('passes when only the assistant path redacts, and names policy, action, scope and phase', async () => {
    const r = await run(await start(ENFORCE));
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /assistant path: POST \/v1\/messages\?beta=true → 200, event evt_\S+, scope coding-assistant( \(client=claude-cli\))?, verdict redact/);
    assert.match(r.out, /policy code-sanitation · tool · redact/);
    assert.match(r.out, /general path {2}: POST \/v1\/messages → 200, event \S+, scope \(none\), verdict allow\n {2}the demo upstream received the secret unchanged/);
    assert.match(r.out, /^PASS/m);
    assert.doesNotMatch(r.out, /AKIA[A-Z2-7]{16}/);
  });

  it('fails with the promotion hint when the scope is still in flag mode', async () => {
    const r = await run(await start(ENFORCE.replace('chain: [code-sanitation', 'mode: flag\n    chain: [code-sanitation')), true);
    assert.equal(r.code, 1, r.out);
    const report = JSON.parse(r.out);
    assert.equal(report.ok, false);
    assert.equal(report.assistant.event.scope, 'coding-assistant');
    assert.ok(report.problems.some((p: string) => /only flagged it \(flag mode\): promote it with mode: enforce/.test(p)), r.out);
  });

  it('fails when no scope tells assistant traffic apart (both paths treated alike)', async () => {
    const r = await run(await start(''));
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /matched no scope/);
    assert.match(r.out, /forwarded the secret/);
  });

  it('keys mode: FAILs when the general path is refused (only --key given) and PASSes with --general-key', async () => {
    const gw = await start(BY_TAG, ', auth: { mode: keys }');
    const ev = evidenceFor(gw.current().loaded.config);
    const { key } = await ev.keys.create({ name: 'claude-code', tags: ['assistant'] });
    const { key: generalKey } = await ev.keys.create({ name: 'backend-app' });
    // The live event stream is an operator's view: in keys mode it takes a key with the admin role.
    const { key: adminKey } = await ev.keys.create({ name: 'ops', roles: ['admin'] });

    const onlyKey = await run(gw, true, { key, adminKey });
    assert.equal(onlyKey.code, 1, onlyKey.out);
    const report = JSON.parse(onlyKey.out);
    assert.equal(report.assistant.status, 200);
    assert.equal(report.assistant.event.scope, 'coding-assistant');
    assert.equal(report.general.status, 401);
    assert.deepEqual(report.problems.length, 1, onlyKey.out);
    assert.match(report.problems[0], /general-path request failed \(401: kt: this gateway requires an access key.*pass one with --general-key/);

    const text = await run(gw, false, { key, adminKey });
    assert.match(text.out, /general path {2}: POST \/v1\/messages → 401.*\n {2}error: kt: this gateway requires an access key/);
    assert.match(text.out, /^FAIL:/m);

    const both = await run(gw, false, { key, generalKey, adminKey });
    assert.equal(both.code, 0, both.out);
    assert.match(both.out, /scope coding-assistant( \(key_tag=assistant\))?, verdict redact/);
    assert.match(both.out, /the demo upstream received the secret unchanged/);
    assert.ok(![key, generalKey, adminKey].some((k) => both.out.includes(k)), 'a key was printed');
  });

  it('FAILs when the assistant key is missing too, with the --key hint', async () => {
    const gw = await start(BY_TAG, ', auth: { mode: keys }');
    const { key: adminKey } = await evidenceFor(gw.current().loaded.config).keys.create({ name: 'ops', roles: ['admin'] });
    const r = await run(gw, true, { adminKey });
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out);
    assert.ok(report.problems.some((p: string) => /assistant-path request failed before the bundle could judge it \(401: .*pass one with --key/.test(p)), r.out);
  });

  it('makes up a new AWS-shaped key each run', () => {
    const a = fakeAwsKeyId();
    assert.match(a, /^AKIA[A-Z2-7]{16}$/);
    assert.notEqual(a, fakeAwsKeyId());
  });
});
