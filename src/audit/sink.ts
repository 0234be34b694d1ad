/**
 * The event sink: `record` writes the event to the on-disk journal (one write(2)), queues it and
 * returns; a background loop stores queued events in batches. Nothing is dropped: when the store is
 * slow or down the queue grows, `saturated` turns true and admission refuses new requests (503,
 * retryable) until the backlog drains — back-pressure on callers instead of silent loss.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DecisionEvent } from './event.js';
import type { EventStore } from './event-store.js';
import { Journal, type JournalSegment } from './journal.js';

export interface SinkOptions {
  /** Directory for journal files (per data dir). */
  journalDir: string;
  /** Max events per store transaction. */
  batchSize?: number;
  /** How long a lone event may wait for company before it is written. */
  flushIntervalMs?: number;
  /** Queue length at which `saturated` becomes true. */
  maxQueue?: number;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

export type EventListener = (ev: DecisionEvent, seq: number) => void;

export class EventSink {
  private queue: DecisionEvent[] = [];
  private journal: Journal;
  private retained: JournalSegment[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private closed = false;
  private listeners = new Set<EventListener>();
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxQueue: number;
  /** Events stored since start, and store errors seen (metrics). */
  stored = 0;
  storeErrors = 0;

  private readonly ready: Promise<EventStore>;

  /**
   * The journal opens at once (so `record` is durable from the first request); the store may still be
   * opening — journals left by crashed processes are replayed into it before anything else.
   */
  constructor(
    store: EventStore | Promise<EventStore>,
    private readonly opts: SinkOptions,
  ) {
    this.journal = new Journal(opts.journalDir);
    this.ready = Promise.resolve(store).then(async (st) => {
      await replayOrphans(st, opts.journalDir, opts.logger);
      return st;
    });
    this.ready.catch(() => undefined);
    this.batchSize = opts.batchSize ?? 500;
    this.intervalMs = opts.flushIntervalMs ?? 50;
    this.maxQueue = opts.maxQueue ?? 10_000;
  }

  /** A sink whose replay of earlier journals has finished. */
  static async start(store: EventStore, opts: SinkOptions): Promise<EventSink> {
    const sink = new EventSink(store, opts);
    await sink.ready;
    return sink;
  }

  static journalDirFor(dataDir: string): string {
    return join(dataDir, 'journal');
  }

  get pending(): number {
    return this.queue.length;
  }

  get saturated(): boolean {
    return this.queue.length >= this.maxQueue;
  }

  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Never throws, never waits for the store. */
  record(ev: DecisionEvent): void {
    if (this.closed) {
      this.opts.logger?.error({ event_id: ev.id }, 'event recorded after the sink closed; written to the journal only');
    }
    try {
      this.journal.append(ev);
    } catch (err) {
      this.opts.logger?.error({ err: (err as Error).message, event_id: ev.id }, 'event journal write failed');
    }
    if (this.closed) return;
    this.queue.push(ev);
    if (this.queue.length >= this.batchSize) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Store everything queued so far. Resolves when done or when the store failed (events stay queued). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing.then(() => (this.queue.length && !this.failures ? this.flush() : undefined));
    if (this.queue.length === 0) return Promise.resolve();
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const seg = this.journal.rotate();
    let done = 0;
    try {
      const store = await this.ready;
      while (done < batch.length) {
        const chunk = batch.slice(done, done + this.batchSize);
        const last = await store.append(chunk);
        done += chunk.length;
        this.stored += chunk.length;
        const first = last - chunk.length + 1;
        for (const fn of this.listeners) chunk.forEach((ev, i) => safeCall(fn, ev, first + i));
      }
      this.failures = 0;
      for (const s of this.retained.splice(0)) s.close();
      seg.close();
    } catch (err) {
      this.storeErrors++;
      this.failures++;
      // Keep the journal file (the events in it are not all stored) and retry with backoff.
      this.retained.push(seg);
      this.queue = batch.slice(done).concat(this.queue);
      const delay = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
      this.opts.logger?.warn({ err: (err as Error).message, pending: this.queue.length, retry_ms: delay }, 'event store write failed; will retry');
      if (!this.closed) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, delay);
        this.timer.unref();
      }
    }
    if (this.queue.length && !this.failures && !this.timer) this.timer = setTimeout(() => void this.flush(), 0);
  }

  /** Flush and stop. Events that could not be stored stay in the journal for the next start. */
  async close(): Promise<void> {
    for (let i = 0; i < 3 && (this.queue.length || this.flushing); i++) {
      this.failures = 0;
      await this.flush();
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 && this.retained.length === 0) this.journal.close();
    this.listeners.clear();
  }
}

function safeCall(fn: EventListener, ev: DecisionEvent, seq: number): void {
  try {
    fn(ev, seq);
  } catch {
    /* a listener must not break storage */
  }
}

async function replayOrphans(store: EventStore, dir: string, logger?: SinkOptions['logger']): Promise<void> {
  const { unlinkSync } = await import('node:fs');
  for (const file of Journal.orphans(dir)) {
    const events = Journal.read(file);
    if (events.length) {
      const have = await store.existingIds(events.map((e) => e.id));
      const missing = events.filter((e) => !have.has(e.id));
      if (missing.length) await store.append(missing);
      logger?.info({ file, replayed: missing.length }, 'replayed events from a previous run');
    }
    unlinkSync(file);
  }
}
