/**
 * The Exchange: everything about one request, from arrival to the decision event. Stages read it;
 * the pipeline and the policy engine write it. Types only, plus the usage shape shared with cost.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DialectName, TargetFormat } from '../dialects/types.js';
import type { PolicyResult, Verdict } from '../policy/types.js';

/** Token usage as reported by the provider. `null` means unknown — never guess 0. */
export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** Of cacheWriteTokens, those written to Anthropic's 1-hour cache (priced higher). (marked edit: evidence) */
  cacheWrite1hTokens?: number | null;
}

/** Who is calling. Filled by identity; what an access key says wins over headers. */
export interface Principal {
  /** 'anonymous' (loopback, no auth), 'key' (kt_ access key), 'passthrough' (client brought a provider key). */
  kind: 'anonymous' | 'key' | 'passthrough';
  keyId?: string;
  keyName?: string;
  keyTags?: string[];
  userId?: string;
  teamId?: string;
  projectId?: string;
  agentId?: string;
  roles?: string[];
}

export interface TargetRef {
  id: string;
  provider: string;
  format: TargetFormat;
  /** Model name sent upstream. */
  model: string;
}

export interface Exchange {
  /** Event id (`evt_…`). */
  id: string;
  /** x-request-id from the client, or generated. */
  requestId: string;
  traceparent?: string;
  conversationId?: string;
  startedAt: number; // epoch ms
  /** performance.now() marks for overhead vs upstream latency. */
  t: { start: number; upstreamStart?: number; upstreamFirstByte?: number; upstreamEnd?: number; end?: number };
  configVersion: string;
  route: string; // normalised path, e.g. /v1/messages
  dialect: DialectName;
  method: string;
  headers: IncomingHttpHeaders;
  /** Client detected from User-Agent: claude-cli, codex, qwen, opencode, kilo, cline, continue, sdk … */
  client: string;
  userAgent?: string;
  principal: Principal;
  /** Scope (class of traffic) that applied, and why. */
  scope?: { name: string; reason: string; mode?: 'flag' | 'enforce' };
  /** A scope's route prefix the request arrived under (e.g. `/assistants`), stripped before routing. */
  routePrefix?: string;
  /** Peer address of the client socket (`req.socket.remoteAddress`); auth mode `none` admits loopback only. */
  remoteAddress?: string;
  /** True when the client arrived through the forward proxy (CONNECT / absolute-form). */
  viaProxy?: boolean;
  /** A kt access key given in `Proxy-Authorization` (forward proxy); identify checks it before the headers. */
  proxyCredential?: string;
  /** (marked edit: proxy) Passthrough / CONNECT events: the host (and port) reached, bytes each way when counted. */
  proxyConn?: { host: string; bytesUp?: number; bytesDown?: number };

  rawBody: Buffer;
  body: unknown;
  /** Set when a policy edited `body`; otherwise the original bytes go upstream. */
  bodyEdited: boolean;
  model?: string;
  stream: boolean;

  target?: TargetRef;
  /** The planned targets in dispatch order, known before admit so the budget hold prices what will really be called. (marked edit: evidence) */
  candidates?: TargetRef[];
  attempts: number;
  policyResults: PolicyResult[];
  verdict: Verdict;
  reasonCode?: string;
  /** HTTP status sent to the client. */
  status?: number;
  /** Error code (KT_ERR_* or upstream) when not served. */
  errorCode?: string;
  /** `served`, `blocked`, `refused`, `upstream_error`, `client_closed`. */
  outcome?: string;
  usage?: Usage;
  /** The dialect `usage` was read in (the upstream's when translated): whose token semantics cost follows. */
  usageDialect?: DialectName;
  costUsd?: number | null;
  /** Budget reservation handle, settled after the response. */
  reservation?: unknown;
  cacheHit?: boolean;
  quality?: number;
}
