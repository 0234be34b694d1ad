/**
 * Several gateways starting at once on one data dir must end up with one key: each is a separate Node
 * process racing to create the file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const MODULE = new URL('./key-file.ts', import.meta.url).href;

function keyFromFreshProcess(file: string): Promise<string> {
  const code = `const { readOrCreateKeyFile } = await import(${JSON.stringify(MODULE)});
    process.stdout.write(readOrCreateKeyFile(process.argv[1], (t) => t.trim()));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, file]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(err))));
  });
}

test('processes racing to create a key file all read the same key; file 0600, dir 0700', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'kt-keyfile-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = join(root, 'data', 'some.key');
  const keys = await Promise.all(Array.from({ length: 6 }, () => keyFromFreshProcess(file)));
  assert.match(keys[0]!, /^[0-9a-f]{64}$/);
  assert.deepEqual(new Set(keys), new Set([keys[0]]));
  assert.equal(readFileSync(file, 'utf8').trim(), keys[0]);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(root, 'data')).mode & 0o777, 0o700);
});

test('a parse error in an existing key file is the caller’s error, and the file is left alone', async (t) => {
  const { readOrCreateKeyFile } = await import('./key-file.js');
  const root = mkdtempSync(join(tmpdir(), 'kt-keyfile-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = join(root, 'k');
  readOrCreateKeyFile(file, (s) => s);
  const before = readFileSync(file, 'utf8');
  assert.throws(() => readOrCreateKeyFile(file, () => { throw new Error('not a key'); }), /not a key/);
  assert.equal(readFileSync(file, 'utf8'), before);
});
