/**
 * The keyed chain: someone with write access to the database but not the chain key cannot hide an
 * edit by recomputing hashes, cannot cut off the newest events, and cannot drop an old segment outside
 * retention. A store written before keying (plain SHA-256, version-3 schema) still verifies, as unkeyed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EventStore } from '../../src/audit/event-store.js';
import { openDb } from '../../src/audit/open-store.js';
import { openSqlite } from '../../src/audit/db/sqlite.js';
import { MIGRATIONS } from '../../src/audit/db/migrations.js';
import { GENESIS_HASH, plainHash } from '../../src/audit/chain.js';
import { toEvent } from '../../src/audit/event.js';
import { eventsVerify } from '../../src/audit/cli/events-cmd.js';
import type { ExitError } from '../../src/cli/exit.js';
import { makeExchange } from './exchange-fixture.js';
import { testPostgres, type TestPostgres } from '../helpers/postgres.js';

const DAY = 86_400_000;

/** What a tamperer with database access can do: recompute the old, unkeyed hashes from `fromSeq` on. */
async function recomputePlain(store: EventStore, fromSeq: number): Promise<void> {
  const segs = await store.db.query<{ table_name: string }>(`SELECT table_name FROM event_segments ORDER BY day ASC`);
  let prev = GENESIS_HASH;
  let last = { seq: 0, hash: GENESIS_HASH };
  for (const { table_name } of segs) {
    const rows = await store.db.query<{ seq: number; data: string; hash: string }>(`SELECT seq, data, hash FROM ${table_name} ORDER BY seq ASC`);
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq < fromSeq) {
        prev = r.hash;
        continue;
      }
      const hash = plainHash(prev, seq, r.data);
      await store.db.query(`UPDATE ${table_name} SET prev_hash = $1, hash = $2 WHERE seq = $3`, [prev, hash, seq]);
      prev = hash;
      last = { seq, hash };
    }
  }
  await store.db.query(`UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1`, [last.seq, last.hash]);
}

const newest = async (store: EventStore) =>
  (await store.db.query<{ table_name: string }>(`SELECT table_name FROM event_segments ORDER BY day DESC LIMIT 1`))[0].table_name;

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`keyed chain (${kind})`, () => {
    let dir: string;
    let pgt: TestPostgres | undefined;
    const open = async () => EventStore.open(await openDb(pgt ? { url: pgt.url, schema: pgt.schema } : {}, dir));
    let store: EventStore;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kt-chain-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    /** A new empty store (new file / schema; same data dir, so the same chain key), with `n` events. */
    const fresh = async (label: string, n = 5) => {
      if (store) await store.close();
      await pgt?.drop();
      rmSync(join(dir, 'events.db'), { force: true });
      rmSync(join(dir, 'events.db-wal'), { force: true });
      if (kind === 'postgres') pgt = await testPostgres(label);
      store = await open();
      if (n) await store.append(Array.from({ length: n }, () => toEvent(makeExchange())));
    };
    after(async () => {
      await store?.close();
      await pgt?.drop();
    });

    it('hashes are keyed; an edited row with the plain SHA-256 chain recomputed is still caught', async () => {
      await fresh('chain_edit');
      const [row] = await store.db.query<{ hash: string }>(`SELECT hash FROM ${await newest(store)} WHERE seq = 1`);
      assert.match(row.hash, /^h1:[0-9a-f]{8}:[0-9a-f]{64}$/);
      assert.equal((await store.verify()).ok, true);
      const t = await newest(store);
      await store.db.query(`UPDATE ${t} SET data = replace(data, '"verdict":"allow"', '"verdict":"block"'), verdict = 'block' WHERE seq = 3`);
      await recomputePlain(store, 3);
      const v = await store.verify();
      assert.equal(v.ok, false);
      assert.equal(v.break?.seq, 3);
      assert.equal(v.break?.reason, 'unkeyed_after_keyed');
      // Recomputing from the very first event is caught too: the chain records where keying started.
      await recomputePlain(store, 1);
      assert.deepEqual([(await store.verify()).break?.seq, (await store.verify()).break?.reason], [1, 'unkeyed_after_keyed']);
    });

    it('cutting off the newest events and moving the head back is caught by the head signature', async () => {
      await fresh('chain_cut');
      const t = await newest(store);
      await store.db.query(`DELETE FROM ${t} WHERE seq >= 4`);
      const [r3] = await store.db.query<{ hash: string }>(`SELECT hash FROM ${t} WHERE seq = 3`);
      await store.db.query(`UPDATE chain_head SET seq = 3, hash = $1 WHERE id = 1`, [r3.hash]);
      const v = await store.verify();
      assert.equal(v.break?.reason, 'head_signature');
      assert.equal(v.checked, 3);
    });

    it('retention leaves signed checkpoints; a segment dropped outside retention is caught, forged checkpoint or not', async () => {
      await fresh('chain_purge', 0);
      const now = Date.now();
      for (let d = 6; d >= 0; d--) await store.append([toEvent(makeExchange({ startedAt: now - d * DAY })), toEvent(makeExchange({ startedAt: now - d * DAY }))], now - d * DAY);
      assert.equal((await store.purge(4, now)).dropped.length, 2);
      let v = await store.verify();
      assert.equal(v.ok, true, JSON.stringify(v.break));
      assert.deepEqual([v.firstSeq, v.purged, v.checked], [5, 4, 10]);
      const cps = await store.db.query<{ sig: string | null }>(`SELECT sig FROM chain_checkpoints`);
      assert.ok(cps.length === 2 && cps.every((c) => /^[0-9a-f]{64}$/.test(c.sig ?? '')));

      // Drop the oldest kept segment by hand: a gap.
      const [oldest] = await store.db.query<{ day: string; table_name: string }>(`SELECT day, table_name FROM event_segments ORDER BY day ASC LIMIT 1`);
      const [range] = await store.db.query<{ hi: number }>(`SELECT MAX(seq) AS hi FROM ${oldest.table_name}`);
      const [last] = await store.db.query<{ hash: string }>(`SELECT hash FROM ${oldest.table_name} WHERE seq = $1`, [Number(range.hi)]);
      await store.db.query(`DROP TABLE ${oldest.table_name}`);
      await store.db.query(`DELETE FROM event_segments WHERE day = $1`, [oldest.day]);
      v = await store.verify();
      assert.equal(v.break?.reason, 'seq_gap');
      // …and a checkpoint forged to cover it (without the key) is caught as such.
      await store.db.query(`INSERT INTO chain_checkpoints (to_seq, from_seq, last_hash, segments, purged_at, sig) VALUES ($1, 5, $2, '[]', $3, $4)`, [
        Number(range.hi),
        last.hash,
        new Date().toISOString(),
        'f'.repeat(64),
      ]);
      v = await store.verify();
      assert.equal(v.break?.reason, 'checkpoint_signature');
      // Removing the newest checkpoint instead leaves a gap in the checkpoints' own sequence.
      await store.db.query(`DELETE FROM chain_checkpoints WHERE from_seq = 3`);
      v = await store.verify();
      assert.equal(v.break?.reason, 'checkpoint_gap');
    });

    it('a verifier with another chain key is told so, not that events were edited', async () => {
      await fresh('chain_other');
      const other = await EventStore.open(await openDb({ ...(pgt ? { url: pgt.url, schema: pgt.schema } : {}), chainKey: 'some-other-chain-key-000000000000' }, dir));
      const v = await other.verify();
      assert.equal(v.break?.reason, 'key_mismatch');
      assert.match(v.break!.detail, /KT_CHAIN_KEY/);
      assert.ok(other.warnings.some((w) => /keyed with chain key/.test(w)));
      await other.close();
    });
  });
}

describe('a store written before keying (schema version 3, plain SHA-256)', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-legacy-'));
    // Build the version-3 database the way an older kt left it: 4 events, the first 2 purged (anchor).
    const db = openSqlite({ path: join(dir, 'events.db') });
    await db.query(`CREATE TABLE kt_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
      for (const stmt of m.sql('sqlite')) await db.query(stmt);
      await db.query(`INSERT INTO kt_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
    }
    const t = 'events_20260101';
    await db.query(`CREATE TABLE ${t} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, ts INTEGER NOT NULL, verdict TEXT NOT NULL, outcome TEXT NOT NULL,
        user_id TEXT, team_id TEXT, project_id TEXT, key_id TEXT, client TEXT NOT NULL, model TEXT, cost_usd REAL,
        input_tokens INTEGER, output_tokens INTEGER, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
    await db.query(`INSERT INTO event_segments (day, table_name, first_seq, created_at) VALUES ('20260101', $1, 1, $2)`, [t, new Date().toISOString()]);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 4; seq++) {
      const ev = toEvent(makeExchange({ startedAt: Date.UTC(2026, 0, 1) }));
      const data = JSON.stringify(ev);
      const hash = plainHash(prev, seq, data);
      if (seq === 2) await db.query(`INSERT INTO chain_anchor (id, seq, hash, purged_at) VALUES (1, 2, $1, $2)`, [hash, new Date().toISOString()]);
      if (seq > 2)
        await db.query(
          `INSERT INTO ${t} (seq, id, ts, verdict, outcome, user_id, team_id, project_id, key_id, client, model, cost_usd, input_tokens, output_tokens, data, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL, NULL, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [seq, ev.id, Date.parse(ev.timestamp), ev.verdict, ev.outcome, ev.client, ev.model ?? null, ev.cost_usd, ev.input_tokens, ev.output_tokens, data, prev, hash],
        );
      prev = hash;
    }
    await db.query(`INSERT INTO chain_head (id, seq, hash, day) VALUES (1, 4, $1, '20260101')`, [prev]);
    await db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, verifies as unkeyed with a warning, and continues as a keyed chain', async () => {
    const store = await EventStore.open(await openDb({}, dir));
    let v = await store.verify();
    assert.equal(v.ok, true, JSON.stringify(v.break));
    assert.deepEqual([v.checked, v.keyed, v.unkeyed, v.purged, v.firstSeq], [2, 0, 2, 2, 3]);
    assert.ok(v.warnings.some((w) => /unkeyed/.test(w)));
    await store.append([toEvent(makeExchange()), toEvent(makeExchange())]);
    v = await store.verify();
    assert.equal(v.ok, true, JSON.stringify(v.break));
    assert.deepEqual([v.keyed, v.unkeyed], [2, 2]);
    await store.close();

    let out = '';
    let err = '';
    const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(c.toString()), cb()) });
    await eventsVerify({ dataDir: dir, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
    assert.match(out, /^ok: 4 events verified \(#3…#6\), 2 keyed and 2 unkeyed; 2 earlier events purged/);
    assert.match(err, /warning: .*unkeyed/);
    await assert.rejects(eventsVerify({ dataDir: dir, requireKeyed: true, stdout: sink(() => undefined), stderr: sink(() => undefined) }), (e: ExitError) => e.exitCode === 1);
  });
});
