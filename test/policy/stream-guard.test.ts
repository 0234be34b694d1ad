import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DialectName } from '../../src/dialects/types.js';
import { createPolicyHooks } from '../../src/policy/hooks.js';
import { createSseParser, type SseEvent } from '../../src/sse/parser.js';
import { formatSse } from '../../src/sse/writer.js';
import { AWS_KEY, OPENAI_KEY, tinyDetectors } from './fixtures.js';
import { makeExchange } from './exchange.js';
import { assembled, EVENTS } from './stream-fixtures.js';

const KEY = Buffer.from('k');
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----';
const TEXT = `Use ${OPENAI_KEY} here, AWS ${AWS_KEY}; key:\n${PEM}\nskip task ask.`;
const EXPECTED = 'Use [REDACTED:openai-api-key] here, AWS [REDACTED:aws-access-key]; key:\n[REDACTED:private-key]\nskip task ask.';
const SECRETS = [OPENAI_KEY, AWS_KEY, 'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu'];

function guardFor(dialect: DialectName, policy: Record<string, unknown> = {}, chain = ['code-sanitation']) {
  const h = createPolicyHooks({ policies: { chain }, policy }, { detectors: tinyDetectors, fingerprintKey: KEY });
  const ex = makeExchange(dialect, { model: 'm', stream: true });
  const g = h.streamGuard(ex);
  assert.ok(g);
  return { g, ex };
}

function run(dialect: DialectName, events: SseEvent[], policy?: Record<string, unknown>) {
  const { g, ex } = guardFor(dialect, policy);
  const out: SseEvent[] = [];
  for (const ev of events) out.push(...g.push(ev));
  out.push(...g.end());
  return { out, ex, g };
}

function assertNoSecret(out: SseEvent[]) {
  const all = out.map((e) => e.data).join('\n');
  for (const s of SECRETS) assert.ok(!all.includes(s), 'a secret reached the client');
}

for (const dialect of Object.keys(EVENTS) as DialectName[]) {
  for (const kind of ['text', 'args'] as const) {
    test(`${dialect} ${kind}: a secret split at every offset between two deltas is never emitted`, () => {
      const make = EVENTS[dialect]!;
      for (let i = 0; i <= TEXT.length; i++) {
        const { out } = run(dialect, make([TEXT.slice(0, i), TEXT.slice(i)], kind));
        assertNoSecret(out);
        assert.equal(assembled(dialect, out), EXPECTED, `split at ${i}`);
      }
    });
    test(`${dialect} ${kind}: one character per delta, and three-way splits inside a key`, () => {
      const make = EVENTS[dialect]!;
      const { out, ex } = run(dialect, make([...TEXT], kind));
      assertNoSecret(out);
      assert.equal(assembled(dialect, out), EXPECTED);
      const r = ex.policyResults.find((x) => x.policy === 'code-sanitation')!;
      assert.equal(r.phase, 'output');
      assert.equal(r.verdict, 'redact');
      assert.deepEqual(r.findings.map((f) => f.rule).sort(), ['aws-access-key', 'openai-api-key', 'private-key']);
      const at = TEXT.indexOf(AWS_KEY);
      for (let a = at; a < at + AWS_KEY.length; a += 3) {
        const { out: o } = run(dialect, make([TEXT.slice(0, a), TEXT.slice(a, a + 5), TEXT.slice(a + 5)], kind));
        assertNoSecret(o);
        assert.equal(assembled(dialect, o), EXPECTED);
      }
    });
  }
}

test('responses: done events and the final response carry the same redacted text; reasoning untouched', () => {
  const { out } = run('openai-responses', EVENTS['openai-responses']!([TEXT.slice(0, 10), TEXT.slice(10)]));
  const done = out.map((e) => JSON.parse(e.data)).filter((d) => d.type === 'response.output_text.done')[0];
  assert.equal(done.text, EXPECTED);
  const completed = out.map((e) => JSON.parse(e.data)).find((d) => d.type === 'response.completed');
  assert.equal(completed.response.output[1].content[0].text, EXPECTED);
  assert.equal(completed.response.output[0].encrypted_content, 'gAAAAsk-notakey');
});

test('anthropic: thinking and signature deltas pass byte-identical', () => {
  const events = EVENTS['anthropic-messages']!([TEXT]);
  const { out } = run('anthropic-messages', events);
  const thinking = events.filter((e) => e.data.includes('thinking_delta') || e.data.includes('signature_delta'));
  for (const t of thinking) assert.ok(out.includes(t));
});

test('the event sequence is unchanged when nothing is found (text ending at a space or newline passes at once)', () => {
  for (const dialect of Object.keys(EVENTS) as DialectName[]) {
    const events = EVENTS[dialect]!(['Hello ', 'world, ', 'all good.\n']);
    const { g } = guardFor(dialect);
    const out: SseEvent[] = [];
    for (const ev of events) {
      const emitted = g.push(ev);
      out.push(...emitted);
      if (ev.data.includes('Hello ')) assert.equal(emitted.length, 1, 'no hold-back for plain words');
    }
    out.push(...g.end());
    assert.deepEqual(out, events);
  }
});

test('a word still being streamed is held only until the next delta ends it', () => {
  const { g } = guardFor('openai-chat');
  const text = (ev: SseEvent[]) => assembled('openai-chat', ev);
  const events = EVENTS['openai-chat']!(['The answ', 'er is ', 'here.']);
  assert.equal(text(g.push(events[0]!)), '');
  assert.equal(text(g.push(events[1]!)), 'The ', 'the partial word "answ" waits');
  assert.equal(text(g.push(events[2]!)), 'answer is ', 'a space releases everything before it');
  assert.equal(text(g.push(events[3]!)), '');
  assert.equal(text(g.push(events[4]!)), 'here.', 'the end of the message releases the rest');
});

test('the raw SSE bytes split at every byte offset give the same redacted output', () => {
  const events = EVENTS['openai-chat']!([TEXT.slice(0, 7), TEXT.slice(7, 30), TEXT.slice(30)]);
  const raw = events.map(formatSse).join('');
  for (let i = 0; i <= raw.length; i += 1) {
    const { g } = guardFor('openai-chat');
    const out: SseEvent[] = [];
    const p = createSseParser({ onEvent: (ev) => out.push(...g.push(ev)) });
    p.feed(raw.slice(0, i));
    p.feed(raw.slice(i));
    p.end();
    out.push(...g.end());
    assertNoSecret(out);
    assert.equal(assembled('openai-chat', out), EXPECTED);
  }
});

test('block_on_match ends the stream with a refusal and sends nothing of the secret', () => {
  for (const dialect of Object.keys(EVENTS) as DialectName[]) {
    const { g, ex } = guardFor(dialect, { 'code-sanitation': { block_on_match: true } });
    const out: SseEvent[] = [];
    for (const ev of EVENTS[dialect]!(['Sure: ', OPENAI_KEY.slice(0, 9), OPENAI_KEY.slice(9) + ' ok', ' more'])) {
      out.push(...g.push(ev));
      if (g.refusal) break;
    }
    assert.equal(g.refusal?.code, 'KT_ERR_POLICY_BLOCKED');
    assert.equal(g.refusal?.extra.reason, 'output_blocked');
    assert.ok(!g.refusal!.message.includes(OPENAI_KEY));
    assertNoSecret(out);
    assert.equal(ex.verdict, 'block');
  }
});

test('no output policy → no guard (zero overhead); disclaimers alone → a guard that adds the notice', () => {
  const h = createPolicyHooks({ policies: { chain: ['prompt-injection'] } }, { detectors: tinyDetectors });
  assert.equal(h.streamGuard(makeExchange('openai-chat', {})), undefined);
  const d = createPolicyHooks({ policies: { chain: ['disclaimers'] }, policy: { disclaimers: { text: 'AI-generated.' } } }, { detectors: tinyDetectors });
  for (const dialect of ['openai-chat', 'anthropic-messages'] as const) {
    const g = d.streamGuard(makeExchange(dialect, {}))!;
    const out: SseEvent[] = [];
    for (const ev of EVENTS[dialect]!(['Hi.'])) out.push(...g.push(ev));
    out.push(...g.end());
    // Chat continues the answer's text after a blank line; Anthropic adds a block of its own.
    assert.equal(assembled(dialect, out), dialect === 'openai-chat' ? 'Hi.\n\nAI-generated.' : 'Hi.AI-generated.');
  }
});

test('quality-scorer scores a streamed answer when it ends (recorded, never enforced)', () => {
  const h = createPolicyHooks({ policies: { chain: ['quality-scorer'] }, policy: { 'quality-scorer': { on_fail: 'block' } } }, { detectors: tinyDetectors });
  const score = (dialect: DialectName, pieces: string[], kind: 'text' | 'args' = 'text') => {
    const ex = makeExchange(dialect, {});
    const g = h.streamGuard(ex)!;
    const out: SseEvent[] = [];
    for (const ev of EVENTS[dialect]!(pieces, kind)) out.push(...g.push(ev));
    out.push(...g.end());
    return { ex, out };
  };
  const good = score('openai-chat', ['A fine ', 'answer.']);
  assert.equal(good.ex.quality, 1);
  const bad = score('anthropic-messages', ['{"cmd": '], 'args');
  const r = bad.ex.policyResults.find((x) => x.policy === 'quality-scorer')!;
  assert.equal(r.verdict, 'flag');
  assert.match(r.reason!, /would have applied block/);
  assert.deepEqual(r.findings.map((f) => f.rule), ['quality.tool_arguments']);
  assert.equal(bad.ex.quality, 0.2);
});
