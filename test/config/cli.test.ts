import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fixture, tempDir } from './helpers.js';

const KT = fileURLToPath(new URL('../../bin/kt.js', import.meta.url));

async function kt(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [KT, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Two invocations only: each real start costs seconds on a shared machine; behaviour is unit-tested.
describe('kt CLI (real bin)', () => {
  it('policy lint: exit 0 on a seed, 2 on a typo, repeatable --file merges', async (t) => {
    const ok = await kt(['policy', 'lint', '--file', fixture('seed-002.yaml')], { ANTHROPIC_API_KEY: 'x' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /pack: claude-code-gateway@1\.0\.0/);
    const dir = tempDir(t);
    const over = join(dir, 'over.yaml');
    writeFileSync(over, 'policy:\n  pii-detector:\n    actions: block\n');
    const bad = await kt(['policy', 'lint', '--json', '--file', fixture('seed-002.yaml'), '--file', over]);
    assert.equal(bad.code, 2);
    const j = JSON.parse(bad.stdout);
    assert.deepEqual(j.files, [fixture('seed-002.yaml'), over]);
    const e2 = j.diagnostics.find((d: { code: string }) => d.code === 'E002');
    assert.deepEqual([e2.file, e2.line, e2.col, e2.path], [over, 3, 5, 'policy.pii-detector.actions']);
  });
});
