/**
 * Evidence for the gateway: the `identify`, `admit`, `settle` and `record` hooks, plus `/metrics` and
 * the live event stream. One `EvidenceRuntime` (database, event sink, metrics) per store per process,
 * shared by every config reload; the per-config parts (auth mode, rbac, budgets, limits, prices) are
 * rebuilt with the hooks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors.js';
import type { Exchange } from '../gateway/exchange.js';
import type { GatewayHooks } from '../gateway/hooks.js';
import { AccessKeys } from '../identity/access-keys.js';
import { createIdentify } from '../identity/identify.js';
import { declaredTools, evaluateRbac } from '../identity/rbac.js';
import { Budgets, BudgetExceededError, type Reservation } from '../cost/budgets.js';
import { costKindOf, planHold, unpricedMessage } from '../cost/hold.js';
import { costOf, PriceBook, semanticsOf } from '../cost/pricing.js';
import { RateLimiter } from '../cost/rate-limit.js';
import { formatSse } from '../sse/writer.js';
import type { Db } from './db/types.js';
import { eventJson, toEvent } from './event.js';
import type { EventStore } from './event-store.js';
import { EvidenceMetrics } from './metrics.js';
import { openDb } from './open-store.js';
import { evidenceSettings, type EvidenceSettings } from './settings.js';
import { EventSink } from './sink.js';
import { StoreConnection, type StoreLogger } from './store-connection.js';

export type EvidenceLogger = StoreLogger;

const silent: EvidenceLogger = { warn: () => undefined, error: () => undefined };

/** Database, sink and metrics for one store; lives as long as the process (or until closeEvidence). */
export class EvidenceRuntime {
  readonly db: Db;
  readonly sink: EventSink;
  readonly metrics: EvidenceMetrics;
  readonly keys: AccessKeys;
  private readonly conn: StoreConnection;
  private retentionTimer?: NodeJS.Timeout;
  private limiters = new Map<string, RateLimiter>();

  /** One limiter per set of rules, so a reload that keeps the rules keeps the windows. */
  limiterFor(rules: EvidenceSettings['rateLimits']): RateLimiter {
    const key = JSON.stringify(rules);
    let l = this.limiters.get(key);
    if (!l) {
      if (this.limiters.size > 20) this.limiters.clear();
      l = new RateLimiter(rules);
      this.limiters.set(key, l);
    }
    return l;
  }

  constructor(
    readonly settings: EvidenceSettings,
    private logger: EvidenceLogger = silent,
  ) {
    this.conn = new StoreConnection(() => openDb(settings.store, settings.dataDir), settings.store.url ? 'postgres' : 'sqlite', logger);
    this.db = this.conn.db();
    this.metrics = new EvidenceMetrics({ queueDepth: () => this.sink.pending });
    this.sink = new EventSink(() => this.store, { journalDir: EventSink.journalDirFor(settings.dataDir), logger: logger as never });
    this.keys = new AccessKeys(this.db, { secret: settings.keysSecret });
    // Open at once and replay journals of earlier runs; a store that is down is retried with backoff.
    this.sink.recover();
  }

  /** The event store, (re)opened on demand; rejects fast while the database is down. */
  get store(): Promise<EventStore> {
    return this.conn.get().then((c) => c.store);
  }

  /** Purge by retention now and every six hours. */
  scheduleRetention(days: number | undefined): void {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = undefined;
    if (!days) return;
    const run = () =>
      this.store
        .then((s) => s.purge(days))
        .then((r) => r.dropped.length && this.logger.info?.({ dropped: r.dropped }, 'event retention purged old segments'))
        .catch((err) => this.logger.warn({ err: (err as Error).message }, 'event retention failed'));
    void run();
    this.retentionTimer = setInterval(run, 6 * 3_600_000);
    this.retentionTimer.unref();
  }

  async close(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.sink.close();
    await this.conn.close();
  }

  /** `GET /keeptrusts/events/stream`: decision events as SSE as they are stored (`kt events tail --follow`). */
  streamEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': kt events\n\n');
    const off = this.sink.subscribe((ev, seq) => res.write(formatSse({ event: 'decision', id: String(seq), data: eventJson(ev) })));
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    ping.unref();
    const stop = () => {
      off();
      clearInterval(ping);
    };
    req.on('close', stop);
    res.on('close', stop);
  }
}

const runtimes = new Map<string, EvidenceRuntime>();

function runtimeKey(s: EvidenceSettings): string {
  return `${s.store.url ?? ''}|${s.store.schema ?? ''}|${s.store.url ? '' : s.store.path}|${s.dataDir}`;
}

export function evidenceRuntime(settings: EvidenceSettings, logger?: EvidenceLogger): EvidenceRuntime {
  const key = runtimeKey(settings);
  let rt = runtimes.get(key);
  if (!rt) {
    rt = new EvidenceRuntime(settings, logger);
    runtimes.set(key, rt);
  }
  return rt;
}

/** Flush and close every evidence runtime of this process (gateway shutdown, tests). */
export async function closeEvidence(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  await Promise.all(all.map((r) => r.close()));
}

/** The runtime serving a loaded config (for `/metrics` and the event stream route). */
export function evidenceFor(config: unknown): EvidenceRuntime {
  return evidenceRuntime(evidenceSettings(config));
}

interface Admission {
  reservation?: Reservation;
  /** Renews the hold while the request runs (cleared by settle). */
  renew?: NodeJS.Timeout;
  rateIds: string[];
  admittedAt: number;
}

const warnedModels = new Set<string>();
/** An in-flight hold is renewed for at most this long (a request that never settles must not pin it forever). */
const MAX_RENEW_MS = 24 * 3_600_000;

/**
 * What a settled request costs its budgets. Known cost → that. A provider that answered successfully
 * but whose usage is unknown (a stream cut before its usage block) → the hold, so cutting a stream cannot
 * dodge a budget. No answer, or an error answer (providers do not bill those) → 0.
 */
export function chargeFor(ex: Exchange, held: number): number {
  if (ex.costUsd !== null && ex.costUsd !== undefined) return ex.costUsd;
  const answered = ex.t.upstreamFirstByte !== undefined && (ex.status ?? 200) < 400;
  return answered ? held : 0;
}

export type EvidenceHooks = Pick<GatewayHooks, 'identify' | 'admit' | 'settle' | 'record'>;

/**
 * A refusal: recorded as verdict block with its reason code, outcome refused. identify leaves the
 * outcome to the caller (the forward proxy records connections it already let through with their own).
 */
function refuse(ex: Exchange, reasonCode: string, err: GatewayError, setOutcome = true): GatewayError {
  ex.verdict = 'block';
  ex.reasonCode = reasonCode;
  if (setOutcome) ex.outcome = 'refused';
  return err;
}

/** The evidence hooks for one loaded config. */
export function evidenceHooks(config: unknown, logger: EvidenceLogger = silent, env: NodeJS.ProcessEnv = process.env): EvidenceHooks {
  const settings = evidenceSettings(config, env);
  const rt = evidenceRuntime(settings, logger);
  rt.scheduleRetention(settings.retentionDays);
  const identifyBase = createIdentify({ mode: settings.authMode, keys: rt.keys, roleHeader: settings.rbac?.role_header });
  const prices = new PriceBook(settings.prices, settings.fallbackPrice);
  const budgets = new Budgets(rt.db, settings.budgets);
  const limiter = rt.limiterFor(settings.rateLimits);

  const warnUnpriced = (model: string) => {
    if (warnedModels.has(model)) return;
    warnedModels.add(model);
    logger.warn({ model }, 'no price known for this model: its cost is recorded as unknown (null); add it under pricing.models');
  };

  const ensureCost = (ex: Exchange): void => {
    if (ex.costUsd !== undefined) return;
    if ((!ex.target && ex.attempts === 0) || costKindOf(ex.dialect) === 'none') {
      ex.costUsd = 0; // never reached a provider, or a route providers do not bill (count_tokens)
      return;
    }
    const model = ex.target?.model ?? ex.model;
    const price = prices.priceOf(model, ex.target?.provider);
    // Translated answers carry the upstream's numbers: Anthropic input excludes cache reads, OpenAI's includes them.
    ex.costUsd = costOf(ex.usage, price, semanticsOf(ex.usageDialect ?? ex.dialect));
    if (!price && model) warnUnpriced(model);
  };

  return {
    identify: async (ex) => {
      let err: GatewayError | undefined;
      try {
        err = await identifyBase(ex);
      } catch (e) {
        // The key store could not be read: refuse (retryable) rather than let an unchecked key through.
        logger.error({ err: (e as Error).message }, 'access key lookup failed');
        return refuse(ex, 'store_unavailable', new GatewayError('KT_ERR_NOT_READY', 'kt: access keys cannot be checked right now (the key store is unavailable); retry shortly.', { headers: { 'retry-after': '2' } }), false);
      }
      if (err) return refuse(ex, 'unauthenticated', err, false);
      if (!settings.rbac) return undefined;
      const t0 = performance.now();
      const out = evaluateRbac(settings.rbac, { principal: ex.principal, headers: ex.headers, model: ex.model, tools: declaredTools(ex.body) });
      ex.policyResults.push({ policy: 'rbac', phase: 'input', verdict: out.verdict, reasonCode: out.reasonCode, latencyMs: performance.now() - t0, findings: out.findings });
      if (out.verdict !== 'block') return undefined;
      ex.verdict = 'block';
      ex.reasonCode = out.reasonCode;
      return new GatewayError('KT_ERR_POLICY_BLOCKED', out.message ?? 'rbac: access denied', { reason: 'input_blocked', policy: 'rbac', headers: { 'x-should-retry': 'false' } });
    },

    admit: async (ex) => {
      if (rt.sink.saturated)
        return refuse(ex, 'event_backlog', new GatewayError('KT_ERR_NOT_READY', 'kt: the event store is behind; retry shortly.', { headers: { 'retry-after': '1' } }));
      const admission: Admission = { rateIds: [], admittedAt: Date.now() };
      if (!limiter.empty) {
        const r = limiter.admit(ex.principal, admission.admittedAt);
        if (!r.ok) {
          const { refusal } = r;
          return refuse(
            ex,
            'rate_limited',
            new GatewayError('KT_ERR_RATE_LIMITED', `kt: rate limit ${refusal.limit} reached (${refusal.kind}); retry after ${refusal.retryAfterSeconds}s.`, {
              reason: 'rate_limited',
              headers: { 'retry-after': String(refusal.retryAfterSeconds) },
            }),
          );
        }
        admission.rateIds = r.ids;
      }
      ex.reservation = admission;
      if (budgets.empty) return undefined;
      const hold = planHold(prices, ex);
      // Nothing it may call costs anything (count_tokens, local models): budgets neither hold nor refuse.
      if (hold.free) return undefined;
      const scope = ex.scope?.name;
      const enforced = budgets.applicable(ex.principal, admission.admittedAt, scope).filter((b) => b.rule.mode === 'enforce');
      for (const u of hold.unpriced) warnUnpriced(u.model);
      if (hold.unpriced.length && enforced.length) {
        // An unknown price cannot be bounded: under an enforced budget that is a refusal, never a free pass.
        const msg = unpricedMessage(hold.unpriced[0], enforced.map((b) => b.label));
        return refuse(ex, 'unpriced_model', new GatewayError('KT_ERR_BUDGET_EXCEEDED', msg, { reason: 'unpriced_model', policy: 'budget', headers: { 'x-should-retry': 'false' } }));
      }
      try {
        admission.reservation = await budgets.reserve(ex.id, ex.principal, hold.amountUsd, admission.admittedAt, scope);
      } catch (err) {
        if (err instanceof BudgetExceededError) {
          const r = err.refusal;
          return refuse(
            ex,
            'budget_exceeded',
            new GatewayError(
              'KT_ERR_BUDGET_EXCEEDED',
              `kt: budget ${r.budget} would be exceeded: $${r.spentUsd.toFixed(4)} spent${r.reservedUsd ? ` (+$${r.reservedUsd.toFixed(4)} in flight)` : ''} of $${r.limitUsd.toFixed(2)}; this request may cost up to $${r.requestMaxUsd.toFixed(4)}. It resets at ${r.resetsAt.toISOString()}.`,
              { reason: 'budget_exceeded', policy: 'budget', headers: { 'x-should-retry': 'false' } },
            ),
          );
        }
        logger.error({ err: (err as Error).message }, 'budget reservation failed');
        return refuse(
          ex,
          'store_unavailable',
          new GatewayError('KT_ERR_NOT_READY', 'kt: the budget store is unavailable, so budgeted requests are refused; retry shortly.', { headers: { 'retry-after': '2' } }),
        );
      }
      const held = admission.reservation;
      if (held.amountUsd > 0) {
        // A long stream keeps its hold: renewed until settle, so concurrent requests cannot spend it.
        const until = Date.now() + MAX_RENEW_MS;
        admission.renew = setInterval(() => {
          if (Date.now() > until) return clearInterval(admission.renew);
          budgets.extend(held).catch((e) => logger.warn({ err: (e as Error).message }, 'budget hold renewal failed'));
        }, budgets.renewEveryMs);
        admission.renew.unref();
      }
      return undefined;
    },

    settle: async (ex) => {
      // Runs synchronously up to the first await, so the cost is on the Exchange before record() reads it.
      ensureCost(ex);
      const a = ex.reservation as Admission | undefined;
      if (!a) return;
      if (a.renew) clearInterval(a.renew);
      const u = ex.usage;
      const tokens = (u?.inputTokens ?? 0) + (u?.outputTokens ?? 0) + (u?.cacheReadTokens ?? 0) + (u?.cacheWriteTokens ?? 0);
      limiter.addTokens(a.rateIds, a.admittedAt, tokens);
      if (a.reservation) await budgets.settle(a.reservation, chargeFor(ex, a.reservation.amountUsd));
    },

    record: (ex) => {
      try {
        ensureCost(ex);
        const detail = (ex.scope && settings.scopeDetail[ex.scope.name]) || settings.eventDetail;
        const ev = toEvent(ex, detail);
        rt.sink.record(ev);
        rt.metrics.observe(ev);
      } catch (err) {
        logger.error({ err: (err as Error).message, request_id: ex.requestId }, 'could not record the decision event');
      }
    },
  };
}
