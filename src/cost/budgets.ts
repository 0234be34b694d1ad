/**
 * Budgets per key, user, team, project (or global). Before dispatch, `reserve` holds the request's
 * maximum possible cost against every enforced budget that applies, in one transaction that locks the
 * budgets' spend rows (`SELECT … FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite) in a fixed
 * order — so gateways sharing one PostgreSQL can never overspend together. `settle` swaps the hold for
 * the actual cost. Holds expire, so a crashed instance cannot freeze a budget; the instance serving a
 * request renews its hold while the request runs (`extend`), so a long stream keeps its hold to the end.
 */
import type { Db } from '../audit/db/types.js';
import type { Principal } from '../gateway/exchange.js';
import { periodEnd, periodStart, type Period } from './periods.js';

export interface BudgetRule {
  name?: string;
  /** What the budget is counted per; `scope` counts requests of a traffic class (scopes[].name). */
  scope: 'key' | 'user' | 'team' | 'project' | 'global' | 'scope';
  match?: string;
  /** Only requests in this scope count (a scope's own `budget` with `per`). */
  within_scope?: string;
  period: Period;
  limit_usd: number;
  mode: 'enforce' | 'monitor';
}

/** One budget counter that applies to a request. */
export interface AppliedBudget {
  id: string;
  label: string;
  rule: BudgetRule;
  periodStart: string;
  resetsAt: Date;
}

export interface BudgetRefusal {
  budget: string;
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  requestMaxUsd: number;
  resetsAt: Date;
}

export class BudgetExceededError extends Error {
  constructor(readonly refusal: BudgetRefusal) {
    super(`budget ${refusal.budget} exceeded`);
  }
}

export interface Reservation {
  id: string;
  amountUsd: number;
  budgets: AppliedBudget[];
}

export const RESERVATION_TTL_MS = 15 * 60_000;
const EPS = 1e-9;

function scopeValue(p: Principal, scope: BudgetRule['scope'], trafficScope: string | undefined): string | undefined {
  switch (scope) {
    case 'scope':
      return trafficScope;
    case 'key':
      return p.keyName ?? p.keyId;
    case 'user':
      return p.userId;
    case 'team':
      return p.teamId;
    case 'project':
      return p.projectId;
    case 'global':
      return '*';
  }
}

export class Budgets {
  private readonly ttlMs: number;

  constructor(
    private readonly db: Db,
    private readonly rules: readonly BudgetRule[],
    opts: { ttlMs?: number } = {},
  ) {
    this.ttlMs = opts.ttlMs ?? RESERVATION_TTL_MS;
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The budgets that count this principal's requests (in traffic scope `trafficScope`) right now. */
  applicable(p: Principal, now = Date.now(), trafficScope?: string): AppliedBudget[] {
    const out: AppliedBudget[] = [];
    this.rules.forEach((rule, i) => {
      if (rule.within_scope !== undefined && rule.within_scope !== trafficScope) return;
      const value = scopeValue(p, rule.scope, trafficScope);
      if (value === undefined) return;
      if (rule.match && rule.match !== '*' && rule.match !== value && !(rule.scope === 'key' && rule.match === p.keyId)) return;
      const name = rule.name ?? `${rule.scope}#${i}`;
      out.push({
        id: `${name}|${rule.scope}:${value}|${rule.period}`,
        label: rule.scope === 'global' || (rule.scope === 'scope' && name.includes(value)) ? name : `${name} (${rule.scope} ${value})`,
        rule,
        periodStart: periodStart(rule.period, now).toISOString(),
        resetsAt: periodEnd(rule.period, now),
      });
    });
    // A fixed lock order prevents deadlocks between concurrent reservations.
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Holds `amountUsd` on every enforced budget, or throws BudgetExceededError naming the first one that cannot take it. */
  async reserve(id: string, p: Principal, amountUsd: number, now = Date.now(), trafficScope?: string): Promise<Reservation> {
    const budgets = this.applicable(p, now, trafficScope);
    const enforced = budgets.filter((b) => b.rule.mode === 'enforce');
    if (enforced.length === 0) return { id, amountUsd: 0, budgets };
    await this.db.tx(async (q) => {
      for (const b of enforced) {
        await q.query(`INSERT INTO budget_spend (budget, period_start, spent_usd) VALUES ($1, $2, 0) ON CONFLICT (budget, period_start) DO NOTHING`, [
          b.id,
          b.periodStart,
        ]);
        const [row] = await q.query<{ spent_usd: number }>(
          `SELECT spent_usd FROM budget_spend WHERE budget = $1 AND period_start = $2 ${this.db.forUpdate}`,
          [b.id, b.periodStart],
        );
        const [held] = await q.query<{ s: number | null }>(
          `SELECT SUM(amount_usd) AS s FROM budget_reservations WHERE budget = $1 AND period_start = $2 AND expires_at > $3`,
          [b.id, b.periodStart, now],
        );
        const spent = Number(row.spent_usd);
        const reserved = Number(held.s ?? 0);
        if (spent >= b.rule.limit_usd - EPS || spent + reserved + amountUsd > b.rule.limit_usd + EPS) {
          throw new BudgetExceededError({
            budget: b.label,
            limitUsd: b.rule.limit_usd,
            spentUsd: spent,
            reservedUsd: reserved,
            requestMaxUsd: amountUsd,
            resetsAt: b.resetsAt,
          });
        }
        await q.query(`INSERT INTO budget_reservations (id, budget, period_start, amount_usd, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          b.id,
          b.periodStart,
          amountUsd,
          now + this.ttlMs,
        ]);
      }
    });
    return { id, amountUsd, budgets };
  }

  /** Renews a hold that is still in flight, so it does not expire under a long request. */
  async extend(r: Reservation, now = Date.now()): Promise<void> {
    if (r.amountUsd <= 0) return;
    await this.db.query(`UPDATE budget_reservations SET expires_at = $1 WHERE id = $2`, [now + this.ttlMs, r.id]);
  }

  /** How often an in-flight hold is renewed. */
  get renewEveryMs(): number {
    return Math.max(1000, Math.floor(this.ttlMs / 3));
  }

  /** Releases the hold and adds the actual cost to every budget that applies (monitor ones too). */
  async settle(r: Reservation, actualUsd: number): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(`DELETE FROM budget_reservations WHERE id = $1`, [r.id]);
      if (actualUsd <= 0) return;
      for (const b of r.budgets) {
        await q.query(
          `INSERT INTO budget_spend (budget, period_start, spent_usd) VALUES ($1, $2, $3)
           ON CONFLICT (budget, period_start) DO UPDATE SET spent_usd = budget_spend.spent_usd + excluded.spent_usd`,
          [b.id, b.periodStart, actualUsd],
        );
      }
    });
  }

  /** Current state of every budget counter in its current period (for `kt spend` and docs). */
  async status(now = Date.now()): Promise<{ budget: string; period_start: string; spent_usd: number }[]> {
    const rows = await this.db.query<{ budget: string; period_start: string; spent_usd: number }>(
      `SELECT budget, period_start, spent_usd FROM budget_spend ORDER BY budget`,
    );
    void now;
    return rows.map((r) => ({ ...r, spent_usd: Number(r.spent_usd) }));
  }

  /** Drop expired holds (crashed instances) — they no longer count, this only keeps the table small. */
  async sweep(now = Date.now()): Promise<void> {
    await this.db.query(`DELETE FROM budget_reservations WHERE expires_at <= $1`, [now]);
  }
}
