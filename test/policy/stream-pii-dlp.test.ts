/**
 * Personal data and organisation terms in streams: each detector's hold-back contract keeps a value that
 * is still arriving (`jane.do` + `e@acme-corp.org`, `Project` + ` Falcon`) until it resolves, so a split at
 * any offset streams exactly what the unsplit answer does, in every dialect. Real detectors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DialectName } from '../../src/dialects/types.js';
import { createPolicyHooks } from '../../src/policy/hooks.js';
import type { SseEvent } from '../../src/sse/parser.js';
import { makeExchange } from './exchange.js';
import { assembled, EVENTS } from './stream-fixtures.js';

const hooks = createPolicyHooks(
  {
    policies: { chain: ['pii-detector', 'dlp-filter'] },
    policy: { 'dlp-filter': { blocked_terms: ['Project Falcon', { term: 'BlueHarbor', name: 'codename' }], fuzzy_matching: true, max_distance: 1 } },
  },
  { fingerprintKey: Buffer.from('k') },
);

function stream(dialect: DialectName, pieces: string[], kind: 'text' | 'args' = 'text'): string {
  const g = hooks.streamGuard(makeExchange(dialect, {}))!;
  const out: SseEvent[] = [];
  for (const ev of EVENTS[dialect]!(pieces, kind)) out.push(...g.push(ev));
  out.push(...g.end());
  return assembled(dialect, out);
}

// (marked edit: detection precision) not example.org (RFC 2606) or 555-01xx (fictional): those are nobody's data now.
const TEXT = 'Mail jane.doe@acme-corp.org or call +1 415 734 0132 about Project Falcon (aka BlueHarbr) today.';
const EXPECTED = 'Mail [REDACTED:email] or call [REDACTED:phone] about [REDACTED:term-1] (aka [REDACTED:codename]) today.';
const VALUES = ['jane.doe@acme-corp.org', '415 734 0132', 'Project Falcon', 'BlueHarbr'];

for (const dialect of Object.keys(EVENTS) as DialectName[]) {
  for (const kind of ['text', 'args'] as const) {
    test(`${dialect} ${kind}: email, phone and a DLP term split at every offset are never partly streamed`, () => {
      assert.equal(stream(dialect, [TEXT], kind), EXPECTED);
      for (let i = 0; i <= TEXT.length; i++) {
        const out = stream(dialect, [TEXT.slice(0, i), TEXT.slice(i)], kind);
        assert.equal(out, EXPECTED, `split at ${i}`);
        for (const v of VALUES) assert.ok(!out.includes(v.slice(0, 4)) || EXPECTED.includes(v.slice(0, 4)), `split at ${i} leaked the start of ${v}`);
      }
      const perChar = stream(dialect, [...TEXT], kind);
      assert.equal(perChar, EXPECTED, 'one character per delta');
    });
  }
}

test('text that cannot become a match is not held: a word that starts no term passes with the next space', () => {
  const g = createPolicyHooks({ policies: { chain: ['dlp-filter'] }, policy: { 'dlp-filter': { blocked_terms: ['Project Falcon'] } } }).streamGuard(makeExchange('openai-chat', {}))!;
  const events = EVENTS['openai-chat']!(['The plan', ' is set. Project', ' Fal', 'con ships']);
  const seen = events.map((ev) => assembled('openai-chat', g.push(ev)));
  assert.deepEqual(seen, ['', 'The plan', ' is set. ', '', '[REDACTED:term-1] ships', '', '']);
  assert.equal(assembled('openai-chat', g.end()), '');
});
