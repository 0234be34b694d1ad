/**
 * Every credential rule, streamed: each rule's own true-positive examples, inside prose, split into two
 * deltas at every offset, in OpenAI chat, Responses and Anthropic streams. The client's folded text must
 * equal the unsplit stream's (same placeholders, nothing of the value before it), and no prefix of four
 * or more characters of a secret may reach the client beyond what the unsplit stream shows.
 * The real scanner runs; its results are memoised per window text, so the three dialects share the work.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SECRET_RULES } from '../../src/detect/secrets/rules/index.js';
import type { Detection, Detector } from '../../src/detect/types.js';
import type { DialectName } from '../../src/dialects/types.js';
import { defaultDetectors } from '../../src/policy/detectors.js';
import { createPolicyHooks } from '../../src/policy/hooks.js';
import type { SseEvent } from '../../src/sse/parser.js';
import { makeExchange } from './exchange.js';
import { assembled, EVENTS } from './stream-fixtures.js';

function memo(d: Detector): Detector {
  const seen = new Map<string, Detection[]>();
  return {
    id: d.id,
    scan(text, ctx) {
      const k = `${ctx?.role}\0${text}`;
      let r = seen.get(k);
      if (!r) {
        r = d.scan(text, ctx);
        if (seen.size > 50_000) seen.clear();
        seen.set(k, r);
      }
      return r;
    },
  };
}

const hooks = createPolicyHooks({ policies: { chain: ['code-sanitation'] } }, { fingerprintKey: Buffer.from('k'), detectors: { secrets: (o) => memo(defaultDetectors.secrets(o)) } });
const scanner = defaultDetectors.secrets({});

function stream(dialect: DialectName, pieces: string[]): string {
  const g = hooks.streamGuard(makeExchange(dialect, {}))!;
  const out: SseEvent[] = [];
  for (const ev of EVENTS[dialect]!(pieces)) out.push(...g.push(ev));
  out.push(...g.end());
  return assembled(dialect, out);
}

/** Length of the longest prefix of `v` that `s` contains (prefixes contained are monotone in length). */
function longestPrefixIn(s: string, v: string): number {
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s.includes(v.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const cases = SECRET_RULES.flatMap((r) => r.truePositives.map((tp) => ({ rule: r.id, text: `Here:\n${tp}\nDone.` })));

test('the rule pack has examples to stream', () => {
  assert.ok(SECRET_RULES.length >= 150);
  assert.ok(cases.length >= SECRET_RULES.length);
});

for (const dialect of Object.keys(EVENTS) as DialectName[]) {
  test(`${dialect}: every rule's examples split at every offset stream exactly like the unsplit answer`, () => {
    const failures: string[] = [];
    for (const c of cases) {
      const whole = stream(dialect, [c.text]);
      const values = scanner.scan(c.text, { role: 'assistant' }).map((d) => c.text.slice(d.start, d.end));
      assert.ok(values.length > 0, `${c.rule}: its example is not detected`);
      // The shortest prefix the client must never see: one longer than the unsplit answer shows, at least 4.
      const forbidden = values.flatMap((v) => {
        const n = Math.max(4, longestPrefixIn(whole, v) + 1);
        return n <= v.length ? [v.slice(0, n)] : [];
      });
      for (let i = 0; i <= c.text.length; i++) {
        const out = stream(dialect, [c.text.slice(0, i), c.text.slice(i)]);
        const leaked = forbidden.find((p) => out.includes(p));
        if (out !== whole || leaked) {
          failures.push(`${c.rule} split at ${i}: ${leaked ? `leaked ${leaked.length} chars; ` : ''}${JSON.stringify(out)} ≠ ${JSON.stringify(whole)}`);
          break;
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}
