/**
 * The policy-config.yaml examples of seeds 002 (Claude Code) and 004 (how interception works), as a
 * user types them from the page, start the gateway and serve the pages' curl commands. The only
 * change is the test override pointing each target's base_url at the demo upstream.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startDemoServer } from '../../src/providers/demo/index.js';
import { startGateway, ListenRefusedError } from '../../src/gateway/server.js';
import { loadYaml, postJson, rig } from './helpers.js';

const SEED_002 = `pack:
  name: claude-code-gateway
  version: 1.0.0
  enabled: true

policies:
  chain:
    - pii-detector
    - code-sanitation
    - prompt-injection
    - quality-scorer
    - audit-logger

providers:
  strategy: single
  targets:
    - id: anthropic-claude
      provider: anthropic
      model: claude-sonnet-4-20250514
      secret_key_ref:
        env: ANTHROPIC_API_KEY
      format: anthropic
`;

const SEED_004 = `pack:
  name: first-gateway
  version: 0.1.0
  enabled: true
providers:
  targets:
    - id: openai-primary
      provider: openai
      model: gpt-5.4-mini-mini
      base_url: https://api.openai.com
      secret_key_ref:
        env: OPENAI_API_KEY
policies:
  chain:
    - prompt-injection
    - pii-detector
    - audit-logger
policy:
  prompt-injection:
    use_embedding: false
    detection:
      attack_patterns:
        - "ignore.*previous.*instructions"
        - "forget.*system.*prompt"
    encoding:
      decode_base64: true
      normalize_unicode: true
      detect_homoglyphs: true
    boundaries:
      enforce_delimiters: true
      reject_fake_boundaries: true
  pii-detector:
    action: redact
    redaction:
      marker_format: label
      include_metadata: true
  audit-logger:
    retention_days: 30
`;

describe('seed 002: Claude Code through the gateway', () => {
  it("serves the page's curl with the gateway's Anthropic key", async (t) => {
    const { gw, demo } = await rig(t, SEED_002, { env: { ANTHROPIC_API_KEY: 'sk-ant-from-env' } });
    const res = await postJson(
      `${gw.url}/v1/messages`,
      { model: 'claude-sonnet-4-20250514', max_tokens: 128, messages: [{ role: 'user', content: 'Say hello' }] },
      { 'x-api-key': 'sk-ant-your-key-here', 'anthropic-version': '2023-06-01' },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.type, 'message');
    assert.match(JSON.stringify(res.json.content), /Say hello/);
    assert.equal(demo.requests[0].path, '/v1/messages');
    assert.equal(demo.requests[0].headers['x-api-key'], 'sk-ant-from-env');
    const health = await (await fetch(`${gw.url}/health`)).json();
    assert.equal(health.policies_loaded, 5);
  });
});

describe('seed 004: the minimal config', () => {
  it("serves the page's curl, /health and /keeptrusts/config", async (t) => {
    const { gw, demo } = await rig(t, SEED_004, { env: { OPENAI_API_KEY: 'sk-openai-from-env' } });
    const res = await postJson(`${gw.url}/v1/chat/completions`, {
      model: 'gpt-5.4-mini-mini',
      messages: [{ role: 'user', content: 'What does this gateway enforce before a provider call is made?' }],
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.object, 'chat.completion');
    assert.equal(demo.requests[0].headers.authorization, 'Bearer sk-openai-from-env');
    const health = await (await fetch(`${gw.url}/health`)).json();
    assert.equal(health.status, 'healthy');
    const cfg = await (await fetch(`${gw.url}/keeptrusts/config`)).json();
    assert.equal(cfg.config.pack.name, 'first-gateway');
  });

  it('its --listen 0.0.0.0:41002 is refused without client authentication, saying how to allow it', async () => {
    await assert.rejects(
      startGateway({ loaded: loadYaml(SEED_004), listen: '0.0.0.0:41002', logger: false }),
      (e: unknown) => e instanceof ListenRefusedError && /gateway\.auth\.mode: keys/.test(e.message),
    );
  });
});

const BIN = fileURLToPath(new URL('../../bin/kt.js', import.meta.url));
const curl = async (...args: string[]) => (await promisify(execFile)('curl', ['-s', '--max-time', '20', ...args])).stdout;

describe('kt gateway run --policy-config <seed config>, with the seed 004 curl commands', () => {
  // The seed YAML as typed, written to a file; the one change is base_url pointing at a local demo.
  const withDemo = (yaml: string, url: string) =>
    yaml.includes('base_url:') ? yaml.replace(/base_url: \S+/, `base_url: ${url}`) : yaml.replace('      provider: anthropic\n', `      provider: anthropic\n      base_url: ${url}\n`);
  for (const [name, yaml, env, upstreamPath, pack, policies] of [
    ['seed 002', SEED_002, { ANTHROPIC_API_KEY: 'sk-ant-from-env' }, '/v1/messages', 'claude-code-gateway', 5],
    ['seed 004', SEED_004, { OPENAI_API_KEY: 'sk-openai-from-env' }, '/v1/chat/completions', 'first-gateway', 3],
  ] as const) {
    it(`${name}: the gateway starts and answers the chat, /health and /keeptrusts/config curls`, async (t) => {
      const demo = await startDemoServer();
      t.after(() => demo.close());
      const dir = mkdtempSync(join(tmpdir(), 'kt-seed-cli-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'policy-config.yaml');
      writeFileSync(file, withDemo(yaml, demo.url));
      const child = spawn(process.execPath, [BIN, 'gateway', 'run', '--listen', '127.0.0.1:0', '--policy-config', file], {
        // Only the key the seed names is set, as on a user's machine that follows the page.
        env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', ...(env as Record<string, string>), KT_DATA_DIR: join(dir, 'data') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      t.after(() => child.kill('SIGKILL'));
      const listen = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          const rec = JSON.parse(l) as { listen?: string };
          if (rec.listen) resolve(rec.listen);
        });
        child.once('exit', (code) => reject(new Error(`kt gateway run exited with ${code}`)));
      });

      const chat = JSON.parse(
        await curl(`${listen}/v1/chat/completions`, '-H', 'Content-Type: application/json', '-d', JSON.stringify({ model: 'gpt-5.4-mini-mini', messages: [{ role: 'user', content: 'What does this gateway enforce before a provider call is made?' }] })),
      );
      assert.equal(chat.object, 'chat.completion', JSON.stringify(chat));
      assert.match(chat.choices[0].message.content, /What does this gateway enforce/);
      assert.equal(demo.requests.at(-1)!.path, upstreamPath);
      const upstreamAuth = demo.requests.at(-1)!.headers[upstreamPath === '/v1/messages' ? 'x-api-key' : 'authorization'];
      assert.match(String(upstreamAuth), /-from-env$/);

      const health = JSON.parse(await curl(`${listen}/health`));
      assert.equal(health.status, 'healthy');
      assert.equal(health.policies_loaded, policies);
      const shown = await curl(`${listen}/keeptrusts/config`);
      assert.equal(JSON.parse(shown).config.pack.name, pack);
      assert.doesNotMatch(shown, /from-env/, 'no secret in the config view');

      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    });
  }
});
