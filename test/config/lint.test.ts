import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitError } from '../../src/cli/exit.js';
import { policyLint } from '../../src/config/commands/policy-lint.js';
import { parseConfigText, type Diagnostic } from '../../src/config/index.js';
import { capture, fixture, KEYS_ENV, tempDir } from './helpers.js';

const HEAD = 'pack:\n  name: t\n  version: 1.0.0\n  enabled: true\n';
const DEMO = 'providers:\n  targets:\n    - id: demo\n      provider: demo\n';

function lint(text: string): Diagnostic[] {
  return parseConfigText(text, 'p.yaml', { env: KEYS_ENV }).diagnostics;
}

function only(ds: Diagnostic[], code: string): Diagnostic {
  const hit = ds.filter((d) => d.code === code);
  assert.equal(hit.length, 1, `expected one ${code}, got ${JSON.stringify(ds, null, 1)}`);
  return hit[0];
}

describe('kt policy lint on the seeds', () => {
  for (const seed of ['seed-002.yaml', 'seed-004.yaml']) {
    it(`${seed} lints clean and prints pack, chain and counts`, async () => {
      const out = capture();
      const report = await policyLint({ file: [fixture(seed)], env: KEYS_ENV, stdout: out });
      assert.equal(report.ok, true);
      assert.deepEqual(report.diagnostics, []);
      assert.match(out.text(), /: ok\n/);
      assert.match(out.text(), new RegExp(`pack: ${report.pack!.name}@${report.pack!.version.replace(/\./g, '\\.')}`));
      assert.match(out.text(), /chain: .+ → /);
      assert.match(out.text(), /1 target, 0 warnings/);
    });
  }

  it('names each scope with its mode, what it matches on and the chain it runs', async (t) => {
    const file = join(tempDir(t), 'scoped.yaml');
    writeFileSync(
      file,
      `pack: { name: scoped, version: 1.0.0, enabled: true }
policies: { chain: [pii-detector] }
providers: { targets: [{ id: demo, provider: demo }] }
scopes:
  - { name: assistants, mode: flag, match: { key_tags: [ca], clients: [codex] }, chain: [code-sanitation, audit-logger] }
  - { name: lane-b, match: { route_prefix: /b } }
`,
    );
    const out = capture();
    const report = await policyLint({ file: [file], stdout: out });
    assert.deepEqual(report.scopes, [
      { name: 'assistants', mode: 'flag', match: ['key_tags', 'clients'], chain: ['code-sanitation', 'audit-logger'] },
      { name: 'lane-b', mode: 'enforce', match: ['route_prefix'], chain: ['pii-detector'] },
    ]);
    assert.match(out.text(), /scope assistants \(flag, matched by key_tags \+ clients\): code-sanitation → audit-logger\n/);
    assert.match(out.text(), /scope lane-b \(enforce, matched by route_prefix\): pii-detector\n/);
  });

  it('seed 002 keeps kinds without a policy block in the chain (they run with defaults)', async () => {
    const report = await policyLint({ file: [fixture('seed-002.yaml')], env: KEYS_ENV, stdout: capture() });
    assert.deepEqual(report.chain, ['pii-detector', 'code-sanitation', 'prompt-injection', 'quality-scorer', 'audit-logger']);
    assert.equal(report.counts.configured, 0);
  });

  it('a missing provider key env var is a warning, not an error', async () => {
    const report = await policyLint({ file: [fixture('seed-004.yaml')], env: {}, stdout: capture() });
    assert.equal(report.ok, true);
    const w = only(report.diagnostics, 'W001');
    assert.equal(w.severity, 'warning');
    assert.equal(w.path, 'providers.targets[0].secret_key_ref.env');
    assert.deepEqual([w.line, w.col], [12, 14]);
  });

  it('--json prints {ok, file, pack, chain, diagnostics}', async () => {
    const out = capture();
    await policyLint({ file: [fixture('seed-004.yaml')], json: true, env: KEYS_ENV, stdout: out });
    const j = JSON.parse(out.text());
    assert.equal(j.ok, true);
    assert.equal(j.file, fixture('seed-004.yaml'));
    assert.deepEqual(j.pack, { name: 'first-gateway', version: '0.1.0', enabled: true });
    assert.deepEqual(j.chain, ['prompt-injection', 'pii-detector', 'audit-logger']);
    assert.deepEqual(j.diagnostics, []);
  });

  it('exits 2 with file:line:col diagnostics on errors, also in --json', async (t) => {
    const file = join(tempDir(t), 'bad.yaml');
    writeFileSync(file, HEAD + 'policies:\n  chain:\n    - pii-detecter\n' + DEMO);
    const out = capture();
    await assert.rejects(policyLint({ file: [file], env: KEYS_ENV, stdout: out }), (e: unknown) => e instanceof ExitError && e.exitCode === 2);
    assert.match(out.text(), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:7: error E001 policies.chain\\[0\\]: unknown policy kind "pii-detecter".*did you mean "pii-detector"`));
    const json = capture();
    await assert.rejects(policyLint({ file: [file], json: true, env: KEYS_ENV, stdout: json }), ExitError);
    const j = JSON.parse(json.text());
    assert.equal(j.ok, false);
    assert.deepEqual(j.chain, ['pii-detecter']);
    assert.equal(j.diagnostics[0].code, 'E001');
  });

  it('a missing file is E011 and exit 2', async () => {
    const out = capture();
    await assert.rejects(policyLint({ file: ['/nonexistent/policy-config.yaml'], stdout: out }), (e: unknown) => e instanceof ExitError && e.exitCode === 2);
    assert.match(out.text(), /E011/);
  });
});

describe('diagnostic codes and positions', () => {
  it('E001 for an unknown kind in the chain and as a policy key, with did-you-mean', () => {
    const ds = lint(HEAD + 'policies:\n  chain:\n    - audit-loger\npolicy:\n  pii-detectr:\n    action: redact\n' + DEMO);
    const [chain, key] = ds.filter((d) => d.code === 'E001');
    assert.deepEqual([chain.path, chain.line, chain.col], ['policies.chain[0]', 7, 7]);
    assert.match(chain.message, /did you mean "audit-logger"/);
    assert.deepEqual([key.path, key.line, key.col], ['policy.pii-detectr', 9, 3]);
    assert.match(key.message, /did you mean "pii-detector"/);
    assert.match(key.message, /known kinds: .*code-sanitation/);
  });

  it('E002 for an unknown key, listing the valid keys and a suggestion, at the key position', () => {
    const d = only(lint(HEAD + 'policies:\n  chain: [pii-detector]\npolicy:\n  pii-detector:\n    redaction:\n      marker_fromat: label\n' + DEMO), 'E002');
    assert.equal(d.path, 'policy.pii-detector.redaction.marker_fromat');
    assert.deepEqual([d.line, d.col], [10, 7]);
    assert.match(d.message, /did you mean "marker_format"/);
    assert.match(d.message, /valid keys: marker_format, include_metadata, preserve_length/);
  });

  it('E002 at the top level and inside a target', () => {
    const ds = lint(HEAD + 'policies:\n  chain: []\nprovider:\n  x: 1\n' + 'providers:\n  targets:\n    - id: a\n      provider: demo\n      api_key: nope\n');
    const codes = ds.filter((d) => d.code === 'E002').map((d) => `${d.path}@${d.line}:${d.col}`);
    assert.deepEqual(codes, ['provider@7:1', 'providers.targets[0].api_key@13:7']);
    assert.match(ds.find((d) => d.path === 'provider')!.message, /did you mean "providers"/);
  });

  it('E003 when a kind that needs settings has none', () => {
    const d = only(lint(HEAD + 'policies:\n  chain:\n    - pii-detector\n    - dlp-filter\n' + DEMO), 'E003');
    assert.deepEqual([d.path, d.line], ['policies.chain[1]', 8]);
    assert.match(d.message, /blocked_terms/);
    assert.equal(lint(HEAD + 'policies:\n  chain: [dlp-filter]\npolicy:\n  dlp-filter:\n    blocked_terms: [project-falcon]\n' + DEMO).length, 0);
  });

  it('E004 for a regex RE2 cannot compile, naming its path', () => {
    const ds = lint(
      HEAD +
        'policies:\n  chain: [prompt-injection, dlp-filter]\npolicy:\n  prompt-injection:\n    detection:\n      attack_patterns:\n        - "ok.*fine"\n        - "(?<=x)y"\n' +
        '  dlp-filter:\n    blocked_terms:\n      - plain (not a regex\n      - term: "(a|b"\n        regex: true\n' +
        DEMO,
    );
    const e4 = ds.filter((d) => d.code === 'E004');
    assert.deepEqual(
      e4.map((d) => `${d.path}@${d.line}`),
      ['policy.prompt-injection.detection.attack_patterns[1]@12', 'policy.dlp-filter.blocked_terms[1].term@16'],
    );
  });

  it('E005 wrong type, E006 enum, E007 missing, E008 range/format', () => {
    const ds = lint(
      'pack:\n  name: t\n  version: 1.0\npolicies:\n  chain: pii-detector\npolicy:\n  audit-logger:\n    retention_days: 0\n  pii-detector:\n    action: mask\n' + DEMO,
    );
    const by = (c: string) => ds.filter((d) => d.code === c).map((d) => d.path);
    assert.deepEqual(by('E005'), ['pack.version', 'policies.chain']);
    assert.deepEqual(by('E007'), ['pack.enabled']);
    assert.deepEqual(by('E006'), ['policy.pii-detector.action']);
    assert.deepEqual(by('E008'), ['policy.audit-logger.retention_days']);
    const e6 = ds.find((d) => d.code === 'E006')!;
    assert.match(e6.message, /allowed: "redact", "block", "flag"/);
    assert.deepEqual([e6.line, e6.col], [10, 13]);
  });

  it('E008 for a version that is not SemVer and a base_url that is not a URL', () => {
    const ds = lint('pack:\n  name: t\n  version: "1.0"\n  enabled: true\npolicies:\n  chain: []\nproviders:\n  targets:\n    - id: a\n      provider: openai\n      base_url: api.openai.com\n');
    assert.deepEqual(ds.filter((d) => d.code === 'E008').map((d) => d.path), ['pack.version', 'providers.targets[0].base_url']);
  });

  it('E009 duplicate target ids, E010 YAML syntax, E012 both alias blocks', () => {
    assert.equal(only(lint(HEAD + 'policies:\n  chain: []\nproviders:\n  targets:\n    - {id: a, provider: demo}\n    - {id: a, provider: demo}\n'), 'E009').line, 10);
    const syntax = only(lint(HEAD + 'policies:\n  chain: [a\n'), 'E010');
    assert.ok(syntax.line >= 6);
    const dup = only(lint(HEAD + 'policies:\n  chain: []\npolicies:\n  chain: []\n'), 'E010');
    assert.match(dup.message, /unique/i);
    assert.equal(dup.line, 7);
    only(lint(HEAD + 'policies:\n  chain: [code-sanitizer]\npolicy:\n  code-sanitation: {}\n  code-sanitizer: {}\n' + DEMO), 'E012');
  });

  it('warns about blocks not in the chain and repeated kinds', () => {
    const ds = lint(HEAD + 'policies:\n  chain: [pii-detector, pii-detector]\npolicy:\n  audit-logger:\n    retention_days: 7\n' + DEMO);
    assert.ok(ds.every((d) => d.severity === 'warning'));
    assert.deepEqual(ds.map((d) => d.code).sort(), ['W002', 'W003']);
  });

  it('does not warn W002 for the block a misspelt chain entry meant', () => {
    const ds = lint(HEAD + 'policies:\n  chain: [pii-detecter]\npolicy:\n  pii-detector:\n    action: block\n' + DEMO);
    assert.deepEqual(ds.map((d) => d.code), ['E001']);
  });

  it('checks scopes: their policy overlays and chains get E001, E004 and E003 with scope paths', () => {
    const ds = lint(
      HEAD +
        'policies:\n  chain: [pii-detector]\n' +
        'scopes:\n  - name: assistants\n    match:\n      clients: [claude-cli]\n    mode: flag\n    chain: [code-sanitation, dlp-filter]\n' +
        '    policy:\n      pii-detectr: {}\n      code-sanitation:\n        additional_patterns: ["a(?!b)"]\n' +
        DEMO,
    );
    assert.deepEqual(
      ds.map((d) => `${d.code} ${d.path}`),
      ['E003 scopes[0].chain[1]', 'E001 scopes[0].policy.pii-detectr', 'E004 scopes[0].policy.code-sanitation.additional_patterns[0]'],
    );
    const ok = parseConfigText(
      HEAD + 'policies:\n  chain: [pii-detector]\nscopes:\n  - name: a\n    match: {route_prefix: /assistants}\n    chain: [code-sanitizer]\n' + DEMO,
      'p.yaml',
    );
    assert.deepEqual(ok.config?.scopes?.[0].chain, ['code-sanitation']);
  });

  it('normalises aliases, base_url and target format in the loaded config', () => {
    const r = parseConfigText(
      HEAD +
        'policies:\n  chain: [code-sanitizer]\npolicy:\n  code-sanitizer:\n    block_on_match: true\n' +
        'providers:\n  targets:\n    - {id: o, provider: openai, base_url: "https://api.openai.com/v1/"}\n    - {id: c, provider: anthropic}\n',
      'p.yaml',
    );
    assert.ok(r.config, JSON.stringify(r.diagnostics));
    assert.deepEqual(r.config.policies.chain, ['code-sanitation']);
    assert.deepEqual(Object.keys(r.config.policy!), ['code-sanitation']);
    assert.equal(r.config.providers!.targets[0].base_url, 'https://api.openai.com');
    assert.deepEqual(r.config.providers!.targets.map((t) => t.format), ['openai', 'anthropic']);
    assert.equal(r.config.providers!.strategy, 'single');
  });
});

describe('single-policy documents', () => {
  for (const f of ['single-prompt-injection.yaml', 'single-quality-scorer.yaml']) {
    it(`${f} lints clean`, async () => {
      const report = await policyLint({ file: [fixture(f)], stdout: capture() });
      assert.equal(report.kind, 'single-policy');
      assert.deepEqual(report.diagnostics, []);
    });
  }

  it('reports unknown keys against that kind', async (t) => {
    const file = join(tempDir(t), 'q.yaml');
    writeFileSync(file, 'policy:\n  name: quality-scorer\n  version: 1.0.0\n  enabled: true\nmin_scor: 0.5\n');
    const out = capture();
    await assert.rejects(policyLint({ file: [file], json: true, stdout: out }), ExitError);
    const d = JSON.parse(out.text()).diagnostics[0];
    assert.deepEqual([d.code, d.path, d.line], ['E002', 'min_scor', 5]);
    assert.match(d.message, /did you mean "min_score"/);
  });
});
