import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { watchConfigFiles } from '../../src/config/index.js';
import { tempDir } from './helpers.js';

/** Resolves on the next onChange; rejects after `ms` so a missing event fails the test instead of hanging it. */
function nextChange(files: string[], t: { after(fn: () => void): void }, ms = 5000): { changed: Promise<void>; count: () => number } {
  let n = 0;
  let resolve!: () => void;
  const changed = new Promise<void>((r) => (resolve = r));
  const stop = watchConfigFiles(files, () => (n++, resolve()), { debounceMs: 30 });
  const timer = setTimeout(() => resolve(), ms);
  t.after(() => {
    stop();
    clearTimeout(timer);
  });
  return { changed, count: () => n };
}

describe('watchConfigFiles', () => {
  it('fires after an editor-style rename-on-save, and keeps firing for later saves', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'policy-config.yaml');
    writeFileSync(file, 'a: 1\n');
    const w = nextChange([file], t);
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(join(dir, '.policy-config.yaml.tmp'), 'a: 2\n');
    renameSync(join(dir, '.policy-config.yaml.tmp'), file);
    await w.changed;
    assert.equal(w.count(), 1);

    const w2 = nextChange([file], t);
    await new Promise((r) => setTimeout(r, 50));
    rmSync(file);
    writeFileSync(file, 'a: 3\n');
    await w2.changed;
    assert.ok(w2.count() >= 1);
  });

  it('debounces a burst of writes into one call and ignores other files in the directory', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'a: 1\n');
    let calls = 0;
    const stop = watchConfigFiles([file], () => calls++, { debounceMs: 100 });
    t.after(stop);
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(join(dir, 'other.yaml'), 'x\n');
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(calls, 0);
    for (let i = 0; i < 5; i++) writeFileSync(file, `a: ${i}\n`);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(calls, 1);
    writeFileSync(file, 'a: 4\n'); // same content: nothing to reload
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(calls, 1);
  });

  it('fires when a Kubernetes-style ..data symlink swap changes the file behind a stable name', async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'v1'));
    mkdirSync(join(dir, 'v2'));
    writeFileSync(join(dir, 'v1', 'c.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'v2', 'c.yaml'), 'a: 2\n');
    symlinkSync('v1', join(dir, '..data'));
    symlinkSync(join('..data', 'c.yaml'), join(dir, 'c.yaml'));
    const w = nextChange([join(dir, 'c.yaml')], t);
    await new Promise((r) => setTimeout(r, 50));
    symlinkSync('v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await w.changed;
    assert.equal(w.count(), 1);
  });

  it('stops calling after the returned function runs', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'a: 1\n');
    let calls = 0;
    const stop = watchConfigFiles([file], () => calls++, { debounceMs: 10 });
    stop();
    writeFileSync(file, 'a: 2\n');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(calls, 0);
  });
});
