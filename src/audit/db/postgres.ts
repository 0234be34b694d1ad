/** node-postgres adapter: a small pool, optional schema (tests give each file its own), numeric parsing. */
import pg from 'pg';
import type { Db, Queryable } from './types.js';

export interface PostgresOptions {
  url: string;
  /** Schema to create and use (`search_path`); lets several test files share one database. */
  schema?: string;
  max?: number;
  connectTimeoutMs?: number;
}

// BIGINT (20) and NUMERIC (1700) come back as strings by default; our values fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  const schema = opts.schema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid store schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 5,
    // idle connections must not keep a finished CLI command or test process alive
    allowExitOnIdle: true,
    // a black-holed server fails a request (and identify answers 503) instead of hanging it
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    // set at connection start-up, so no statement can run before it
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  if (schema) {
    let c: pg.PoolClient;
    try {
      c = await pool.connect();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (err) {
      // two processes racing to create the schema: the loser sees a unique violation
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P06') {
        c.release();
        await pool.end().catch(() => undefined);
        throw err;
      }
    }
    c.release();
  }
  const query = async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
    const client = await pool.connect();
    try {
      const r = await client.query(sql, params as unknown[]);
      return (r.rows ?? []) as T[];
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    forUpdate: 'FOR UPDATE',
    describe: redactUrl(opts.url) + (schema ? ` (schema ${schema})` : ''),
    query,
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const q: Queryable = {
          kind: 'postgres',
          query: async <T>(sql: string, params: readonly unknown[] = []) =>
            ((await client.query(sql, params as unknown[])).rows ?? []) as T[],
        };
        try {
          const out = await fn(q);
          await client.query('COMMIT');
          return out;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
