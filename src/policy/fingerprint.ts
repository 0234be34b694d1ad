/**
 * Keyed fingerprints of matched values. Findings and events carry these instead of the text, so equal
 * secrets can be correlated across events without being recoverable, and `include_metadata` markers
 * (`[REDACTED:email:3fa2c1]`) use them to tell distinct values apart. The key must outlive the process:
 * a marker that changed after a restart would change the redacted prefix of every conversation and break
 * provider prompt caching. So the key comes from KT_FINGERPRINT_KEY when set, else from
 * `<data_dir>/fingerprint.key` (32 random bytes, created once with mode 0600), and only without a data
 * dir (tests, one-off scans) is it random per process.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateKeyFile } from '../key-file.js';

export const FINGERPRINT_KEY_FILE = 'fingerprint.key';

let processKey: Buffer | undefined;
const fileKeys = new Map<string, Buffer>();

/** Reads `<dataDir>/fingerprint.key`, creating it (0600, exclusive, so concurrent starts agree) when missing. */
export function fingerprintKeyFile(file: string): Buffer {
  return readOrCreateKeyFile(file, (text) => {
    const hex = text.trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} does not hold a fingerprint key (64 hex characters)`);
    return Buffer.from(hex, 'hex');
  });
}

/** The gateway's key: KT_FINGERPRINT_KEY, else the data dir's key file, else random for this process. */
export function defaultFingerprintKey(dataDir?: string): Buffer {
  const env = process.env.KT_FINGERPRINT_KEY;
  if (env) return Buffer.from(env, 'utf8');
  if (dataDir) {
    let key = fileKeys.get(dataDir);
    if (!key) fileKeys.set(dataDir, (key = fingerprintKeyFile(join(dataDir, FINGERPRINT_KEY_FILE))));
    return key;
  }
  processKey ??= randomBytes(32);
  return processKey;
}

/**
 * The key as a lazy source for createFingerprinter: an explicit key, else defaultFingerprintKey(dataDir).
 * A data dir that cannot hold the key file (read-only, wrong owner) falls back to a per-process key with
 * a warning, rather than failing every request that has a finding.
 */
export function fingerprintKeySource(opts: { key?: Buffer; dataDir?: string; warn?: (m: string) => void }): Buffer | (() => Buffer) {
  if (opts.key) return opts.key;
  return () => {
    try {
      return defaultFingerprintKey(opts.dataDir);
    } catch (err) {
      opts.warn?.(`policy: cannot use ${join(opts.dataDir ?? '', FINGERPRINT_KEY_FILE)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); redaction markers with include_metadata change after a restart`);
      return defaultFingerprintKey();
    }
  };
}

export type Fingerprinter = (type: string, value: string) => string;

/**
 * `fp(type, value)` → 16 hex chars of HMAC-SHA256(key, type NUL value). A key function is called on the
 * first fingerprint only, so a key file is created when something is found, not at start-up.
 */
export function createFingerprinter(key: Buffer | (() => Buffer) = () => defaultFingerprintKey()): Fingerprinter {
  const cache = new Map<string, string>();
  let k: Buffer | undefined = typeof key === 'function' ? undefined : key;
  return (type, value) => {
    const id = type + '\0' + value;
    let fp = cache.get(id);
    if (fp === undefined) {
      k ??= (key as () => Buffer)();
      fp = createHmac('sha256', k).update(id).digest('hex').slice(0, 16);
      if (cache.size > 4096) cache.clear();
      cache.set(id, fp);
    }
    return fp;
  };
}
