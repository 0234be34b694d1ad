/** Every rule's own examples: the build fails if a rule misses its true positives or flags its false positives. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretScanner } from '../scanner.js';
import { SECRET_RULES } from './index.js';

describe('secret rule pack', () => {
  it('has unique ids, keywords in lower case, and at least 150 credential types', () => {
    const ids = SECRET_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.length >= 150, `only ${ids.length} rules`);
    for (const r of SECRET_RULES) {
      for (const k of r.keywords) assert.equal(k, k.toLowerCase(), `${r.id}: keyword ${k}`);
      assert.ok(r.truePositives.length > 0, `${r.id} has no true positives`);
      assert.ok(r.falsePositives.length > 0, `${r.id} has no false positives`);
      for (const fp of r.falsePositives) assert.ok(fp.why.length > 0, `${r.id}: false positive without a reason`);
    }
  });

  const full = createSecretScanner();
  for (const rule of SECRET_RULES) {
    describe(rule.id, () => {
      const alone = createSecretScanner({ rules: [rule] });
      rule.truePositives.forEach((text, i) => {
        it(`flags true positive #${i}`, () => {
          const found = alone.scan(text);
          assert.ok(found.length > 0, `${rule.id} missed its true positive #${i}`);
          assert.ok(found.every((d) => d.rule === rule.id && d.end > d.start));
          assert.ok(full.scan(text).length > 0, `the full pack dropped ${rule.id} #${i}`);
        });
      });
      rule.falsePositives.forEach((fp, i) => {
        it(`ignores false positive #${i} (${fp.why})`, () => {
          assert.deepEqual(alone.scan(fp.text), [], `${rule.id} flagged its false positive #${i}`);
        });
      });
    });
  }
});
