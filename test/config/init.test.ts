import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitError } from '../../src/cli/exit.js';
import { init, listTemplates } from '../../src/config/commands/init.js';
import { policyLint } from '../../src/config/commands/policy-lint.js';
import { loadConfigFiles, templateText } from '../../src/config/index.js';
import { startGateway } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import type { DecisionEvent } from '../../src/audit/event.js';
import { verifyCodingAssistant } from '../../src/scopes/verify.js';
import { capture, tempDir } from './helpers.js';

describe('kt init', () => {
  it('writes the default template and its schema; the result loads', async (t) => {
    const dir = tempDir(t);
    const output = join(dir, 'policy-config.yaml');
    const r = await init({ output, stdout: capture() });
    assert.equal(readFileSync(output, 'utf8'), templateText('default'));
    assert.match(readFileSync(output, 'utf8'), /^# yaml-language-server: \$schema=\.\/policy-config\.schema\.json$/m);
    assert.equal(r.schema, join(dir, 'policy-config.schema.json'));
    assert.ok(JSON.parse(readFileSync(r.schema!, 'utf8')).properties.pack);
    const loaded = await loadConfigFiles([output]);
    assert.equal(loaded.config.pack.name, 'kt-default');
  });

  it('refuses to overwrite without --force and rejects unknown templates (exit 2)', async (t) => {
    const output = join(tempDir(t), 'p.yaml');
    writeFileSync(output, 'mine\n');
    await assert.rejects(init({ output, stdout: capture() }), (e: unknown) => e instanceof ExitError && e.exitCode === 2 && /--force/.test(e.message));
    assert.equal(readFileSync(output, 'utf8'), 'mine\n');
    await init({ output, force: true, stdout: capture() });
    assert.notEqual(readFileSync(output, 'utf8'), 'mine\n');
    await assert.rejects(init({ output, force: true, template: 'nope', stdout: capture() }), (e: unknown) => e instanceof ExitError && /available: .*default/.test(e.message));
    assert.ok(listTemplates().includes('default'));
  });
});

describe('kt init --template coding-assistant', () => {
  const SECRET = 'AKIAZ7QWERTYUIOP2345';
  const CLAUDE = 'claude-cli/2.1.197 (external, cli)';

  /** Starts a gateway on the written template (plus a data dir of its own) and sends assistant-shaped requests. */
  async function serve(dir: string, files: string[]) {
    const dataFile = join(dir, 'data.yaml');
    writeFileSync(dataFile, `gateway: { data_dir: ${JSON.stringify(join(dir, 'data'))} }\n`);
    const loaded = await loadConfigFiles([...files, dataFile]);
    const gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false, watch: false });
    const ev = evidenceFor(loaded.config);
    const send = async (headers: Record<string, string>, content: string) => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'x', ...headers },
        body: JSON.stringify({ model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content }] }),
      });
      return { status: res.status, text: await res.text(), id: res.headers.get('x-request-id')! };
    };
    const event = async (requestId: string): Promise<DecisionEvent> => {
      await ev.sink.flush();
      return (await (await ev.store).query({ limit: 100 })).map((r) => r.event).find((e) => e.request_id === requestId)!;
    };
    return { gw, ev, send, event, close: async () => { await gw.close(); await closeEvidence(); } };
  }

  it('writes the template, which lints clean, and refuses to overwrite it without --force', async (t) => {
    const dir = tempDir(t);
    const output = join(dir, 'policy-config.yaml');
    const out = capture();
    await init({ template: 'coding-assistant', output, stdout: out });
    assert.equal(readFileSync(output, 'utf8'), templateText('coding-assistant'));
    assert.match(out.text(), /wrote .*policy-config\.yaml \(template coding-assistant\)/);
    const report = await policyLint({ file: [output], stdout: capture(), env: {} });
    assert.equal(report.ok, true);
    assert.deepEqual(report.diagnostics, []);
    assert.ok(listTemplates().includes('coding-assistant'));
    writeFileSync(output, '# my edits\n');
    await assert.rejects(init({ template: 'coding-assistant', output, stdout: capture() }), (e: unknown) => e instanceof ExitError && e.exitCode === 2 && /already exists; use --force/.test(e.message));
    assert.equal(readFileSync(output, 'utf8'), '# my edits\n', 'an existing config was overwritten');
  });

  it('serves: a tagged key from Claude Code lands in the flag-mode scope, which records and changes nothing', async (t) => {
    const dir = tempDir(t);
    const output = join(dir, 'policy-config.yaml');
    await init({ template: 'coding-assistant', output, stdout: capture() });
    const rig = await serve(dir, [output]);
    t.after(rig.close);
    const { key } = await rig.ev.keys.create({ name: 'claude-code-alice', userId: 'alice', tags: ['coding-assistant'] });
    const prompt = `// Proprietary and confidential\nconst AWS_ACCESS_KEY_ID = "${SECRET}"; // mail jane.doe@acme-corp.org`; // (marked edit: detection precision) example.org is reserved, not personal
    const a = await rig.send({ authorization: `Bearer ${key}`, 'user-agent': CLAUDE }, prompt);
    assert.equal(a.status, 200, a.text);
    assert.ok(a.text.includes(SECRET), 'flag mode changed what reached the provider (the demo quotes what it got)');
    const ea = await rig.event(a.id);
    assert.equal(ea.scope, 'coding-assistant');
    assert.equal(ea.client, 'claude-cli');
    assert.equal(ea.verdict, 'flag');
    const would = (policy: string) => ea.policies.find((p) => p.policy === policy && p.phase === 'input');
    assert.deepEqual([would('code-sanitation')?.verdict, would('code-sanitation')?.findings[0]?.action], ['flag', 'redact']);
    assert.deepEqual([would('dlp-filter')?.verdict, would('dlp-filter')?.findings[0]?.rule, would('dlp-filter')?.findings[0]?.action], ['flag', 'dlp.licence-header', 'block']);
    assert.deepEqual([would('pii-detector')?.verdict, would('pii-detector')?.findings[0]?.action], ['flag', 'redact']);
    assert.ok(!JSON.stringify(ea).includes(SECRET));

    // The same client without the tagged key is general traffic: the light chain, no scope.
    const g = await rig.send({ 'user-agent': CLAUDE }, prompt);
    assert.equal(g.status, 200, g.text);
    const eg = await rig.event(g.id);
    assert.equal(eg.scope, undefined);
    assert.ok(!eg.policies.some((p) => p.policy === 'code-sanitation' || p.policy === 'dlp-filter'), JSON.stringify(eg.policies));
    assert.equal(eg.policies.find((p) => p.policy === 'pii-detector' && p.phase === 'input')?.verdict, 'flag', 'the general chain records personal data');
  });

  it('the commented client-detection alternative makes a Claude Code User-Agent alone enough', async (t) => {
    const dir = tempDir(t);
    const output = join(dir, 'policy-config.yaml');
    await init({ template: 'coding-assistant', output, stdout: capture() });
    const text = readFileSync(output, 'utf8');
    const swapped = text.replace(/^    match: \{ key_tags: \[coding-assistant\] \}$/m, '    # (key tag replaced)').replace(/^    # (match: \{ clients: \[claude-cli,[^\n]*)$/m, '    $1');
    assert.notEqual(swapped, text);
    writeFileSync(output, swapped);
    assert.equal((await policyLint({ file: [output], stdout: capture(), env: {} })).ok, true);
    const rig = await serve(dir, [output]);
    t.after(rig.close);
    const r = await rig.send({ 'user-agent': CLAUDE }, `AWS_ACCESS_KEY_ID=${SECRET}`);
    assert.equal(r.status, 200, r.text);
    const e = await rig.event(r.id);
    assert.equal(e.scope, 'coding-assistant');
    assert.ok(e.policies.some((p) => p.policy === 'code-sanitation' && p.verdict === 'flag'));
    const curl = await rig.send({ 'user-agent': 'curl/8.5.0' }, `AWS_ACCESS_KEY_ID=${SECRET}`);
    assert.equal((await rig.event(curl.id)).scope, undefined);
  });

  it('promoted to mode: enforce, kt verify coding-assistant passes with the tagged key', async (t) => {
    const dir = tempDir(t);
    const output = join(dir, 'policy-config.yaml');
    await init({ template: 'coding-assistant', output, stdout: capture() });
    writeFileSync(output, readFileSync(output, 'utf8').replace(/^    mode: flag$/m, '    mode: enforce'));
    const rig = await serve(dir, [output]);
    t.after(rig.close);
    const { key } = await rig.ev.keys.create({ name: 'claude-code', tags: ['coding-assistant'] });
    let out = '';
    await verifyCodingAssistant({ url: rig.gw.url, key, out: (x) => (out += x) });
    assert.match(out, /scope coding-assistant.*verdict redact/);
    assert.match(out, /^PASS/m);
  });
});
