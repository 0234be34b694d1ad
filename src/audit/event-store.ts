/**
 * The event store: append (hash-chained, one transaction per batch), query, verify, retention and
 * spend roll-ups — the same SQL on SQLite and PostgreSQL. Events live in one table per UTC day
 * (`events_YYYYMMDD`) listed in `event_segments`, so retention drops whole tables instead of deleting
 * rows (no bloat, no vacuum). The chain head row is locked for each append, which serialises writers
 * across processes and gateway instances.
 */
import type { Db, Queryable } from './db/types.js';
import { migrate } from './db/migrations.js';
import { chainHash, GENESIS_HASH, type ChainBreak, type VerifyResult } from './chain.js';
import type { DecisionEvent } from './event.js';

export interface EventQuery {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  verdict?: string;
  user?: string;
  client?: string;
  /** Only events stored after this sequence number (for --follow). */
  afterSeq?: number;
  limit?: number;
  /** `desc` = newest first (tail); `asc` = oldest first (export). */
  order?: 'asc' | 'desc';
}

export interface StoredEvent {
  seq: number;
  event: DecisionEvent;
}

export type SpendDimension = 'user' | 'team' | 'project' | 'client' | 'model' | 'key';

export interface SpendRow {
  key: string | null;
  requests: number;
  cost_usd: number;
  /** Requests whose model had no known price (cost unknown, not counted as 0). */
  unpriced: number;
  input_tokens: number;
  output_tokens: number;
}

const SPEND_COLUMN: Record<SpendDimension, string> = {
  user: 'user_id',
  team: 'team_id',
  project: 'project_id',
  client: 'client',
  model: 'model',
  key: 'key_id',
};

/** Columns copied out of the event for filtering; `verify` checks they still match the hashed JSON. */
const COLUMNS = ['id', 'ts', 'verdict', 'outcome', 'user_id', 'team_id', 'project_id', 'key_id', 'client', 'model', 'cost_usd', 'input_tokens', 'output_tokens'] as const;

function columnValues(ev: DecisionEvent): unknown[] {
  return [ev.id, Date.parse(ev.timestamp), ev.verdict, ev.outcome, ev.user_id ?? null, ev.team_id ?? null, ev.project_id ?? null,
    ev.key_id ?? null, ev.client, ev.model ?? null, ev.cost_usd, ev.input_tokens, ev.output_tokens];
}

export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
const tableOf = (day: string): string => {
  if (!/^\d{8}$/.test(day)) throw new Error(`bad segment day ${day}`);
  return `events_${day}`;
};
const dayStartMs = (day: string): number => Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8));

interface SegmentRow {
  day: string;
  table_name: string;
}

interface EventRow {
  seq: number;
  data: string;
  prev_hash: string;
  hash: string;
  [k: string]: unknown;
}

export class EventStore {
  private constructor(readonly db: Db) {}

  static async open(db: Db): Promise<EventStore> {
    await migrate(db);
    await db.query(`INSERT INTO chain_head (id, seq, hash, day) VALUES (1, 0, $1, '') ON CONFLICT (id) DO NOTHING`, [GENESIS_HASH]);
    return new EventStore(db);
  }

  /** Append events in order as one transaction. Returns the sequence number of the last one. */
  async append(events: readonly DecisionEvent[], now = Date.now()): Promise<number> {
    if (events.length === 0) return 0;
    return this.db.tx(async (q) => {
      const [head] = await q.query<{ seq: number; hash: string; day: string }>(`SELECT seq, hash, day FROM chain_head WHERE id = 1 ${this.db.forUpdate}`);
      // Segment days never go backwards, so seq order and segment order agree even if clocks step back.
      const today = dayOf(now);
      const day = head.day > today ? head.day : today;
      let seq = Number(head.seq);
      if (day !== head.day) await this.ensureSegment(q, day, seq + 1);
      const table = tableOf(day);
      let prev = head.hash;
      for (const ev of events) {
        seq++;
        const data = JSON.stringify(ev);
        const hash = chainHash(prev, seq, data);
        await q.query(
          `INSERT INTO ${table} (seq, ${COLUMNS.join(', ')}, data, prev_hash, hash) VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}, $${COLUMNS.length + 2}, $${COLUMNS.length + 3}, $${COLUMNS.length + 4})`,
          [seq, ...columnValues(ev), data, prev, hash],
        );
        prev = hash;
      }
      await q.query(`UPDATE chain_head SET seq = $1, hash = $2, day = $3 WHERE id = 1`, [seq, prev, day]);
      return seq;
    });
  }

  private async ensureSegment(q: Queryable, day: string, firstSeq: number): Promise<void> {
    const t = tableOf(day);
    const int = q.kind === 'postgres' ? 'BIGINT' : 'INTEGER';
    const real = q.kind === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
    await q.query(
      `CREATE TABLE IF NOT EXISTS ${t} (seq ${int} PRIMARY KEY, id TEXT NOT NULL, ts ${int} NOT NULL, verdict TEXT NOT NULL, outcome TEXT NOT NULL,
        user_id TEXT, team_id TEXT, project_id TEXT, key_id TEXT, client TEXT NOT NULL, model TEXT, cost_usd ${real},
        input_tokens ${int}, output_tokens ${int}, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
    );
    await q.query(`CREATE INDEX IF NOT EXISTS ${t}_ts ON ${t} (ts)`);
    await q.query(`CREATE INDEX IF NOT EXISTS ${t}_id ON ${t} (id)`);
    await q.query(`INSERT INTO event_segments (day, table_name, first_seq, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (day) DO NOTHING`, [
      day, t, firstSeq, new Date().toISOString(),
    ]);
  }

  private async segments(order: 'asc' | 'desc' = 'asc'): Promise<SegmentRow[]> {
    return this.db.query<SegmentRow>(`SELECT day, table_name FROM event_segments ORDER BY day ${order === 'asc' ? 'ASC' : 'DESC'}`);
  }

  async query(opts: EventQuery = {}): Promise<StoredEvent[]> {
    const order = opts.order ?? 'desc';
    const limit = opts.limit ?? 100;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (opts.since !== undefined) add('ts >= ?', opts.since);
    if (opts.until !== undefined) add('ts < ?', opts.until);
    if (opts.verdict) add('verdict = ?', opts.verdict);
    if (opts.user) add('user_id = ?', opts.user);
    if (opts.client) add('client = ?', opts.client);
    if (opts.afterSeq !== undefined) add('seq > ?', opts.afterSeq);
    const out: StoredEvent[] = [];
    for (const seg of await this.segments(order)) {
      // A segment holds events stored that day; requests are stored within moments of their timestamp,
      // so a day of slack is enough to never skip one.
      const segStart = dayStartMs(seg.day);
      if (opts.since !== undefined && segStart + 2 * 86_400_000 <= opts.since) continue;
      if (opts.until !== undefined && segStart - 86_400_000 >= opts.until) continue;
      const rows = await this.db.query<EventRow>(
        `SELECT seq, data FROM ${seg.table_name}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY seq ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ${limit - out.length}`,
        params,
      );
      for (const r of rows) out.push({ seq: Number(r.seq), event: JSON.parse(r.data) as DecisionEvent });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Which of these event ids are already stored (journal recovery). Looks at the newest segments only. */
  async existingIds(ids: readonly string[], segmentsBack = 3): Promise<Set<string>> {
    const found = new Set<string>();
    if (ids.length === 0) return found;
    const segs = (await this.segments('desc')).slice(0, segmentsBack);
    for (const seg of segs) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = await this.db.query<{ id: string }>(
          `SELECT id FROM ${seg.table_name} WHERE id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`,
          chunk,
        );
        for (const r of rows) found.add(r.id);
      }
    }
    return found;
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const [h] = await this.db.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM chain_head WHERE id = 1`);
    return { seq: Number(h.seq), hash: h.hash };
  }

  async verify(): Promise<VerifyResult> {
    const [anchor] = await this.db.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM chain_anchor WHERE id = 1`);
    let expectSeq = anchor ? Number(anchor.seq) + 1 : 1;
    let prev = anchor ? anchor.hash : GENESIS_HASH;
    let checked = 0;
    let firstSeq: number | undefined;
    const fail = (b: ChainBreak): VerifyResult => ({ ok: false, checked, firstSeq, lastSeq: expectSeq - 1, break: b });
    for (const seg of await this.segments('asc')) {
      let after = 0;
      for (;;) {
        const rows = await this.db.query<EventRow>(
          `SELECT seq, ${COLUMNS.join(', ')}, data, prev_hash, hash FROM ${seg.table_name} WHERE seq > $1 ORDER BY seq ASC LIMIT 2000`,
          [after],
        );
        if (rows.length === 0) break;
        for (const r of rows) {
          const seq = Number(r.seq);
          firstSeq ??= seq;
          if (seq !== expectSeq) return fail({ seq: expectSeq, reason: 'seq_gap', detail: `expected event #${expectSeq}, found #${seq} (rows missing)` });
          if (r.prev_hash !== prev) return fail({ seq, id: String(r.id), reason: 'prev_mismatch', detail: `event #${seq} does not link to the event before it` });
          if (chainHash(prev, seq, r.data) !== r.hash) return fail({ seq, id: String(r.id), reason: 'hash_mismatch', detail: `event #${seq} was modified after it was written` });
          let ev: DecisionEvent;
          try {
            ev = JSON.parse(r.data) as DecisionEvent;
          } catch {
            return fail({ seq, id: String(r.id), reason: 'hash_mismatch', detail: `event #${seq} is not valid JSON` });
          }
          const want = columnValues(ev);
          const bad = COLUMNS.find((c, i) => !sameValue(r[c], want[i]));
          if (bad) return fail({ seq, id: String(r.id), reason: 'column_mismatch', detail: `event #${seq}: column ${bad} differs from the signed record` });
          prev = r.hash;
          expectSeq = seq + 1;
          checked++;
          after = seq;
        }
      }
    }
    const head = await this.head();
    if (head.seq !== expectSeq - 1 || head.hash !== prev)
      return fail({ seq: expectSeq, reason: 'head_mismatch', detail: `chain head is #${head.seq} but the stored events end at #${expectSeq - 1} (events removed at the end)` });
    return { ok: true, checked, firstSeq, lastSeq: expectSeq - 1 };
  }

  /**
   * Drop whole day segments older than `retentionDays` (never the newest segment). The hash of the last
   * dropped event becomes the chain anchor, so `verify` still checks from the oldest kept event.
   */
  async purge(retentionDays: number, now = Date.now()): Promise<{ dropped: string[] }> {
    const cutoff = dayOf(now - retentionDays * 86_400_000);
    return this.db.tx(async (q) => {
      const [head] = await q.query<{ day: string }>(`SELECT day FROM chain_head WHERE id = 1 ${this.db.forUpdate}`);
      const segs = await q.query<SegmentRow>(`SELECT day, table_name FROM event_segments WHERE day < $1 AND day <> $2 ORDER BY day ASC`, [cutoff, head.day]);
      const dropped: string[] = [];
      for (const seg of segs) {
        const [last] = await q.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM ${seg.table_name} ORDER BY seq DESC LIMIT 1`);
        if (last) {
          await q.query(
            `INSERT INTO chain_anchor (id, seq, hash, purged_at) VALUES (1, $1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, purged_at = excluded.purged_at`,
            [Number(last.seq), last.hash, new Date(now).toISOString()],
          );
        }
        await q.query(`DROP TABLE IF EXISTS ${seg.table_name}`);
        await q.query(`DELETE FROM event_segments WHERE day = $1`, [seg.day]);
        dropped.push(seg.table_name);
      }
      return { dropped };
    });
  }

  async spend(by: SpendDimension, since?: number): Promise<SpendRow[]> {
    const col = SPEND_COLUMN[by];
    const merged = new Map<string | null, SpendRow>();
    for (const seg of await this.segments('asc')) {
      if (since !== undefined && dayStartMs(seg.day) + 2 * 86_400_000 <= since) continue;
      const rows = await this.db.query<Record<string, unknown>>(
        `SELECT ${col} AS k, COUNT(*) AS n, COALESCE(SUM(cost_usd), 0) AS cost, SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,
           COALESCE(SUM(input_tokens), 0) AS itok, COALESCE(SUM(output_tokens), 0) AS otok
         FROM ${seg.table_name} ${since !== undefined ? 'WHERE ts >= $1' : ''} GROUP BY ${col}`,
        since !== undefined ? [since] : [],
      );
      for (const r of rows) {
        const key = (r.k as string | null) ?? null;
        const row = merged.get(key) ?? { key, requests: 0, cost_usd: 0, unpriced: 0, input_tokens: 0, output_tokens: 0 };
        row.requests += Number(r.n);
        row.cost_usd += Number(r.cost);
        row.unpriced += Number(r.unpriced);
        row.input_tokens += Number(r.itok);
        row.output_tokens += Number(r.otok);
        merged.set(key, row);
      }
    }
    return [...merged.values()].sort((a, b) => b.cost_usd - a.cost_usd || b.requests - a.requests);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof b === 'number') return Number(a) === b;
  return a === b;
}
