/** 1 MB adversarial inputs finish through every policy of a full chain with the real detectors (bounded, no fail-mode). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPolicyHooks } from '../../src/policy/hooks.js';
import { makeExchange } from './exchange.js';

const MB = 1024 * 1024;
const INPUTS: Record<string, string> = {
  'long run': 'a'.repeat(MB),
  'assignment bait': 'password='.repeat(MB / 9),
  'base64 blob': Buffer.alloc(MB * 0.75, 7).toString('base64'),
  'open PEM': '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(MB),
  'prefix bait': 'sk-'.repeat(MB / 3),
  'digits and @': '1@'.repeat(MB / 2),
};

test('1 MB adversarial inputs complete through every policy without a policy failure', async () => {
  const hooks = createPolicyHooks(
    {
      policies: { chain: ['code-sanitation', 'pii-detector', 'prompt-injection', 'dlp-filter', 'safety-filter'] },
      policy: { 'dlp-filter': { blocked_terms: ['project falcon'], detect_patterns: ['(a+)+b'], fuzzy_matching: true } },
    },
    { timeBudgetMs: 120_000 },
  );
  for (const [name, text] of Object.entries(INPUTS)) {
    const ex = makeExchange('openai-chat', { model: 'm', messages: [{ role: 'user', content: text }, { role: 'tool', tool_call_id: 'c', content: text }] });
    await hooks.inspectRequest(ex);
    for (const r of ex.policyResults) assert.equal(r.error, undefined, `${name}: ${r.policy} failed`);
    assert.ok(ex.policyResults.length >= 2, name);
  }
});
