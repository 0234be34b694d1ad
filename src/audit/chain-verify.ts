/**
 * `kt events verify`: walks the chain from the last retention checkpoint to the head and reports the
 * first break. Keyed rows are checked with the chain key (HMAC); legacy rows (plain SHA-256, written
 * before keying) are accepted only before the first keyed row and counted as unkeyed, with a warning.
 * The signed checkpoints, chain start (`chain_meta`) and head catch removals an editor could otherwise
 * hide by recomputing hashes: newest rows cut off, or an old segment dropped outside retention.
 */
import type { Db } from './db/types.js';
import {
  checkpointSignature,
  GENESIS_HASH,
  hashKid,
  headSignature,
  keyedHash,
  metaSignature,
  plainHash,
  type ChainBreak,
  type ChainKey,
  type Checkpoint,
  type VerifyResult,
} from './chain.js';
import type { DecisionEvent } from './event.js';
import { COLUMNS, columnValues, sameValue, type SegmentRow } from './event-columns.js';

interface EventRow {
  seq: number;
  data: string;
  prev_hash: string;
  hash: string;
  [k: string]: unknown;
}

export async function verifyChain(db: Db, key: ChainKey, segments: SegmentRow[]): Promise<VerifyResult> {
  const warnings: string[] = [];
  let checked = 0;
  let keyed = 0;
  let unkeyed = 0;
  let purged = 0;
  let firstSeq: number | undefined;
  let expectSeq = 1;
  let prev = GENESIS_HASH;
  const result = (b?: ChainBreak): VerifyResult => ({
    ok: !b,
    checked,
    firstSeq,
    lastSeq: expectSeq - 1,
    keyed,
    unkeyed,
    kid: key.kid,
    purged,
    warnings,
    ...(b ? { break: b } : {}),
  });

  const [meta] = await db.query<{ kid: string; keyed_from_seq: number; sig: string }>(`SELECT kid, keyed_from_seq, sig FROM chain_meta WHERE id = 1`);
  const keyedFrom = meta ? Number(meta.keyed_from_seq) : undefined;
  if (meta) {
    if (meta.kid !== key.kid)
      return result({ seq: keyedFrom!, reason: 'key_mismatch', detail: `this store's chain is keyed with key ${meta.kid}, but the verifier holds key ${key.kid} (${key.source}); set KT_CHAIN_KEY (or store.chain_key_file) to the gateway's chain key` });
    if (metaSignature(key, meta.kid, keyedFrom!) !== meta.sig)
      return result({ seq: keyedFrom!, reason: 'meta_signature', detail: 'the record of where the keyed chain starts was altered' });
  }

  // Retention checkpoints: contiguous from #1, each signed; the chain resumes after the last one.
  const cps = await db.query<Checkpoint & { sig: string | null }>(`SELECT to_seq, from_seq, last_hash, segments, purged_at, sig FROM chain_checkpoints ORDER BY to_seq ASC`);
  for (const raw of cps) {
    const c: Checkpoint = { from_seq: Number(raw.from_seq), to_seq: Number(raw.to_seq), last_hash: raw.last_hash, segments: raw.segments, purged_at: raw.purged_at };
    if (c.from_seq !== expectSeq)
      return result({ seq: expectSeq, reason: 'checkpoint_gap', detail: `the retention checkpoints skip events #${expectSeq}…#${c.from_seq - 1} (removed outside retention)` });
    if (raw.sig === null) {
      if (keyedFrom !== undefined && c.to_seq >= keyedFrom)
        return result({ seq: c.from_seq, reason: 'checkpoint_signature', detail: `the retention checkpoint for events #${c.from_seq}…#${c.to_seq} is not signed, though they were keyed` });
      warnings.push(`events #${c.from_seq}…#${c.to_seq} were purged before the chain was keyed; their checkpoint is unsigned`);
    } else if (checkpointSignature(key, c) !== raw.sig) {
      return result({ seq: c.from_seq, reason: 'checkpoint_signature', detail: `the retention checkpoint for events #${c.from_seq}…#${c.to_seq} was altered or forged` });
    }
    purged += c.to_seq - c.from_seq + 1;
    expectSeq = c.to_seq + 1;
    prev = c.last_hash;
  }

  let seenKeyed = false;
  for (const seg of segments) {
    let after = 0;
    for (;;) {
      const rows = await db.query<EventRow>(
        `SELECT seq, ${COLUMNS.join(', ')}, data, prev_hash, hash FROM ${seg.table_name} WHERE seq > $1 ORDER BY seq ASC LIMIT 2000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const seq = Number(r.seq);
        const id = String(r.id);
        firstSeq ??= seq;
        if (seq !== expectSeq) return result({ seq: expectSeq, reason: 'seq_gap', detail: `expected event #${expectSeq}, found #${seq} (rows missing)` });
        if (r.prev_hash !== prev) return result({ seq, id, reason: 'prev_mismatch', detail: `event #${seq} does not link to the event before it` });
        const kid = hashKid(r.hash);
        if (kid !== undefined) {
          if (kid !== key.kid)
            return result({ seq, id, reason: 'key_mismatch', detail: `event #${seq} was written with chain key ${kid}, not ${key.kid} (${key.source}); every instance must share one key (KT_CHAIN_KEY)` });
          if (keyedHash(key, prev, seq, r.data) !== r.hash) return result({ seq, id, reason: 'hash_mismatch', detail: `event #${seq} was modified after it was written` });
          seenKeyed = true;
          keyed++;
        } else {
          if (seenKeyed || (keyedFrom !== undefined && seq >= keyedFrom))
            return result({ seq, id, reason: 'unkeyed_after_keyed', detail: `event #${seq} has an unkeyed hash inside the keyed chain: it was modified and the chain recomputed without the key` });
          if (plainHash(prev, seq, r.data) !== r.hash) return result({ seq, id, reason: 'hash_mismatch', detail: `event #${seq} was modified after it was written` });
          unkeyed++;
        }
        let ev: DecisionEvent;
        try {
          ev = JSON.parse(r.data) as DecisionEvent;
        } catch {
          return result({ seq, id, reason: 'hash_mismatch', detail: `event #${seq} is not valid JSON` });
        }
        const want = columnValues(ev);
        const bad = COLUMNS.find((c, i) => !sameValue(r[c], want[i]));
        if (bad) return result({ seq, id, reason: 'column_mismatch', detail: `event #${seq}: column ${bad} differs from the signed record` });
        prev = r.hash;
        expectSeq = seq + 1;
        checked++;
        after = seq;
      }
    }
  }

  const [head] = await db.query<{ seq: number; hash: string; sig: string | null }>(`SELECT seq, hash, sig FROM chain_head WHERE id = 1`);
  const headSeq = Number(head.seq);
  if (headSeq !== expectSeq - 1 || head.hash !== prev)
    return result({ seq: expectSeq, reason: 'head_mismatch', detail: `chain head is #${headSeq} but the stored events end at #${expectSeq - 1} (events removed at the end)` });
  if (seenKeyed || keyedFrom !== undefined) {
    if (head.sig !== headSignature(key, headSeq, head.hash))
      return result({ seq: headSeq, reason: 'head_signature', detail: `the chain head (#${headSeq}) is not signed by the chain key: the newest events were removed or the head was rewritten` });
  }
  if (unkeyed) warnings.push(`${unkeyed} events have unkeyed (plain SHA-256) hashes, written before the chain was keyed: an edit to them that also recomputes the hashes is not detectable`);
  return result();
}
