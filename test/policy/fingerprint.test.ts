/**
 * include_metadata markers carry a keyed fingerprint; the key lives in the gateway's data dir, so the
 * same value gets the same marker after a restart (the redacted prefix, and with it the provider's
 * prompt cache, survives). Each "restart" is a fresh Node process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildPolicies } from '../../src/policy/registry.js';

const REGISTRY = new URL('../../src/policy/registry.ts', import.meta.url).href;
const CONFIG = { policies: { chain: ['pii-detector'] }, policy: { 'pii-detector': { redaction: { marker_format: 'label', include_metadata: true } } } };

/** The marker a fresh process writes for one email, with `dataDir` (and optional env). */
function markerInFreshProcess(dataDir: string, env: Record<string, string> = {}): string {
  const code = `
    const { buildPolicies } = await import(${JSON.stringify(REGISTRY)});
    const { policies } = buildPolicies(${JSON.stringify(CONFIG)}, { dataDir: process.argv[1] });
    const out = await policies[0].evaluate({ phase: 'input', segments: [{ path: ['t'], pointer: 't', role: 'user', text: 'mail jane.doe@acme-corp.org' }] }); // (marked edit: detection precision) example.org is reserved, not personal
    process.stdout.write(out.edits[0].replacement);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, dataDir], { encoding: 'utf8', env: { ...process.env, KT_FINGERPRINT_KEY: '', ...env } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('the marker is the same after a restart; the key file is created once, mode 0600', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-fp-'));
  const other = mkdtempSync(join(tmpdir(), 'kt-fp-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });
  const first = markerInFreshProcess(dir);
  assert.match(first, /^\[REDACTED:email:[0-9a-f]{6}\]$/);
  assert.equal(statSync(join(dir, 'fingerprint.key')).mode & 0o777, 0o600);
  const mtime = statSync(join(dir, 'fingerprint.key')).mtimeMs;
  assert.equal(markerInFreshProcess(dir), first, 'a restart keeps the marker');
  assert.equal(statSync(join(dir, 'fingerprint.key')).mtimeMs, mtime, 'the key is not rewritten');
  assert.notEqual(markerInFreshProcess(other), first, 'another gateway (data dir) has another key');
  assert.equal(markerInFreshProcess(other, { KT_FINGERPRINT_KEY: 'shared' }), markerInFreshProcess(dir, { KT_FINGERPRINT_KEY: 'shared' }), 'KT_FINGERPRINT_KEY wins');
});

test('a data dir that cannot hold the key warns and still redacts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-fp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, 'x');
  const warnings: string[] = [];
  const { policies } = buildPolicies(CONFIG, { dataDir: join(file, 'data'), warn: (m) => warnings.push(m) });
  const prev = process.env.KT_FINGERPRINT_KEY;
  delete process.env.KT_FINGERPRINT_KEY;
  t.after(() => {
    if (prev !== undefined) process.env.KT_FINGERPRINT_KEY = prev;
  });
  const out = await policies[0]!.evaluate({ phase: 'input', segments: [{ path: ['t'], pointer: 't', role: 'user', text: 'mail jane.doe@acme-corp.org' }] }); // (marked edit: detection precision) example.org is reserved, not personal
  assert.match(out.edits![0]!.replacement, /^\[REDACTED:email:[0-9a-f]{6}\]$/);
  assert.match(warnings.join('\n'), /fingerprint\.key .*ENOTDIR.*change after a restart/);
});
