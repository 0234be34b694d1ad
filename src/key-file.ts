/**
 * Keys that must outlive the process (the event chain's HMAC key, the fingerprint key) live in small
 * files under the data dir. They are created on first use with 32 random bytes as hex, mode 0600 in a
 * 0700 directory. Several processes may start at once: creation is exclusive (`wx`), and the loser of
 * the race reads what the winner wrote, so they all agree on one key.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads `file` through `parse`, creating it first when it does not exist. */
export function readOrCreateKeyFile<T>(file: string, parse: (text: string) => T): T {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parse(readFileSync(file, 'utf8'));
}
