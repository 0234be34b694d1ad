import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { configSchemaCommand } from '../../src/config/commands/config-schema.js';
import { configJsonSchema, DIAGNOSTIC_CODES, POLICY_SCHEMAS, templateText } from '../../src/config/index.js';
import { capture, fixture, tempDir } from './helpers.js';

function validator() {
  const ajv = new Ajv.default({ strict: true, allErrors: true });
  return ajv.compile(configJsonSchema());
}

describe('JSON Schema export', () => {
  it('is a valid draft-07 schema (strict ajv) that accepts the seeds and the default template', () => {
    const validate = validator();
    for (const text of [readFileSync(fixture('seed-002.yaml'), 'utf8'), readFileSync(fixture('seed-004.yaml'), 'utf8'), templateText('default')])
      assert.equal(validate(parse(text)), true, JSON.stringify(validate.errors));
  });

  it('rejects unknown keys and bad enum values like the loader does', () => {
    const validate = validator();
    const seed = parse(readFileSync(fixture('seed-004.yaml'), 'utf8'));
    assert.equal(validate({ ...seed, extra: 1 }), false);
    seed.policy['pii-detector'].redaction.marker_format = 'stars';
    assert.equal(validate(seed), false);
  });

  it('carries descriptions for editor hover', () => {
    const s = configJsonSchema() as any;
    assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.ok(s.description);
    assert.ok(s.properties.pack.description);
    assert.ok(s.properties.policies.properties.chain.description);
    assert.match(JSON.stringify(s.properties.policy), /marker_format/);
    assert.deepEqual(s.properties.pack.required.sort(), ['enabled', 'name', 'version']);
  });

  it('kt config schema writes the schema to --output or stdout', async (t) => {
    const out = capture();
    await configSchemaCommand({ stdout: out });
    assert.deepEqual(JSON.parse(out.text()), configJsonSchema());
    const file = join(tempDir(t), 's.json');
    await configSchemaCommand({ output: file, stdout: capture() });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), configJsonSchema());
  });

  it('docs/CONFIG.md documents every diagnostic code', () => {
    const doc = readFileSync(new URL('../../docs/CONFIG.md', import.meta.url), 'utf8');
    for (const code of Object.keys(DIAGNOSTIC_CODES)) assert.match(doc, new RegExp(`\\| ${code} \\|`), `${code} missing from docs/CONFIG.md`);
  });

  it('docs/CONFIG.md documents every key of every policy kind', () => {
    const doc = readFileSync(new URL('../../docs/CONFIG.md', import.meta.url), 'utf8');
    for (const [kind, schema] of Object.entries(POLICY_SCHEMAS)) {
      assert.match(doc, new RegExp(`### \`${kind}\``), `${kind} has no section`);
      for (const key of Object.keys(schema.shape)) assert.ok(doc.includes(`\`${key}`), `policy.${kind}.${key} missing from docs/CONFIG.md`);
    }
  });
});
