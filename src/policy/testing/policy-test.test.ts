/**
 * `kt policy test` with scopes: golden cases select a scope the way real traffic does (User-Agent →
 * client, access-key tags, header, route prefix) and assert that scope's verdict; the COMPAT case format
 * keeps working unchanged. Real detectors, real config files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ExitError } from '../../cli/exit.js';
import { policyTest } from './policy-test.js';

const SECRET = 'AKIAZ7QWERTYUIOP2345';
const ask = [{ role: 'user', content: `deploy with AWS_ACCESS_KEY_ID=${SECRET} please` }];

const CONFIG = `
pack: { name: scoped-tests, version: 1.0.0, enabled: true }
policies: { chain: [pii-detector] }
providers: { targets: [{ id: d, provider: demo }] }
scopes:
  - name: assistant-key
    match: { key_tags: [assistant] }
    chain: [code-sanitation]
    policy: { code-sanitation: { block_on_match: true } }
  - name: codex-pilot
    match: { clients: [codex] }
    chain: [code-sanitation]
    policy: { code-sanitation: { block_on_match: true } }
    mode: flag
  - name: coding-assistant
    match: { clients: [claude-cli] }
    chain: [code-sanitation]
  - name: team-path
    match: { route_prefix: /assistants, header: { name: x-team, value: web } }
    chain: [code-sanitation]
testing:
  suites:
    - name: inline
      cases:
        - name: route prefix with its header lands in team-path
          input:
            path: /assistants/v1/chat/completions
            headers: { X-Team: web }
            messages: [{ role: user, content: "deploy with AWS_ACCESS_KEY_ID=${SECRET} please" }]
          expected: { verdict: redact, scope: team-path }
`;

async function run(file: string): Promise<{ out: string; code: number }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  try {
    await policyTest({ file: [file], json: true, stdout });
    return { out, code: 0 };
  } catch (err) {
    if (err instanceof ExitError) return { out: out || err.message, code: err.exitCode };
    throw err;
  }
}

describe('kt policy test through scopes', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-ptest-scopes-'));
    file = join(dir, 'policy-config.yaml');
    await writeFile(file, CONFIG);
    await mkdir(join(dir, 'tests'));
    await writeFile(
      join(dir, 'tests', 'scopes.json'),
      JSON.stringify([
        // The COMPAT format, untouched: no headers, no path → the general path (base chain: PII only).
        { name: 'general path ignores the secret', input: { messages: ask }, expected: { verdict: 'allow' } },
        { name: 'general path, said explicitly', input: { messages: ask, headers: { 'user-agent': 'curl/8.5.0' } }, expected: { verdict: 'allow', scope: null } },
        { name: 'claude code is redacted', input: { messages: ask, headers: { 'User-Agent': 'claude-cli/2.1.197 (external, cli)' } }, expected: { verdict: 'redact', reason_code: 'secret_detected', scope: 'coding-assistant' } },
        { name: 'codex pilot only flags', input: { messages: ask, headers: { 'user-agent': 'codex_exec/0.169.0 (Linux; x86_64)' } }, expected: { verdict: 'flag', scope: 'codex-pilot' } },
        // The key tag wins over the client: first match, like the gateway.
        { name: 'tagged key blocks, even from claude code', input: { messages: ask, key: { name: 'ci', tags: ['assistant'] }, headers: { 'user-agent': 'claude-cli/2.1.197' } }, expected: { verdict: 'block', scope: 'assistant-key' } },
        { name: 'prefix without its header is refused', input: { messages: ask, path: '/assistants/v1/chat/completions', headers: { 'user-agent': 'claude-cli/2.1.197' } }, expected: { verdict: 'block', reason_code: 'not_found', scope: null } },
      ]),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('each case resolves its scope like real traffic and asserts that scope\'s verdict', async () => {
    const { out, code } = await run(file);
    assert.equal(code, 0, out);
    const r = JSON.parse(out);
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.results.map((x: { name: string; verdict: string; scope: string | null; passed: boolean }) => [x.name, x.verdict, x.scope, x.passed]),
      [
        ['general path ignores the secret', 'allow', null, true],
        ['general path, said explicitly', 'allow', null, true],
        ['claude code is redacted', 'redact', 'coding-assistant', true],
        ['codex pilot only flags', 'flag', 'codex-pilot', true],
        ['tagged key blocks, even from claude code', 'block', 'assistant-key', true],
        ['prefix without its header is refused', 'block', null, true],
        ['route prefix with its header lands in team-path', 'redact', 'team-path', true],
      ],
    );
    assert.ok(!out.includes(SECRET));
  });

  it('a wrong expected scope fails the case (exit 1) and says which scope it got', async () => {
    await writeFile(join(dir, 'tests', 'wrong.json'), JSON.stringify({ name: 'codex is not claude', input: { messages: ask, headers: { 'user-agent': 'codex_exec/0.169.0' } }, expected: { verdict: 'flag', scope: 'coding-assistant' } }));
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += c));
    await assert.rejects(policyTest({ file: [file], stdout }), (e: unknown) => e instanceof ExitError && e.exitCode === 1);
    assert.match(out, /FAIL codex is not claude: expected flag in scope coding-assistant, got flag\/secret_detected in scope codex-pilot/);
    assert.match(out, /PASS claude code is redacted \(redact, scope coding-assistant\)/);
    await rm(join(dir, 'tests', 'wrong.json'));
  });

  it('a malformed case is a usage error (exit 2) naming the case and the field', async () => {
    await writeFile(join(dir, 'tests', 'bad.json'), JSON.stringify({ name: 'bad path', input: { messages: ask, path: 'assistants/v1' }, expected: { verdict: 'allow' } }));
    const { out, code } = await run(file);
    assert.equal(code, 2);
    assert.match(out, /bad\.json: case 1 \(bad path\): input\.path must be a string starting with \//);
    await rm(join(dir, 'tests', 'bad.json'));
  });
});
