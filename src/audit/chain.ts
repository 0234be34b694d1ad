/**
 * Tamper evidence: each stored event carries the hash of the one before it. The hash covers the exact
 * JSON text stored, so `verify` recomputes from what is on disk; editing, deleting or reordering a row
 * breaks the chain at that row. A retention purge records an anchor (the last purged hash) so the chain
 * stays verifiable from the oldest kept event.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(prevHash: string, seq: number, data: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(String(seq)).update('\n').update(data).digest('hex');
}

export interface ChainBreak {
  seq: number;
  id?: string;
  reason: 'hash_mismatch' | 'prev_mismatch' | 'seq_gap' | 'column_mismatch' | 'head_mismatch';
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstSeq?: number;
  lastSeq?: number;
  /** The first break in chain order; later rows are not reported. */
  break?: ChainBreak;
}
