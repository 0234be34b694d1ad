import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitError } from '../../src/cli/exit.js';
import { init, listTemplates } from '../../src/config/commands/init.js';
import { loadConfigFiles, templateText } from '../../src/config/index.js';
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
