/**
 * The event sink: `record` writes the event to the on-disk journal (one write(2)), queues it and
 * returns; a background loop stores queued events in batches. Nothing is dropped, and memory stays
 * bounded: the in-memory queue holds at most `maxQueue` events; past that, events live only in the
 * journal and are read back from it once the store accepts writes again. A batch the store refused is
 * not kept in memory either — its journal file is replayed later. While the queue is full `saturated`
 * is true and admission refuses new requests (503, retryable): back-pressure instead of silent loss.
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
  /** Events held in memory at most; beyond, they wait in the journal only. */
  maxQueue?: number;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

export type EventListener = (ev: DecisionEvent, seq: number) => void;

/** The store, or how to get it (the evidence runtime reconnects a store that was down at start). */
export type StoreSource = EventStore | Promise<EventStore> | (() => Promise<EventStore>);

export class EventSink {
  private queue: DecisionEvent[] = [];
  private journal: Journal;
  /** Journal files whose events are not all stored; replayed from disk, oldest first. */
  private retained: JournalSegment[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private closed = false;
  private listeners = new Set<EventListener>();
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxQueue: number;
  private readonly getStore: () => Promise<EventStore>;
  private orphansReplayed = false;
  /** Journal for events recorded after close (never deleted by this process). */
  private late?: Journal;
  /** Events stored since start, store errors seen, and events that went to the journal only (metrics). */
  stored = 0;
  storeErrors = 0;
  spilled = 0;

  /**
   * The journal opens at once (so `record` is durable from the first request); the store may still be
   * opening, or down — journals left by crashed processes are replayed into it before anything else.
   */
  constructor(
    store: StoreSource,
    private readonly opts: SinkOptions,
  ) {
    this.journal = new Journal(opts.journalDir);
    this.getStore = typeof store === 'function' ? store : () => Promise.resolve(store);
    this.batchSize = opts.batchSize ?? 500;
    this.intervalMs = opts.flushIntervalMs ?? 50;
    this.maxQueue = opts.maxQueue ?? 10_000;
  }

  /** A sink whose replay of earlier journals has finished. */
  static async start(store: EventStore, opts: SinkOptions): Promise<EventSink> {
    const sink = new EventSink(store, opts);
    await sink.ready();
    return sink;
  }

  static journalDirFor(dataDir: string): string {
    return join(dataDir, 'journal');
  }

  /** The store, once journals of earlier processes are in it. */
  private async ready(): Promise<EventStore> {
    const st = await this.getStore();
    if (!this.orphansReplayed) {
      for (const file of Journal.orphans(this.opts.journalDir)) {
        const n = await this.replayFile(st, file);
        this.opts.logger?.info({ file, replayed: n }, 'replayed events from a previous run');
        const { unlinkSync } = await import('node:fs');
        unlinkSync(file);
      }
      this.orphansReplayed = true;
    }
    return st;
  }

  /**
   * Replays journals left by earlier processes now (not only at the next flush); while the store is
   * unreachable it keeps retrying with backoff.
   */
  recover(attempt = 0): void {
    if (this.closed || this.orphansReplayed) return;
    this.ready().then(
      () => undefined,
      () => {
        const t = setTimeout(() => this.recover(attempt + 1), Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)));
        t.unref();
      },
    );
  }

  /** Events waiting to be stored: queued in memory, or only in journal files. */
  get pending(): number {
    return this.queue.length + this.journal.spilled + this.retained.reduce((n, s) => n + s.count, 0);
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
      // A request that finished during shutdown: its own journal file, kept for the next start to replay.
      this.opts.logger?.error({ event_id: ev.id }, 'event recorded after the sink closed; written to the journal only');
      try {
        (this.late ??= new Journal(this.opts.journalDir)).append(ev);
      } catch (err) {
        this.opts.logger?.error({ err: (err as Error).message, event_id: ev.id }, 'event journal write failed');
      }
      return;
    }
    const spill = this.queue.length >= this.maxQueue;
    try {
      this.journal.append(ev, spill);
    } catch (err) {
      // The one place an event could be lost: say so loudly (disk full, journal dir removed).
      this.opts.logger?.error({ err: (err as Error).message, event_id: ev.id }, 'event journal write failed');
      if (spill) return void this.opts.logger?.error({ event_id: ev.id }, 'event lost: the queue is full and the journal cannot be written');
    }
    if (spill) {
      if (this.spilled++ === 0 || this.spilled % 1000 === 0)
        this.opts.logger?.warn({ spilled: this.spilled, queue: this.queue.length }, 'event queue full: events wait in the on-disk journal');
    } else this.queue.push(ev);
    // While the store is failing, the backoff timer decides when to try again.
    if (this.failures) return;
    if (this.queue.length >= this.batchSize) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Store everything waiting so far. Resolves when done or when the store failed (events stay journaled). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing.then(() => (this.pending && !this.failures ? this.flush() : undefined));
    if (this.pending === 0) return Promise.resolve();
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private notify(events: readonly DecisionEvent[], last: number): void {
    if (this.listeners.size === 0) return;
    const first = last - events.length + 1;
    for (const fn of this.listeners) events.forEach((ev, i) => safeCall(fn, ev, first + i));
  }

  private async appendAll(store: EventStore, events: readonly DecisionEvent[]): Promise<void> {
    for (let done = 0; done < events.length; ) {
      const chunk = events.slice(done, done + this.batchSize);
      const last = await store.append(chunk);
      done += chunk.length;
      this.stored += chunk.length;
      this.notify(chunk, last);
    }
  }

  /** Stores the events of a journal file that are not stored yet; returns how many it stored. */
  private async replayFile(store: EventStore, file: string): Promise<number> {
    const events = Journal.read(file);
    let n = 0;
    for (let i = 0; i < events.length; i += this.batchSize) {
      const chunk = events.slice(i, i + this.batchSize);
      const have = await store.existingIds(chunk.map((e) => e.id));
      const missing = chunk.filter((e) => !have.has(e.id));
      await this.appendAll(store, missing);
      n += missing.length;
    }
    return n;
  }

  private async drain(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const seg = this.journal.rotate();
    try {
      const store = await this.ready();
      // Older files first (a failed batch, or events that only went to disk), then this batch.
      while (this.retained.length) {
        await this.replayFile(store, this.retained[0].file);
        this.retained.shift()!.close();
      }
      if (seg.spilled) await this.replayFile(store, seg.file);
      else await this.appendAll(store, batch);
      seg.close();
      this.failures = 0;
    } catch (err) {
      this.storeErrors++;
      this.failures++;
      // The file keeps every event of this batch; memory does not (so it stays bounded). Retry with backoff.
      this.retained.push(seg);
      const delay = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
      this.opts.logger?.warn({ err: (err as Error).message, pending: this.pending, retry_ms: delay }, 'event store write failed; events wait in the journal and will be retried');
      if (!this.closed) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, delay);
        this.timer.unref();
      }
    }
    if (this.pending && !this.failures && !this.timer) this.timer = setTimeout(() => void this.flush(), 0);
  }

  /** Flush and stop. Events that could not be stored stay in the journal for the next start. */
  async close(): Promise<void> {
    for (let i = 0; i < 3 && (this.pending || this.flushing); i++) {
      this.failures = 0;
      await this.flush();
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const s of this.retained.splice(0)) s.release();
    this.journal.close(this.queue.length + this.journal.spilled > 0);
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
