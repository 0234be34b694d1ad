/**
 * Which dialect governs a request decrypted by the forward proxy, from its host and path. Beyond the
 * gateway's own routes (`/v1/chat/completions`, `/chat/completions` on api.githubcopilot.com, …) the
 * providers' other shapes of the same wire formats are recognised on any intercepted host:
 *
 *   Azure OpenAI   /openai/deployments/{deployment}/{route}?api-version=…   (model = the deployment)
 *                  /openai/v1/{route}
 *   Gemini         /v1beta/openai/{route}   (and /v1/openai/{route})        OpenAI-compatible endpoint
 *   Copilot        /v1/engines/{engine}/completions (copilot-proxy.githubusercontent.com; legacy
 *                  completions, model = the engine)
 *
 * with {route} one of chat/completions, completions, embeddings, responses. Anything else with a JSON
 * body is "unknown" and follows `proxy.unknown_paths`: `scan` (the generic-json dialect: every input
 * string scanned and redacted, the answer relayed unscanned), `passthrough`, or `deny`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isObject, type Dialect } from '../dialects/dialect.js';
import { genericJson } from '../dialects/generic-json/dialect.js';
import { dialectForPath } from '../dialects/registry.js';
import { openaiChat } from '../dialects/openai-chat/dialect.js';
import { openaiCompletions } from '../dialects/openai-completions/dialect.js';
import { openaiEmbeddings } from '../dialects/openai-embeddings/dialect.js';
import { openaiResponses } from '../dialects/openai-responses/dialect.js';

export type UnknownPaths = 'scan' | 'passthrough' | 'deny';

export type ProxyRoute =
  /** Governed: run `dialect` over the request (the path and query still go upstream as sent). */
  | { kind: 'api'; dialect: Dialect; route: string }
  /** Relayed as is (a decision event is still recorded). */
  | { kind: 'pass' }
  /** Refused (`proxy.unknown_paths: deny`). */
  | { kind: 'deny'; message: string };

const ROUTES: Record<string, Dialect> = {
  'chat/completions': openaiChat,
  completions: openaiCompletions,
  embeddings: openaiEmbeddings,
  responses: openaiResponses,
};
const AZURE_DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings|responses)\/?$/;
const COMPAT_PREFIX = /^\/(?:openai\/v1|v1beta\/openai|v1\/openai)\/(chat\/completions|completions|embeddings|responses)\/?$/;
const ENGINE = /^(?:\/v1)?\/engines\/([^/]+)\/completions\/?$/;

/** The dialect with `model` defaulting to a name the path carries (Azure deployment, Copilot engine). */
function withPathModel(d: Dialect, model: string): Dialect {
  const fill = (b: unknown) => (isObject(b) && (b.model === undefined || b.model === null) ? { ...b, model } : b);
  return { ...d, validate: (b) => d.validate(fill(b)), model: (b) => d.model(b) ?? model };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The dialect for a POST on an intercepted host, or undefined when no known shape matches. */
export function knownDialect(path: string): { dialect: Dialect; route: string } | undefined {
  const d = dialectForPath(path);
  if (d) return { dialect: d, route: path };
  let m = AZURE_DEPLOYMENT.exec(path);
  if (m) return { dialect: withPathModel(ROUTES[m[2]], decode(m[1])), route: `/openai/deployments/{deployment}/${m[2]}` };
  m = COMPAT_PREFIX.exec(path);
  if (m) return { dialect: ROUTES[m[1]], route: path.replace(/\/$/, '') };
  m = ENGINE.exec(path);
  if (m) return { dialect: withPathModel(openaiCompletions, decode(m[1])), route: '/v1/engines/{engine}/completions' };
  return undefined;
}

const SCANNED_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const isJson = (h: IncomingHttpHeaders) => /\bjson\b/i.test(String(h['content-type'] ?? ''));
const hasBody = (h: IncomingHttpHeaders) => (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined;

/** A path no dialect knows that streams (Gemini `:streamGenerateContent`, JetBrains `…/stream/…`). */
function genericFor(path: string): Dialect {
  if (!/stream/i.test(path)) return genericJson;
  return { ...genericJson, stream: () => true };
}

/**
 * How the proxy handles one decrypted request. GET/HEAD/DELETE without a body (`/v1/models`, account
 * pages) always pass through; POSTs on known shapes are governed; other requests with a body follow
 * `unknownPaths` (`scan` governs JSON POST / PUT / PATCH bodies; other bodies — protobuf, forms — and
 * other methods pass through).
 */
export function proxyRoute(method: string, path: string, headers: IncomingHttpHeaders, unknownPaths: UnknownPaths): ProxyRoute {
  if (method === 'POST') {
    const known = knownDialect(path);
    if (known) return { kind: 'api', ...known };
  }
  if (!hasBody(headers) || unknownPaths === 'passthrough') return { kind: 'pass' };
  if (unknownPaths === 'deny') {
    return { kind: 'deny', message: `kt does not know the API at ${method} ${path} on this host, and proxy.unknown_paths is deny, so it was not forwarded.` };
  }
  // The path names the route in events; cap it so an odd client cannot bloat them.
  if (SCANNED_METHODS.has(method) && isJson(headers)) return { kind: 'api', dialect: genericFor(path), route: path.slice(0, 200) };
  return { kind: 'pass' };
}
