/** A minimal Exchange for driving the policy hooks directly. */
import type { DialectName } from '../../src/dialects/types.js';
import type { Exchange } from '../../src/gateway/exchange.js';

export function makeExchange(dialect: DialectName, body: unknown, extra: Partial<Exchange> = {}): Exchange {
  const raw = Buffer.from(JSON.stringify(body));
  return {
    id: 'evt_test',
    requestId: 'req_test',
    startedAt: Date.now(),
    t: { start: 0 },
    configVersion: 'test',
    route: '/v1/test',
    dialect,
    method: 'POST',
    headers: {},
    client: 'test',
    principal: { kind: 'anonymous' },
    rawBody: raw,
    body,
    bodyEdited: false,
    stream: false,
    attempts: 0,
    policyResults: [],
    verdict: 'allow',
    ...extra,
  };
}
