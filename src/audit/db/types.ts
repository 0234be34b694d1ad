/**
 * A tiny database seam shared by the event store, access keys and budgets, so SQLite (one instance)
 * and PostgreSQL (several instances) run the same SQL. Statements use `$1…` placeholders; the SQLite
 * adapter rewrites them. Types only.
 */

import type { ChainKey } from '../chain.js';

export type DbKind = 'sqlite' | 'postgres';

export type Row = Record<string, unknown>;

export interface Queryable {
  readonly kind: DbKind;
  /** Run one statement; returns the rows (RETURNING / SELECT) or an empty array. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  /**
   * Run `fn` in one transaction. SQLite: `BEGIN IMMEDIATE` (one writer across processes);
   * PostgreSQL: a pooled client in `BEGIN … COMMIT`, rolled back when `fn` throws.
   */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** `FOR UPDATE` on PostgreSQL; empty on SQLite, where BEGIN IMMEDIATE already serialises writers. */
  readonly forUpdate: string;
  /** Where the data lives, for messages (never includes a password). */
  readonly describe: string;
  /** The event chain's key for this database (resolved on first use; set by openDb). */
  chainKey?: () => ChainKey;
  close(): Promise<void>;
}
