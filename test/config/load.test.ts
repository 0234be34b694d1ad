import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, defaultConfig, loadConfigFiles, maskConfig, policySettings, resolvePolicyKind, POLICY_KINDS } from '../../src/config/index.js';
import { fixture, KEYS_ENV, tempDir } from './helpers.js';

describe('loadConfigFiles', () => {
  it('loads a seed with a short sha256 version and absolute file paths', async () => {
    const a = await loadConfigFiles([fixture('seed-002.yaml')], { env: KEYS_ENV });
    assert.match(a.version, /^[0-9a-f]{12}$/);
    assert.deepEqual(a.files, [fixture('seed-002.yaml')]);
    assert.deepEqual(a.warnings, []);
    assert.equal(a.config.pack.name, 'claude-code-gateway');
    const b = await loadConfigFiles([fixture('seed-004.yaml')], { env: {} });
    assert.notEqual(a.version, b.version);
    assert.equal(b.warnings.length, 1);
    assert.match(b.warnings[0], /W001.*OPENAI_API_KEY/);
  });

  it('merges several files in order: maps deep-merge, later wins, lists replace, null removes', async (t) => {
    const dir = tempDir(t);
    const base = join(dir, 'base.yaml');
    const over = join(dir, 'over.yaml');
    writeFileSync(
      base,
      'pack:\n  name: base\n  version: 1.0.0\n  enabled: true\npolicies:\n  chain: [pii-detector, audit-logger]\npolicy:\n  pii-detector:\n    action: block\n    redaction:\n      marker_format: asterisk\n  audit-logger:\n    retention_days: 10\nproviders:\n  targets:\n    - {id: a, provider: demo}\n    - {id: b, provider: demo}\n',
    );
    writeFileSync(over, 'pack:\n  version: 1.1.0\npolicy:\n  pii-detector:\n    redaction:\n      include_metadata: true\n  audit-logger: null\nproviders:\n  targets:\n    - {id: c, provider: demo}\n');
    const { config, files, version } = await loadConfigFiles([base, over], { env: {} });
    assert.deepEqual(files, [base, over]);
    assert.deepEqual(config.pack, { name: 'base', version: '1.1.0', enabled: true });
    assert.deepEqual(config.policy!['pii-detector']!.redaction, { marker_format: 'asterisk', include_metadata: true, preserve_length: false });
    assert.equal(config.policy!['pii-detector']!.action, 'block');
    assert.equal(config.policy!['audit-logger'], undefined);
    assert.deepEqual(config.providers!.targets.map((x) => x.id), ['c']);
    const reversed = await loadConfigFiles([over, base], { env: {} }).catch((e: unknown) => e);
    assert.ok(!(reversed instanceof ConfigError) || reversed.diagnostics.length > 0);
    assert.notEqual((await loadConfigFiles([base], { env: {} })).version, version);
  });

  it('points a merged error at the file that defines the value', async (t) => {
    const dir = tempDir(t);
    const base = join(dir, 'base.yaml');
    const over = join(dir, 'over.yaml');
    writeFileSync(base, 'pack:\n  name: base\n  version: 1.0.0\n  enabled: true\npolicies:\n  chain: [pii-detector]\nproviders:\n  targets:\n    - {id: a, provider: demo}\n');
    writeFileSync(over, '# overlay\npolicy:\n  pii-detector:\n    action: explode\n');
    const err = await loadConfigFiles([base, over]).catch((e: unknown) => e);
    assert.ok(err instanceof ConfigError);
    const d = err.diagnostics.find((x) => x.code === 'E006')!;
    assert.deepEqual([d.file, d.line, d.col], [over, 4, 13]);
    assert.match(err.message, /over\.yaml:4:13: error E006 policy\.pii-detector\.action/);
  });

  it('throws ConfigError listing every error, and E011 for an unreadable file', async (t) => {
    const file = join(tempDir(t), 'bad.yaml');
    writeFileSync(file, 'pack: {name: x, version: 1.0.0, enabled: true}\npolicies: {chain: [nope]}\nextra: 1\n');
    const err = await loadConfigFiles([file]).catch((e: unknown) => e);
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['E001', 'E002']);
    assert.match(err.message, /2 errors/);
    const missing = await loadConfigFiles([join(tempDir(t), 'none.yaml')]).catch((e: unknown) => e);
    assert.ok(missing instanceof ConfigError);
    assert.equal(missing.diagnostics[0].code, 'E011');
  });

  it('with no files returns the embedded default', async () => {
    assert.deepEqual(await loadConfigFiles([]), defaultConfig());
  });
});

describe('defaultConfig', () => {
  it('is pack kt-default with a sensible chain and one demo target serving every model', () => {
    const d = defaultConfig();
    assert.equal(d.config.pack.name, 'kt-default');
    assert.deepEqual(d.config.policies.chain, ['code-sanitation', 'pii-detector', 'prompt-injection', 'audit-logger']);
    assert.deepEqual(d.config.providers!.targets, [{ id: 'demo', provider: 'demo', format: 'openai' }]);
    assert.deepEqual(d.files, []);
    assert.match(d.version, /^[0-9a-f]{12}$/);
    d.config.pack.name = 'mutated';
    assert.equal(defaultConfig().config.pack.name, 'kt-default');
  });
});

describe('policy kinds', () => {
  it('resolves the code-sanitizer alias and rejects unknown names', () => {
    assert.equal(resolvePolicyKind('code-sanitizer'), 'code-sanitation');
    assert.equal(resolvePolicyKind('pii-detector'), 'pii-detector');
    assert.equal(resolvePolicyKind('toString'), undefined);
    assert.equal(resolvePolicyKind('nope'), undefined);
    assert.ok(POLICY_KINDS.includes('disclaimers'));
  });

  it('policySettings applies defaults for a kind without a block', async () => {
    const { config } = await loadConfigFiles([fixture('seed-002.yaml')], { env: KEYS_ENV });
    const pii = policySettings(config, 'pii-detector');
    assert.equal(pii.action, 'redact');
    assert.equal(pii.redaction.marker_format, 'label');
    assert.equal(policySettings(config, 'code-sanitation').block_on_match, false);
    assert.equal(policySettings(config, 'audit-logger').retention_days, 90);
  });
});

describe('maskConfig', () => {
  it('masks secret-looking keys and values, header values and URL passwords, and keeps env var names', () => {
    const masked = maskConfig({
      providers: {
        targets: [
          { id: 'a', provider: 'openai', secret_key_ref: { env: 'OPENAI_API_KEY' }, headers: { 'x-org': 'org-123' }, base_url: 'https://u:hunter2@proxy.example.com' },
        ],
      },
      store: { url: 'postgres://kt:s3cret@db.local/kt' },
      misc: { api_key: 'plain', note: 'sk-proj-abcdefghijklmnop1234', long: 'Q2xhdWRlIGlzIGF3ZXNvbWUgYW5kIDEyMzQ1Njc4OTA' },
    }) as any;
    const t = masked.providers.targets[0];
    assert.deepEqual(t.secret_key_ref, { env: 'OPENAI_API_KEY' });
    assert.deepEqual(t.headers, { 'x-org': '***' });
    assert.equal(t.base_url, 'https://u:***@proxy.example.com/');
    assert.equal(masked.store.url, 'postgres://kt:***@db.local/kt');
    assert.deepEqual(masked.misc, { api_key: '***', note: '***', long: '***' });
    assert.equal(t.provider, 'openai');
    assert.doesNotMatch(JSON.stringify(masked), /hunter2|s3cret|sk-proj/);
  });
});
