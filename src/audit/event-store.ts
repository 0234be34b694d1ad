/**
 * The event store: append (hash-chained with the chain key, one transaction per batch), query,
 * verify, retention and spend roll-ups — the same SQL on SQLite and PostgreSQL. Events live in one
 * table per UTC day (`events_YYYYMMDD`) listed in `event_segments`, so retention drops whole tables
 * instead of deleting rows (no bloat, no vacuum) and records what it dropped in a signed checkpoint.
 * The chain head row is locked for each append, which serialises writers across processes and
 * gateway instances.
 */
import type { Db, Queryable } from './db/types.js';
import { migrate } from './db/migrations.js';
import { checkpointSignature, GENESIS_HASH, headSignature, keyedHash, metaSignature, type ChainKey, type Checkpoint, type VerifyResult } from './chain.js';
import { verifyChain } from './chain-verify.js';
import { eventJson, type DecisionEvent } from './event.js'; // (marked edit: perf)
import { COLUMNS, columnValues, type SegmentRow } from './event-columns.js';

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

export type SpendDimension = 'user' | 'team' | 'project' | 'client' | 'model' | 'key' | 'scope';

export interface SpendRow {
  key: string | null;
  requests: number;
  cost_usd: number;
  /** Requests whose model had no known price (cost unknown, not counted as 0). */
  unpriced: number;
  input_tokens: number;
  output_tokens: number;
}

const SPEND_COLUMN: Record<Exclude<SpendDimension, 'scope'>, string> = {
  user: 'user_id',
  team: 'team_id',
  project: 'project_id',
  client: 'client',
  model: 'model',
  key: 'key_id',
};

/** The SQL that groups spend: a column, or (scope, which segments have no column for) a field of the event JSON. */
function spendKey(by: SpendDimension, kind: 'sqlite' | 'postgres'): string {
  if (by !== 'scope') return SPEND_COLUMN[by];
  return kind === 'postgres' ? `(data::jsonb->>'scope')` : `json_extract(data, '$.scope')`;
}

export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
const tableOf = (day: string): string => {
  if (!/^\d{8}$/.test(day)) throw new Error(`bad segment day ${day}`);
  return `events_${day}`;
};
const dayStartMs = (day: string): number => Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8));

interface EventRow {
  seq: number;
  data: string;
}

export class EventStore {
  /** Set once this store's chain start (`chain_meta`) is known to be recorded. */
  private metaWritten = false;
  /** Problems found at open (e.g. another instance chains with a different key). */
  readonly warnings: string[] = [];

  private constructor(
    readonly db: Db,
    readonly key: ChainKey,
  ) {}

  /** `key`: the chain key; default the one `openDb` resolved for this database (KT_CHAIN_KEY, a file, or the data dir's). */
  static async open(db: Db, key?: ChainKey): Promise<EventStore> {
    await migrate(db);
    await db.query(`INSERT INTO chain_head (id, seq, hash, day) VALUES (1, 0, $1, '') ON CONFLICT (id) DO NOTHING`, [GENESIS_HASH]);
    const k = key ?? db.chainKey?.();
    if (!k) throw new Error('no chain key for the event store (open it with openDb, or pass one)');
    const store = new EventStore(db, k);
    const [meta] = await db.query<{ kid: string }>(`SELECT kid FROM chain_meta WHERE id = 1`);
    store.metaWritten = !!meta;
    if (meta && meta.kid !== k.kid)
      store.warnings.push(
        `this store's event chain is keyed with chain key ${meta.kid}, but this process holds ${k.kid} (${k.source}): events it writes will not verify with the store's key. Give every instance the same key (KT_CHAIN_KEY or store.chain_key_file).`,
      );
    return store;
  }

  /** Append events in order as one transaction. Returns the sequence number of the last one. */
  async append(events: readonly DecisionEvent[], now = Date.now()): Promise<number> {
    if (events.length === 0) return 0;
    const last = await this.db.tx(async (q) => {
      const [head] = await q.query<{ seq: number; hash: string; day: string }>(`SELECT seq, hash, day FROM chain_head WHERE id = 1 ${this.db.forUpdate}`);
      // Segment days never go backwards, so seq order and segment order agree even if clocks step back.
      const today = dayOf(now);
      const day = head.day > today ? head.day : today;
      let seq = Number(head.seq);
      if (day !== head.day) await this.ensureSegment(q, day, seq + 1);
      const table = tableOf(day);
      let prev = head.hash;
      const k = this.key;
      if (!this.metaWritten) {
        // Where the keyed chain starts: verify refuses unkeyed rows from here on.
        await q.query(`INSERT INTO chain_meta (id, kid, keyed_from_seq, sig) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`, [
          k.kid,
          seq + 1,
          metaSignature(k, k.kid, seq + 1),
        ]);
      }
      for (const ev of events) {
        seq++;
        const data = eventJson(ev); // (marked edit: perf) the journal's text, serialised once
        const hash = keyedHash(k, prev, seq, data);
        await q.query(
          `INSERT INTO ${table} (seq, ${COLUMNS.join(', ')}, data, prev_hash, hash) VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}, $${COLUMNS.length + 2}, $${COLUMNS.length + 3}, $${COLUMNS.length + 4})`,
          [seq, ...columnValues(ev), data, prev, hash],
        );
        prev = hash;
      }
      await q.query(`UPDATE chain_head SET seq = $1, hash = $2, day = $3, sig = $4 WHERE id = 1`, [seq, prev, day, headSignature(k, seq, prev)]);
      return seq;
    });
    this.metaWritten = true;
    return last;
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

  /** Checks the whole chain; the first break is reported (see chain-verify.ts). */
  async verify(): Promise<VerifyResult> {
    return verifyChain(this.db, this.key, await this.segments('asc'));
  }

  /**
   * Drop whole day segments older than `retentionDays` (never the newest segment). Each dropped
   * segment leaves a signed checkpoint (its first and last sequence number and last hash), so `verify`
   * still checks from the oldest kept event and notices a segment removed any other way.
   */
  async purge(retentionDays: number, now = Date.now()): Promise<{ dropped: string[] }> {
    const cutoff = dayOf(now - retentionDays * 86_400_000);
    return this.db.tx(async (q) => {
      const [head] = await q.query<{ day: string }>(`SELECT day FROM chain_head WHERE id = 1 ${this.db.forUpdate}`);
      const segs = await q.query<SegmentRow>(`SELECT day, table_name FROM event_segments WHERE day < $1 AND day <> $2 ORDER BY day ASC`, [cutoff, head.day]);
      const dropped: string[] = [];
      for (const seg of segs) {
        const [range] = await q.query<{ lo: number | null; hi: number | null }>(`SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM ${seg.table_name}`);
        if (range?.hi !== null && range?.hi !== undefined) {
          const [last] = await q.query<{ hash: string }>(`SELECT hash FROM ${seg.table_name} WHERE seq = $1`, [Number(range.hi)]);
          const cp: Checkpoint = {
            from_seq: Number(range.lo),
            to_seq: Number(range.hi),
            last_hash: last.hash,
            segments: JSON.stringify([seg.table_name]),
            purged_at: new Date(now).toISOString(),
          };
          await q.query(`INSERT INTO chain_checkpoints (to_seq, from_seq, last_hash, segments, purged_at, sig) VALUES ($1, $2, $3, $4, $5, $6)`, [
            cp.to_seq,
            cp.from_seq,
            cp.last_hash,
            cp.segments,
            cp.purged_at,
            checkpointSignature(this.key, cp),
          ]);
        }
        await q.query(`DROP TABLE IF EXISTS ${seg.table_name}`);
        await q.query(`DELETE FROM event_segments WHERE day = $1`, [seg.day]);
        dropped.push(seg.table_name);
      }
      return { dropped };
    });
  }

  async spend(by: SpendDimension, since?: number): Promise<SpendRow[]> {
    const col = spendKey(by, this.db.kind);
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
