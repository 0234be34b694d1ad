/** Builds a complete Exchange for evidence tests that run without the gateway. */
import { performance } from 'node:perf_hooks';
import type { Exchange } from '../../src/gateway/exchange.js';
import { newEventId } from '../../src/audit/event.js';

export function makeExchange(over: Partial<Exchange> = {}): Exchange {
  const start = performance.now();
  return {
    id: newEventId(),
    requestId: 'req_' + Math.random().toString(36).slice(2),
    startedAt: Date.now(),
    t: { start, upstreamStart: start + 1, upstreamFirstByte: start + 5, upstreamEnd: start + 20, end: start + 22 },
    configVersion: 'cfg123',
    route: '/v1/chat/completions',
    dialect: 'openai-chat',
    method: 'POST',
    headers: {},
    client: 'curl',
    principal: { kind: 'anonymous' },
    rawBody: Buffer.from('{}'),
    body: {},
    bodyEdited: false,
    model: 'gpt-4o-mini',
    stream: false,
    attempts: 1,
    policyResults: [],
    verdict: 'allow',
    status: 200,
    outcome: 'served',
    ...over,
  };
}
