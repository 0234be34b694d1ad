/**
 * On-disk write-ahead journal for events not yet committed to the store. `append` is one synchronous
 * write(2) of an NDJSON line: once it returns, the event survives a `kill -9` (the kernel owns the
 * bytes). Each flush rotates to a fresh file and deletes the old one after the store committed it,
 * so the journal stays small. Files carry the writer's pid; on start, files of dead processes are
 * replayed (see sink.ts) — several gateways may share one data dir.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { eventJson, type DecisionEvent } from './event.js';

export interface JournalSegment {
  file: string;
  /** Events appended to this file. */
  count: number;
  /** Of those, events that were not queued in memory (the queue was full): only the file has them. */
  spilled: number;
  /** Everything in it is stored: close and delete the file. */
  close(): void;
  /** Close but keep the file, for the next start to replay. */
  release(): void;
}

/** Files this process is writing now; anything else with our pid is left from an earlier process. */
const live = new Set<string>();
let seqNo = 0;

export class Journal {
  private fd: number;
  private file: string;
  /** Events in the current file, and how many of them were spilled (not queued in memory). */
  count = 0;
  spilled = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    [this.fd, this.file] = this.openNext();
  }

  private openNext(): [number, string] {
    const file = join(this.dir, `journal-${process.pid}-${Date.now()}-${seqNo++}.ndjson`);
    live.add(file);
    return [openSync(file, 'a', 0o600), file];
  }

  append(ev: DecisionEvent, spilled = false): void {
    writeSync(this.fd, eventJson(ev) + '\n');
    this.count++;
    if (spilled) this.spilled++;
  }

  /** Start a new file for what comes next; the returned segment is deleted once its events are stored. */
  rotate(): JournalSegment {
    const fd = this.fd;
    const file = this.file;
    const { count, spilled } = this;
    [this.fd, this.file] = this.openNext();
    this.count = 0;
    this.spilled = 0;
    let open = true;
    const release = (unlink: boolean) => {
      if (!open) return;
      open = false;
      closeSync(fd);
      live.delete(file);
      if (!unlink) return;
      try {
        unlinkSync(file);
      } catch {
        /* already gone */
      }
    };
    return { file, count, spilled, close: () => release(true), release: () => release(false) };
  }

  /** Close the current file: deleted when everything in it is stored, else kept for the next start. */
  close(keep = false): void {
    closeSync(this.fd);
    live.delete(this.file);
    if (keep) return;
    try {
      unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }

  /** Journal files left behind by processes that are no longer running. */
  static orphans(dir: string): string[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => /^journal-\d+-\d+-\d+\.ndjson$/.test(n))
      .filter((n) => !live.has(join(dir, n)) && !isAlive(Number(n.split('-')[1])))
      .sort((a, b) => {
        const [, , ta, na] = a.replace('.ndjson', '').split('-').map(Number);
        const [, , tb, nb] = b.replace('.ndjson', '').split('-').map(Number);
        return ta - tb || na - nb;
      })
      .map((n) => join(dir, n));
  }

  /** Parse a journal file; a torn last line (crash mid-write) is skipped. */
  static read(file: string): DecisionEvent[] {
    const out: DecisionEvent[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as DecisionEvent);
      } catch {
        /* torn write */
      }
    }
    return out;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own files from a previous life in the same pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
