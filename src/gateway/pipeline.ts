/**
 * The governed path of one API request:
 *
 *   read body → parse + validate (client dialect) → identify → admit → inspectRequest
 *     → plan targets → dispatch (translate per target when needed, retries, fallback)
 *     → relay (buffered: inspectResponse | streamed: raw or through translator + stream guard)
 *     → settle → record
 *
 * Every exit writes one answer in the client's dialect and reaches `finish` (just before the answer's
 * last write, or when the client went away), which settles and records.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dialect } from '../dialects/dialect.js';
import { dialect as dialectByName } from '../dialects/registry.js';
import { GatewayError } from '../errors.js';
import { upstreamHeaders } from '../providers/upstream-headers.js';
import { directTarget } from '../providers/direct-target.js';
import type { ResolvedTarget } from '../providers/types.js';
import { Cancel } from '../routing/cancel.js';
import { dispatch, type UpstreamCall } from '../routing/dispatch.js';
import { planTargets } from '../routing/select.js';
import type { Translator } from '../translate/types.js';
import { readBody } from './body.js';
import type { GatewayContext, RequestContext } from './context.js';
import type { Exchange } from './exchange.js';
import { newExchange } from './exchange-factory.js';
import { relayBuffered, relayStream, type Prepared } from './relay.js';
import { sendError } from './reply.js';
import type { Runtime } from './runtime.js';
import { injectsStreamUsage, withStreamUsage } from './stream-usage.js';
import { findTranslator, noTranslatorMessage } from './translators.js';


/** `pathAndQuery`: the request target in origin form (the proxy's absolute-form URLs already reduced). */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  gw: GatewayContext,
  d: Dialect,
  route: string,
  query: string,
  rc: RequestContext = {},
  pathAndQuery = req.url ?? route,
): Promise<void> {
  const rt = gw.current();
  // The listener already put an id on the response; the exchange keeps that one.
  const given = res.getHeader('x-request-id');
  const ex = newExchange(req, route, d, rt.loaded.version, performance.now(), typeof given === 'string' ? given : undefined);
  ex.viaProxy = rc.viaProxy ? true : undefined;
  ex.proxyCredential = rc.proxyCredential; // proxy (marked edit): Proxy-Authorization key → identity
  ex.routePrefix = rc.routePrefix; // scopes (marked edit)
  if (given !== ex.requestId) res.setHeader('x-request-id', ex.requestId);
  gw.stats.requests++;
  gw.stats.inFlight++;
  const ac = new Cancel();
  // The decision event is journaled before the last byte leaves: once a client holds a complete
  // answer, a kill -9 cannot lose its event. Every answer ends through res.end, whichever path wrote it.
  let finished = false;
  const complete = () => {
    if (finished) return;
    finished = true;
    gw.stats.inFlight--;
    finish(gw, rt, ex, res);
  };
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: Parameters<ServerResponse['end']>) {
    complete();
    return end.apply(this, args);
  } as ServerResponse['end'];
  res.on('close', () => {
    if (!res.writableFinished) {
      ex.outcome ??= 'client_closed';
      ac.abort();
    }
  });
  try {
    const err = await governedPath(req, res, gw, rt, d, ex, query, rc, ac, pathAndQuery);
    if (err) fail(res, d, ex, err);
  } catch (e) {
    if (e instanceof GatewayError) fail(res, d, ex, e);
    else if (ac.aborted || req.destroyed) ex.outcome = 'client_closed';
    else {
      gw.logger.error({ err: e, request_id: ex.requestId }, 'request failed');
      fail(res, d, ex, new GatewayError('KT_ERR_UPSTREAM_UNREACHABLE', 'The gateway failed while handling this request; see the gateway log for the request id.'));
    }
  } finally {
    complete();
  }
}

function fail(res: ServerResponse, d: Dialect, ex: Exchange, err: GatewayError): void {
  ex.errorCode = err.code;
  ex.status = err.status;
  // The rest of an oversized body is not read: close the connection instead of draining it.
  if (err.code === 'KT_ERR_BODY_TOO_LARGE' && !res.headersSent) res.setHeader('connection', 'close');
  ex.outcome ??= err.type === 'policy_violation' ? 'blocked' : err.type === 'upstream_error' ? 'upstream_error' : 'refused';
  sendError(res, d, err, ex.requestId);
}

/** Runs a request-side hook; a thrown error (a bug in a policy or store) follows --fail-mode. */
async function guarded(rt: Runtime, gw: GatewayContext, ex: Exchange, name: 'identify' | 'admit' | 'inspectRequest'): Promise<GatewayError | undefined> {
  try {
    return await rt.hooks[name](ex);
  } catch (err) {
    gw.logger.error({ err, hook: name, request_id: ex.requestId }, 'hook failed');
    if (rt.settings.failMode === 'allow') return undefined;
    return new GatewayError('KT_ERR_POLICY_FAILED', `The gateway's ${name} step failed and fail-mode is block, so the request was not sent. Check the gateway log for request ${ex.requestId}.`);
  }
}

async function governedPath(
  req: IncomingMessage,
  res: ServerResponse,
  gw: GatewayContext,
  rt: Runtime,
  d: Dialect,
  ex: Exchange,
  query: string,
  rc: RequestContext,
  ac: Cancel,
  pathAndQuery: string,
): Promise<GatewayError | undefined> {
  ex.rawBody = await readBody(req, rt.settings.maxBodyBytes);
  try {
    ex.body = JSON.parse(ex.rawBody.toString('utf8'));
  } catch (e) {
    // V8's message quotes part of the body, which may hold a secret: keep only the position.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    return new GatewayError('KT_ERR_INVALID_JSON', `The request body is not valid JSON${at ? ` (syntax error at character ${at})` : ''}. Send a JSON object with content-type application/json.`);
  }
  const bad = d.validate(ex.body);
  if (bad) return new GatewayError('KT_ERR_INVALID_REQUEST', `Invalid ${d.name} request: ${bad}.`);
  ex.model = d.model(ex.body);
  ex.stream = d.stream(ex.body);

  // (marked edit: evidence) targets are planned before admit, so the budget hold prices what will really be called
  const plan = rc.viaProxy ? [directTarget(rc.viaProxy)] : planTargets(rt.targets, ex.model, rt.settings.strategy, gw.random);
  ex.candidates = plan.map((t) => ({ id: t.id, provider: t.provider, format: t.format, model: t.model ?? ex.model ?? '' }));
  const refused = (await guarded(rt, gw, ex, 'identify')) ?? (await guarded(rt, gw, ex, 'admit')) ?? (await guarded(rt, gw, ex, 'inspectRequest'));
  if (refused) return refused;

  if (plan.length === 0) return noTarget(rt, ex);

  ex.t.upstreamStart = performance.now();
  const answer = await dispatch<Prepared>({
    plan,
    prepare: (t) => prepare(gw, ex, d, t, query, rc, pathAndQuery),
    pools: gw.pools,
    breakers: gw.breakers,
    retry: rt.settings.retry,
    signal: ac,
    onAttempt: (t, n) => {
      ex.attempts = n;
      ex.target = { id: t.id, provider: t.provider, format: t.format, model: t.model ?? ex.model ?? '' };
    },
  });
  if (answer instanceof GatewayError) return answer;
  ex.t.upstreamFirstByte = performance.now();
  ex.status = answer.statusCode;
  if (answer.rest) await relayStream(res, ex, d, rt.hooks, answer, ac, gw.logger);
  else await relayBuffered(res, ex, d, rt.hooks, answer, rt.settings.failMode, gw.logger);
  return undefined;
}

function noTarget(rt: Runtime, ex: Exchange): GatewayError {
  const down = rt.unavailable.map((u) => `${u.id}: ${u.reason}`).join('; ');
  const why = rt.targets.length === 0 ? `no provider target is available${down ? ` (${down})` : ''}` : `no target serves model "${ex.model ?? '(none)'}"`;
  return new GatewayError('KT_ERR_NO_TARGET', `The gateway cannot route this request: ${why}. Check providers.targets (model / models) in policy-config.yaml.`);
}

async function prepare(
  gw: GatewayContext,
  ex: Exchange,
  d: Dialect,
  target: ResolvedTarget,
  query: string,
  rc: RequestContext,
  rawUrl: string,
): Promise<{ call: UpstreamCall; prepared: Prepared } | GatewayError> {
  let origin = target.origin;
  if (target.provider === 'demo') {
    try {
      origin = await gw.demo.origin();
    } catch (err) {
      return new GatewayError('KT_ERR_UPSTREAM_UNREACHABLE', `The built-in demo provider could not start (${(err as Error).message}).`);
    }
  }
  const upstreamModel = target.model ?? ex.model;
  let body: Buffer | string;
  let upstream = d;
  let translator: Translator | undefined;
  let stripUsage = false;
  let path: string;
  if (target.accepts.has(d.name)) {
    const rewriteModel = upstreamModel !== undefined && upstreamModel !== ex.model;
    stripUsage = !rc.viaProxy && injectsStreamUsage(d, target, ex.body, ex.stream);
    if (stripUsage) {
      const b = ex.body as Record<string, unknown>;
      body = withStreamUsage(rewriteModel || ex.bodyEdited ? undefined : ex.rawBody, rewriteModel ? { ...b, model: upstreamModel } : b);
    } else if (rewriteModel) body = JSON.stringify({ ...(ex.body as object), model: upstreamModel });
    else body = ex.bodyEdited ? JSON.stringify(ex.body) : ex.rawBody;
    path = rc.viaProxy ? rawUrl : target.kind.path(target, d, query);
  } else {
    const found = findTranslator(d.name, target);
    if (!found) {
      return new GatewayError(
        'KT_ERR_NO_TARGET',
        `Target ${target.id} (${target.provider}, format ${target.format}) does not accept ${d.name} requests: ${noTranslatorMessage(d.name, target)}. Route this model to a target that speaks ${d.family === 'anthropic' ? 'the Anthropic format' : 'the OpenAI format'}, or use an endpoint the target supports.`,
      );
    }
    translator = found.translator;
    upstream = dialectByName(found.to);
    const out = translator.request(ex.body) as { body: unknown };
    const translated = out.body as Record<string, unknown>;
    if (upstreamModel !== undefined && translated && typeof translated === 'object') translated.model = upstreamModel;
    body = JSON.stringify(translated);
    path = target.kind.path(target, upstream, '');
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const headers = upstreamHeaders(ex.headers, target, length, target.kind.defaultHeaders?.(upstream), ex.principal.kind === 'passthrough'); // (marked edit: evidence) passthrough sends the client's key
  return { call: { origin, method: rc.viaProxy?.method ?? 'POST', path, headers, body, stream: ex.stream }, prepared: { upstream, translator, stripUsage } };
}

function finish(gw: GatewayContext, rt: Runtime, ex: Exchange, res: ServerResponse): void {
  ex.t.end = performance.now();
  ex.status ??= res.statusCode;
  ex.outcome ??= ex.status < 400 ? 'served' : 'upstream_error';
  rt.hooks.settle(ex).catch((err) => gw.logger.error({ err, request_id: ex.requestId }, 'settle failed'));
  try {
    rt.hooks.record(ex);
  } catch (err) {
    gw.logger.error({ err, request_id: ex.requestId }, 'record failed');
  }
  if (gw.logger.isLevelEnabled('debug')) {
    gw.logger.debug(
      {
        request_id: ex.requestId,
        route: ex.route,
        model: ex.model,
        target: ex.target?.id,
        status: ex.status,
        outcome: ex.outcome,
        attempts: ex.attempts,
        stream: ex.stream,
        ms: Math.round((ex.t.end - ex.t.start) * 10) / 10,
        upstream_ms: ex.t.upstreamStart !== undefined && ex.t.upstreamEnd !== undefined ? Math.round((ex.t.upstreamEnd - ex.t.upstreamStart) * 10) / 10 : undefined,
      },
      'request',
    );
  }
}
