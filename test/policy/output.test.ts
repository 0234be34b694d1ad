import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPolicyHooks } from '../../src/policy/hooks.js';
import { OPENAI_KEY, tinyDetectors } from './fixtures.js';
import { makeExchange } from './exchange.js';

const hooks = (chain: string[], policy: Record<string, unknown> = {}) => createPolicyHooks({ policies: { chain }, policy }, { detectors: tinyDetectors });

test('buffered answers are redacted in place per dialect; block returns output_blocked', async () => {
  const h = hooks(['code-sanitation']);
  const ex = makeExchange('anthropic-messages', { model: 'claude-x' });
  const body = { content: [{ type: 'thinking', thinking: `t ${OPENAI_KEY}`, signature: 's' }, { type: 'text', text: `k=${OPENAI_KEY}` }], stop_reason: 'end_turn' };
  const r = await h.inspectResponse(ex, body);
  const out = r.body as typeof body;
  assert.equal(out.content[1].text, 'k=[REDACTED:openai-api-key]');
  assert.equal(out.content[0].thinking, `t ${OPENAI_KEY}`, 'signed thinking is never altered');
  assert.equal(ex.policyResults[0].phase, 'output');

  const hb = hooks(['code-sanitation'], { 'code-sanitation': { block_on_match: true } });
  const r2 = await hb.inspectResponse(makeExchange('openai-chat', {}), { choices: [{ message: { role: 'assistant', content: OPENAI_KEY } }] });
  assert.equal(r2.error?.code, 'KT_ERR_POLICY_BLOCKED');
  assert.equal(r2.error?.extra.reason, 'output_blocked');
});

test('no output policies → inspectResponse returns nothing to change', async () => {
  const h = hooks(['prompt-injection']);
  assert.deepEqual(await h.inspectResponse(makeExchange('openai-chat', {}), { choices: [{ message: { content: OPENAI_KEY } }] }), {});
});

test('pii marker formats: asterisk with preserve_length, partial', async () => {
  const body = { choices: [{ message: { role: 'assistant', content: 'write to jane.doe@example.org' } }] };
  const a = await hooks(['pii-detector'], { 'pii-detector': { redaction: { marker_format: 'asterisk', preserve_length: true } } }).inspectResponse(makeExchange('openai-chat', {}), body);
  assert.equal((a.body as typeof body).choices[0].message.content, 'write to ' + '*'.repeat('jane.doe@example.org'.length));
  const p = await hooks(['pii-detector'], { 'pii-detector': { redaction: { marker_format: 'partial' } } }).inspectResponse(makeExchange('openai-chat', {}), body);
  assert.equal((p.body as typeof body).choices[0].message.content, 'write to ********.org');
});

test('disclaimers append a notice in each dialect', async () => {
  const h = hooks(['disclaimers'], { disclaimers: { text: 'AI-generated; review before use.' } });
  const chat = await h.inspectResponse(makeExchange('openai-chat', {}), { choices: [{ message: { role: 'assistant', content: 'Hi' } }] });
  assert.equal((chat.body as any).choices[0].message.content, 'Hi\n\nAI-generated; review before use.');
  const msg = await h.inspectResponse(makeExchange('anthropic-messages', {}), { content: [{ type: 'text', text: 'Hi' }] });
  assert.deepEqual((msg.body as any).content[1], { type: 'text', text: 'AI-generated; review before use.' });
  const resp = await h.inspectResponse(makeExchange('openai-responses', {}), { output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hi' }] }] });
  assert.equal((resp.body as any).output[0].content[0].text, 'Hi\n\nAI-generated; review before use.');
  const only = hooks(['disclaimers'], { disclaimers: { text: 'n', models: ['gpt-*'] } });
  assert.deepEqual(await only.inspectResponse(makeExchange('openai-chat', {}, { model: 'claude-x' }), { choices: [{ message: { content: 'Hi' } }] }), {});
});

test('quality-scorer: empty, truncated, refusal, invalid JSON, unparsable tool arguments', async () => {
  const q = (policy: Record<string, unknown> = {}) => hooks(['quality-scorer'], { 'quality-scorer': policy });
  const score = async (req: unknown, res: unknown, policy?: Record<string, unknown>) => {
    const ex = makeExchange('openai-chat', req);
    const r = await q(policy).inspectResponse(ex, res);
    return { ex, r, result: ex.policyResults[0] };
  };
  const ok = await score({}, { choices: [{ message: { content: 'A fine answer.' }, finish_reason: 'stop' }] });
  assert.equal(ok.result.verdict, 'allow');
  assert.equal(ok.result.score, 1);
  assert.equal(ok.ex.quality, 1);

  const empty = await score({}, { choices: [{ message: { content: '' }, finish_reason: 'stop' }] });
  assert.equal(empty.result.verdict, 'flag');
  assert.equal(empty.result.score, 0);
  assert.equal(empty.result.findings[0].rule, 'quality.empty');

  const refusal = await score({}, { choices: [{ message: { content: "I'm sorry, but I can't help with that." }, finish_reason: 'stop' }] }, { on_fail: 'block' });
  assert.equal(refusal.r.error?.code, 'KT_ERR_POLICY_BLOCKED');

  const json = await score({ response_format: { type: 'json_object' } }, { choices: [{ message: { content: '{"a": 1' }, finish_reason: 'length' }] });
  assert.deepEqual(json.result.findings.map((f) => f.rule).sort(), ['quality.invalid_json', 'quality.truncated']);

  const args = await score({}, { choices: [{ message: { content: null, tool_calls: [{ function: { name: 'f', arguments: '{"x":' } }] }, finish_reason: 'tool_calls' }] });
  assert.deepEqual(args.result.findings.map((f) => f.rule), ['quality.tool_arguments']);
  assert.equal(args.result.findings[0].path, 'choices[0].message.tool_calls[0].function.arguments');
});

test('embeddings and count_tokens answers are not judged by output policies', async () => {
  const h = hooks(['quality-scorer', 'disclaimers'], { 'quality-scorer': { on_fail: 'block' }, disclaimers: { text: 'n' } });
  const ex = makeExchange('openai-embeddings', { input: 'x' });
  assert.deepEqual(await h.inspectResponse(ex, { data: [{ embedding: [0.1] }] }), {});
  assert.deepEqual(await h.inspectResponse(makeExchange('anthropic-count-tokens', {}), { input_tokens: 3 }), {});
  assert.equal(ex.policyResults.length, 0);
});
