/** better-sqlite3 adapter: WAL, busy timeout for several processes, `$n` placeholders, async facade. */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, Queryable } from './types.js';

export interface SqliteOptions {
  path: string;
  /** ms to wait for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

/** `$n` placeholders → positional `?`, with the parameter order that goes with them. */
function rewrite(sql: string): { text: string; order: number[] } {
  const order: number[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return { text, order };
}

function normalise(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

/**
 * The database holds key hashes and who did what: owner-only (file 0600, directory 0700). SQLite
 * creates its -wal and -shm files with the main file's mode, so fixing the main file covers them.
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      /* not there (yet), or not ours to change */
    }
  }
}

export function openSqlite(opts: SqliteOptions): Db {
  if (opts.path !== ':memory:') ownerOnly(opts.path);
  const db = new Database(opts.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
  const cache = new Map<string, { stmt: Database.Statement; order: number[] }>();

  const run = <T>(sql: string, params: readonly unknown[] = []): T[] => {
    let entry = cache.get(sql);
    if (!entry) {
      const { text, order } = rewrite(sql);
      entry = { stmt: db.prepare(text), order };
      if (cache.size < 500) cache.set(sql, entry);
    }
    const { stmt, order } = entry;
    const args = order.map((i) => normalise(params[i]));
    if (stmt.reader) return stmt.all(...args) as T[];
    stmt.run(...args);
    return [];
  };

  // better-sqlite3 is synchronous; a transaction that awaits between statements must not let another
  // caller's statement slip into it, so every entry point is serialised through one promise chain.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const inner: Queryable = { kind: 'sqlite', query: async (sql, params) => run(sql, params) };

  return {
    kind: 'sqlite',
    forUpdate: '',
    describe: `sqlite:${opts.path}`,
    query: (sql, params) => serial(() => run(sql, params)),
    tx: (fn) =>
      serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(inner);
          db.exec('COMMIT');
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    close: async () => {
      await serial(() => undefined);
      db.close();
    },
  };
}
