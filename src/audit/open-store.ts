/** Opens the database kt keeps its evidence in: PostgreSQL when `store.url` is set, else SQLite in the data dir. */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Db } from './db/types.js';
import { openSqlite } from './db/sqlite.js';
import { openPostgres } from './db/postgres.js';
import { migrate } from './db/migrations.js';
import { resolveChainKey, type ChainKey } from './chain.js';

export interface StoreOptions {
  /** `postgres://…`; when absent, SQLite. */
  url?: string;
  /** SQLite file; default `<data dir>/events.db`. */
  path?: string;
  /** PostgreSQL schema to use (created when missing). */
  schema?: string;
  /** The event chain key itself (KT_CHAIN_KEY); else `chainKeyFile`, else `<data dir>/chain.key`. */
  chainKey?: string;
  /** File holding the chain key (created, 0600, when missing). */
  chainKeyFile?: string;
}

/** `gateway.data_dir` from config, else `KT_DATA_DIR`, else `~/.kt`. */
export function resolveDataDir(configured?: string): string {
  const dir = configured ?? process.env.KT_DATA_DIR ?? join(homedir(), '.kt');
  const expanded = dir.startsWith('~/') ? join(homedir(), dir.slice(2)) : dir;
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}

export async function openDb(opts: StoreOptions = {}, dataDir = resolveDataDir()): Promise<Db> {
  const url = opts.url;
  const db = url && /^postgres(ql)?:\/\//.test(url)
    ? await openPostgres({ url, schema: opts.schema })
    : openSqlite({ path: opts.path ? resolve(dataDir, opts.path) : join(dataDir, 'events.db') });
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  // The key file is only created when events are written or verified, not for `kt keys`.
  let key: ChainKey | undefined;
  db.chainKey = () =>
    (key ??= resolveChainKey({ secret: opts.chainKey, file: opts.chainKeyFile ? resolve(dataDir, opts.chainKeyFile) : undefined, dataDir }));
  return db;
}
