/** Creates the Exchange for one request: ids, timing marks, the client detected from its User-Agent. */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Dialect } from '../dialects/dialect.js';
import type { Exchange } from './exchange.js';

const CLIENTS: [RegExp, string][] = [
  [/^claude-cli\//i, 'claude-cli'],
  [/^codex/i, 'codex'],
  [/qwencode/i, 'qwen'],
  [/^opencode\//i, 'opencode'],
  [/^kilo-code\//i, 'kilo'],
  [/^ai-sdk\//i, 'cline'],
  [/continue/i, 'continue'],
  [/geminicli/i, 'gemini-cli'],
  [/^(OpenAI|Anthropic)\/JS/i, 'sdk'],
  [/^curl\//i, 'curl'],
];

export function detectClient(ua: string | undefined): string {
  if (!ua) return 'unknown';
  for (const [re, name] of CLIENTS) if (re.test(ua)) return name;
  return 'other';
}

// Ids come from the CSPRNG in 4 KiB batches: one randomBytes call per ~340 ids instead of one per id
// (a sync getrandom + buffer per call was a measurable part of a request's CPU).
const BATCH = 4096;
let pool = Buffer.alloc(0);
let offset = BATCH;

/** `n` random bytes as hex, from the batched CSPRNG output. */
export function randomHex(n: number): string {
  if (offset + n > pool.length) {
    pool = randomBytes(BATCH);
    offset = 0;
  }
  const out = pool.toString('hex', offset, offset + n);
  offset += n;
  return out;
}

const SANE_ID = /^[\w.:-]{1,128}$/;

/** Accept a client's request id when it is a sane token; otherwise make one. */
export function newRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && SANE_ID.test(given)) return given;
  return `req_${randomHex(12)}`;
}

/** `requestId`: the one the listener already put on the response, so a request has a single id. */
export function newExchange(req: IncomingMessage, route: string, d: Dialect, configVersion: string, start: number, requestId?: string): Exchange {
  const ua = req.headers['user-agent'];
  const conv = req.headers['x-conversation-id'] ?? req.headers['x-claude-code-session-id'] ?? req.headers['session-id'];
  const tp = req.headers.traceparent;
  return {
    id: `evt_${randomHex(12)}`,
    requestId: requestId ?? newRequestId(req),
    traceparent: typeof tp === 'string' ? tp : undefined,
    conversationId: typeof conv === 'string' ? conv : undefined,
    startedAt: Date.now(),
    t: { start },
    configVersion,
    route,
    dialect: d.name,
    method: req.method ?? 'POST',
    headers: req.headers,
    remoteAddress: req.socket?.remoteAddress, // evidence (marked edit): auth mode none admits loopback only
    client: detectClient(ua),
    userAgent: ua,
    principal: { kind: 'anonymous' },
    rawBody: Buffer.alloc(0),
    body: undefined,
    bodyEdited: false,
    stream: false,
    attempts: 0,
    policyResults: [],
    verdict: 'allow',
  };
}
