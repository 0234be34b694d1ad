/**
 * The evidence database of a running gateway, reconnecting: when the store cannot be opened (say
 * PostgreSQL is down at start), every use fails fast with the last error and a new attempt is made
 * once a backoff (100 ms doubling to 2 s) has passed — so access keys answer a retryable 503, events
 * wait in the journal, and everything flows again as soon as the database is back. Once open, the
 * pool reconnects by itself.
 */
import type { Db, Queryable } from './db/types.js';
import { EventStore } from './event-store.js';

export interface StoreLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
}

interface Open {
  db: Db;
  store: EventStore;
}

export class StoreConnection {
  private current?: Promise<Open>;
  private failures = 0;
  private retryAt = 0;
  private lastError?: Error;
  private closed = false;

  constructor(
    private readonly open: () => Promise<Db>,
    readonly kind: 'sqlite' | 'postgres',
    private readonly logger: StoreLogger,
  ) {}

  /** Whether the store is open now (not opening, not down). */
  up = false;

  get(): Promise<Open> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    if (this.current) return this.current;
    if (Date.now() < this.retryAt) return Promise.reject(this.lastError!);
    const attempt = (async () => {
      const db = await this.open();
      try {
        const store = await EventStore.open(db);
        for (const w of store.warnings) this.logger.error({}, w);
        return { db, store };
      } catch (err) {
        await db.close().catch(() => undefined);
        throw err;
      }
    })();
    this.current = attempt;
    attempt.then(
      () => {
        if (this.failures) this.logger.info?.({ after_attempts: this.failures + 1 }, 'event store is reachable again');
        this.failures = 0;
        this.up = true;
      },
      (err: Error) => {
        this.current = undefined;
        this.failures++;
        this.lastError = new Error(`the event store (${this.kind}) is unavailable: ${err.message}`);
        this.retryAt = Date.now() + Math.min(2_000, 100 * 2 ** (this.failures - 1));
        if (this.failures === 1 || this.failures % 20 === 0)
          this.logger.error({ err: err.message, attempts: this.failures }, 'event store could not be opened; retrying with backoff (events wait in the journal)');
      },
    );
    return attempt;
  }

  /** A Db that opens (or reopens) the store on use. */
  db(): Db {
    const forUpdate = this.kind === 'postgres' ? 'FOR UPDATE' : '';
    return {
      kind: this.kind,
      forUpdate,
      describe: this.kind,
      query: async <T>(sql: string, params?: readonly unknown[]) => (await this.get()).db.query<T>(sql, params),
      tx: async <T>(fn: (q: Queryable) => Promise<T>) => (await this.get()).db.tx(fn),
      close: () => this.close(),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.current;
    this.current = undefined;
    if (c) await c.then((o) => o.db.close()).catch(() => undefined);
  }
}
