/**
 * Keyed fingerprints of matched values. Findings and events carry these instead of the text, so equal
 * secrets can be correlated across events without being recoverable. The key is per gateway: from
 * KT_FINGERPRINT_KEY when set (stable across restarts, so placeholders stay prefix-stable), else random
 * per process.
 */
import { createHmac, randomBytes } from 'node:crypto';

let processKey: Buffer | undefined;

export function defaultFingerprintKey(): Buffer {
  if (!processKey) {
    const env = process.env.KT_FINGERPRINT_KEY;
    processKey = env ? Buffer.from(env, 'utf8') : randomBytes(32);
  }
  return processKey;
}

export type Fingerprinter = (type: string, value: string) => string;

/** `fp(type, value)` → 16 hex chars of HMAC-SHA256(key, type NUL value). */
export function createFingerprinter(key: Buffer = defaultFingerprintKey()): Fingerprinter {
  const cache = new Map<string, string>();
  return (type, value) => {
    const k = type + '\0' + value;
    let fp = cache.get(k);
    if (fp === undefined) {
      fp = createHmac('sha256', key).update(k).digest('hex').slice(0, 16);
      if (cache.size > 4096) cache.clear();
      cache.set(k, fp);
    }
    return fp;
  };
}
