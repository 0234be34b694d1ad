/**
 * `kt gateway run` as a user starts it: the embedded default serves on a loopback port, the start-up
 * log says how to point clients (and how to use a provider key found in the environment), SIGTERM
 * drains and exits 0; a non-loopback --listen without client auth and a bad flag exit 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kt.js', import.meta.url));

function kt(args: string[], env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kt-cli-test-'));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KT_DATA_DIR: dataDir, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
  return { child, exited };
}

describe('kt gateway run', () => {
  it('serves the embedded default, logs hints, and drains on SIGTERM', async (t) => {
    const { child, exited } = kt(['gateway', 'run', '--listen', '127.0.0.1:0'], { ANTHROPIC_API_KEY: 'sk-ant-present' });
    t.after(() => child.kill('SIGKILL'));
    const logs: { msg: string; listen?: string }[] = [];
    const lines = createInterface({ input: child.stdout });
    const listen = await new Promise<string>((resolve, reject) => {
      lines.on('line', (l) => {
        const rec = JSON.parse(l) as { msg: string; listen?: string };
        logs.push(rec);
        if (rec.listen) resolve(rec.listen);
      });
      child.once('exit', () => reject(new Error('gateway exited early')));
    });
    const res = await fetch(`${listen}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'demo', max_tokens: 200, messages: [{ role: 'user', content: 'hello from the cli test' }] }),
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /hello from the cli test/);
    child.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0);
    assert.ok(logs.some((l) => l.msg.includes('ANTHROPIC_BASE_URL=')));
    assert.ok(logs.some((l) => l.msg.startsWith('ANTHROPIC_API_KEY is set')));
    assert.ok(!logs.some((l) => JSON.stringify(l).includes('sk-ant-present')), 'the key itself is never logged');
    assert.ok(logs.some((l) => l.msg === 'stopped'));
  });

  it('refuses 0.0.0.0 without client auth, and a bad --fail-mode, with exit code 2', async () => {
    const a = await kt(['gateway', 'run', '--listen', '0.0.0.0:0']).exited;
    assert.equal(a.code, 2);
    assert.match(a.stderr, /non-loopback/);
    const b = await kt(['gateway', 'run', '--fail-mode', 'maybe']).exited;
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--fail-mode must be block or allow/);
  });
});

describe('kt piped into a reader that closed (`kt config schema | head -c 600`)', () => {
  it('stdout closed before the command writes: exits 0 without an EPIPE crash', async () => {
    const child = spawn(process.execPath, [BIN, 'config', 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the ~86 KB schema is written
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('stderr closed: a usage error keeps its exit code 2', async () => {
    const child = spawn(process.execPath, [BIN, 'gateway', 'run', '--fail-mode', 'maybe'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
  });
});
