/**
 * Versioned schema migrations, one list for both databases. Each step runs once, in order, inside a
 * transaction; PostgreSQL takes an advisory lock so instances starting together do not race.
 * Event rows live in per-day segment tables (see event-store.ts), created on demand, not here.
 */
import type { Db, DbKind } from './types.js';

interface Migration {
  version: number;
  name: string;
  sql: (kind: DbKind) => string[];
}

const real = (k: DbKind) => (k === 'postgres' ? 'DOUBLE PRECISION' : 'REAL');
const int = (k: DbKind) => (k === 'postgres' ? 'BIGINT' : 'INTEGER');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event chain and segments',
    sql: (k) => [
      `CREATE TABLE IF NOT EXISTS chain_head (id INTEGER PRIMARY KEY, seq ${int(k)} NOT NULL, hash TEXT NOT NULL, day TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS chain_anchor (id INTEGER PRIMARY KEY, seq ${int(k)} NOT NULL, hash TEXT NOT NULL, purged_at TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS event_segments (day TEXT PRIMARY KEY, table_name TEXT NOT NULL, first_seq ${int(k)}, created_at TEXT NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: 'access keys',
    sql: () => [
      `CREATE TABLE IF NOT EXISTS access_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, name TEXT NOT NULL,
        user_id TEXT, team_id TEXT, project_id TEXT, roles TEXT, tags TEXT, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT)`,
    ],
  },
  {
    version: 3,
    name: 'budgets',
    sql: (k) => [
      `CREATE TABLE IF NOT EXISTS budget_spend (budget TEXT NOT NULL, period_start TEXT NOT NULL, spent_usd ${real(k)} NOT NULL DEFAULT 0,
        PRIMARY KEY (budget, period_start))`,
      `CREATE TABLE IF NOT EXISTS budget_reservations (id TEXT NOT NULL, budget TEXT NOT NULL, period_start TEXT NOT NULL,
        amount_usd ${real(k)} NOT NULL, expires_at ${int(k)} NOT NULL, PRIMARY KEY (id, budget))`,
      `CREATE INDEX IF NOT EXISTS budget_reservations_by_budget ON budget_reservations (budget, period_start)`,
    ],
  },
  {
    version: 4,
    name: 'keyed chain: signed head, chain start and retention checkpoints',
    sql: (k) => [
      `ALTER TABLE chain_head ADD COLUMN sig TEXT`,
      `CREATE TABLE IF NOT EXISTS chain_meta (id INTEGER PRIMARY KEY, kid TEXT NOT NULL, keyed_from_seq ${int(k)} NOT NULL, sig TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS chain_checkpoints (to_seq ${int(k)} PRIMARY KEY, from_seq ${int(k)} NOT NULL, last_hash TEXT NOT NULL,
        segments TEXT NOT NULL, purged_at TEXT NOT NULL, sig TEXT)`,
      // A purge anchor written before keying becomes an unsigned checkpoint (verify reports it as unkeyed).
      `INSERT INTO chain_checkpoints (to_seq, from_seq, last_hash, segments, purged_at, sig) SELECT seq, 1, hash, '[]', purged_at, NULL FROM chain_anchor`,
    ],
  },
];

export async function migrate(db: Db): Promise<number> {
  await db.query(`CREATE TABLE IF NOT EXISTS kt_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`).catch(
    (err) => {
      // concurrent CREATE TABLE IF NOT EXISTS on PostgreSQL can still collide on the type name
      if ((err as { code?: string }).code !== '23505') throw err;
    },
  );
  return db.tx(async (q) => {
    if (q.kind === 'postgres') await q.query(`SELECT pg_advisory_xact_lock(4141002)`);
    const done = new Set((await q.query<{ version: number }>(`SELECT version FROM kt_migrations`)).map((r) => Number(r.version)));
    let applied = 0;
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const stmt of m.sql(q.kind)) await q.query(stmt);
      await q.query(`INSERT INTO kt_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
      applied++;
    }
    return applied;
  });
}
