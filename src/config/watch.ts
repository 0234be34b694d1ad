/**
 * Debounced change notification for config files. Editors often save by writing a temp file and
 * renaming it over the original, which detaches an fs.watch on the file itself; so we watch each
 * file's directory and filter by name, which survives rename-on-save, delete-and-recreate and
 * in-place writes alike. The gateway core validates and swaps; this only says "something changed".
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface WatchOptions {
  /** Quiet period before onChange fires (default 150 ms): one save emits several events. */
  debounceMs?: number;
}

/** Returns a function that stops watching. */
export function watchConfigFiles(files: string[], onChange: () => void, opts: WatchOptions = {}): () => void {
  const debounceMs = opts.debounceMs ?? 150;
  const byDir = new Map<string, Set<string>>();
  for (const f of files.map((x) => resolve(x))) {
    const dir = dirname(f);
    if (!byDir.has(dir)) byDir.set(dir, new Set());
    byDir.get(dir)!.add(basename(f));
  }
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    const w = watch(dir, { persistent: false }, (_event, name) => {
      // Some platforms omit the name; then any change in the directory counts.
      if (name === null || names.has(basename(String(name)))) fire();
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
