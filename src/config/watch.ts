/**
 * Debounced change notification for config files. Editors often save by writing a temp file and
 * renaming it over the original, which detaches an fs.watch on the file itself; so we watch each
 * file's directory instead, which survives rename-on-save, delete-and-recreate and in-place writes.
 * Kubernetes ConfigMap volumes swap a `..data` symlink rather than touching the file name, so events on
 * `..`-prefixed names count too. After the quiet period the files' contents are hashed and onChange
 * fires only when they differ from the last seen state (a `touch` or a no-op save reloads nothing).
 * The gateway core validates and swaps; this only says "something changed".
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

export interface WatchOptions {
  /** Quiet period before the files are compared (default 150 ms): one save emits several events. */
  debounceMs?: number;
}

async function fingerprint(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    try {
      h.update(await readFile(f)).update('\0');
    } catch {
      // Missing mid-save: compare again on the next event; the gateway keeps its config meanwhile.
      h.update('\u0001missing\0');
    }
  }
  return h.digest('hex');
}

/** Returns a function that stops watching. */
export function watchConfigFiles(files: string[], onChange: () => void, opts: WatchOptions = {}): () => void {
  const debounceMs = opts.debounceMs ?? 150;
  const abs = files.map((x) => resolve(x));
  const byDir = new Map<string, Set<string>>();
  for (const f of abs) {
    const dir = dirname(f);
    if (!byDir.has(dir)) byDir.set(dir, new Set());
    byDir.get(dir)!.add(basename(f));
  }
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let last: Promise<string> = fingerprint(abs);
  const check = (): void => {
    last = last.then(async (prev) => {
      const now = await fingerprint(abs);
      if (now !== prev && !closed) onChange();
      return now;
    });
  };
  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    const w = watch(dir, { persistent: false }, (_event, name) => {
      // Some platforms omit the name; then any change in the directory is checked.
      const n = name === null ? null : basename(String(name));
      if (n === null || names.has(n) || n.startsWith('..')) schedule();
    });
    // A watcher error (directory removed) must not crash the gateway; the config stays as loaded.
    w.on('error', () => undefined);
    watchers.push(w);
  }
  return () => {
    closed = true;
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
