/**
 * Tamper evidence: each stored event carries the hash of the one before it, over the exact JSON text
 * stored, so `verify` recomputes from what is on disk. Hashes are keyed (HMAC-SHA-256 with the chain
 * key, `h1:<kid>:<hex>`), so someone who can write the database but does not hold the key cannot
 * recompute the chain after an edit. The chain head, the chain's start (`chain_meta`) and every
 * retention checkpoint are signed with the same key, so removing the newest events or an old segment
 * is detected too. Chains written before keying (plain SHA-256, 64 hex) still verify, as "unkeyed".
 */
import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateKeyFile } from '../key-file.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainKey {
  /** Short public id of the key (first 8 hex of a hash of it), stored in every keyed hash. */
  kid: string;
  key: Buffer;
  /** Where it came from, for messages (never the key). */
  source: string;
}

export function chainKeyOf(secret: string | Buffer, source: string): ChainKey {
  const key = Buffer.isBuffer(secret) ? secret : Buffer.from(secret.trim(), 'utf8');
  if (key.length < 16) throw new Error(`the chain key from ${source} is too short (at least 16 bytes)`);
  const kid = createHash('sha256').update('kt-chain-kid\n').update(key).digest('hex').slice(0, 8);
  return { kid, key, source };
}

/**
 * Reads the chain key from a file, creating it (32 random bytes as hex, mode 0600) when missing.
 * Several processes may race to create it: the loser reads what the winner wrote.
 */
export function chainKeyFile(file: string): ChainKey {
  return readOrCreateKeyFile(file, (text) => chainKeyOf(text, file));
}

export interface ChainKeySource {
  /** The secret itself (`KT_CHAIN_KEY`, or `store.chain_key_env`). */
  secret?: string;
  /** A file holding it (`store.chain_key_file`); created when missing. */
  file?: string;
  /** Default: `<data_dir>/chain.key`. */
  dataDir: string;
}

export function resolveChainKey(s: ChainKeySource): ChainKey {
  if (s.secret) return chainKeyOf(s.secret, 'KT_CHAIN_KEY');
  return chainKeyFile(s.file ?? join(s.dataDir, 'chain.key'));
}

const hmac = (k: ChainKey, ...parts: (string | number)[]): string => {
  const h = createHmac('sha256', k.key);
  parts.forEach((p, i) => (i ? h.update('\n').update(String(p)) : h.update(String(p))));
  return h.digest('hex');
};

/** Unkeyed (legacy) link hash: sha256(prev \n seq \n data). */
export function plainHash(prevHash: string, seq: number, data: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(String(seq)).update('\n').update(data).digest('hex');
}

export function keyedHash(k: ChainKey, prevHash: string, seq: number, data: string): string {
  return `h1:${k.kid}:${hmac(k, prevHash, seq, data)}`;
}

/** `{kid}` of a keyed hash, undefined for a legacy one. */
export function hashKid(hash: string): string | undefined {
  const m = /^h1:([0-9a-f]{8}):[0-9a-f]{64}$/.exec(hash);
  return m ? m[1] : undefined;
}

export const headSignature = (k: ChainKey, seq: number, hash: string): string => hmac(k, 'head', seq, hash);
export const metaSignature = (k: ChainKey, kid: string, keyedFromSeq: number): string => hmac(k, 'meta', kid, keyedFromSeq);

export interface Checkpoint {
  from_seq: number;
  to_seq: number;
  last_hash: string;
  segments: string;
  purged_at: string;
}
export const checkpointSignature = (k: ChainKey, c: Checkpoint): string => hmac(k, 'checkpoint', c.from_seq, c.to_seq, c.last_hash, c.segments, c.purged_at);

export interface ChainBreak {
  seq: number;
  id?: string;
  reason:
    | 'hash_mismatch'
    | 'prev_mismatch'
    | 'seq_gap'
    | 'column_mismatch'
    | 'head_mismatch'
    | 'head_signature'
    | 'unkeyed_after_keyed'
    | 'key_mismatch'
    | 'meta_signature'
    | 'checkpoint_signature'
    | 'checkpoint_gap';
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstSeq?: number;
  lastSeq?: number;
  /** Events with keyed (HMAC) hashes, and legacy ones with plain SHA-256 hashes. */
  keyed: number;
  unkeyed: number;
  /** The key id the verifier used. */
  kid?: string;
  /** Events purged by retention, as recorded by the (signed) checkpoints. */
  purged: number;
  warnings: string[];
  /** The first break in chain order; later rows are not reported. */
  break?: ChainBreak;
}
