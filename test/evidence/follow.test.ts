/**
 * `kt events tail --follow` reads the running gateway's live stream (`/keeptrusts/events/stream`),
 * with the same filters as the first page, and the access key in keys mode.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import { eventsTail } from '../../src/audit/cli/events-cmd.js';
import type { ExitError } from '../../src/cli/exit.js';
import { load, post } from './gateway-fixture.js';

function capture() {
  let s = '';
  return { out: new Writable({ write: (c, _e, cb) => ((s += c.toString()), cb()) }), text: () => s };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
}

const config = (dir: string, mode: string) =>
  load(`
pack: { name: follow, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers: { targets: [{ id: demo, provider: demo }] }
gateway: { data_dir: ${JSON.stringify(dir)}, auth: { mode: ${mode} } }
`);

describe('kt events tail --follow from the running gateway', () => {
  let dir: string;
  let gw: Gateway;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-follow-'));
    gw = await startGateway({ loaded: config(dir, 'none'), listen: '127.0.0.1:0', logger: false });
  });
  after(async () => {
    await gw.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints new events from the live stream, filtered like the first page', async () => {
    const out = capture();
    const err = capture();
    const ac = new AbortController();
    // Polling every minute could not show the events in time: what arrives comes from the stream.
    const following = eventsTail({ dataDir: dir, follow: true, url: gw.url, verdict: 'block', json: true, intervalMs: 60_000, signal: ac.signal, stdout: out.out, stderr: err.out });
    await new Promise((r) => setTimeout(r, 150));
    await post(`${gw.url}/v1/chat/completions`, { model: 'demo', messages: [{ role: 'user', content: 'fine' }] }, { 'x-request-id': 'live-allowed' });
    const bad = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'live-blocked' }, body: '{' });
    assert.equal(bad.status, 400);
    await until(() => out.text().includes('live-blocked'));
    ac.abort();
    await following;
    assert.ok(out.text().includes('live-blocked'));
    assert.ok(!out.text().includes('live-allowed'), '--verdict block applies to the live events too');
    assert.equal(err.text(), '', 'no fallback');
  });
});

describe('kt events tail --follow in keys mode', () => {
  let dir: string;
  let gw: Gateway;
  let admin: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-follow-keys-'));
    const loaded = config(dir, 'keys');
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false });
    admin = (await evidenceFor(loaded.config).keys.create({ name: 'ops', roles: ['admin'] })).key;
  });
  after(async () => {
    await gw.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a key the gateway refuses and the command says how to pass one', async () => {
    const saved = process.env.KT_KEY;
    delete process.env.KT_KEY;
    try {
      await assert.rejects(eventsTail({ dataDir: dir, follow: true, url: gw.url, stdout: capture().out, stderr: capture().out }), (e: ExitError) => {
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /refused the event stream \(401\).*--key kt_… or KT_KEY/);
        return true;
      });
    } finally {
      if (saved !== undefined) process.env.KT_KEY = saved;
    }
  });

  it('with KT_KEY set to an admin key it follows', async () => {
    const out = capture();
    const ac = new AbortController();
    process.env.KT_KEY = admin;
    try {
      const following = eventsTail({ dataDir: dir, follow: true, url: gw.url, json: true, intervalMs: 60_000, signal: ac.signal, stdout: out.out, stderr: capture().out });
      await new Promise((r) => setTimeout(r, 150));
      await post(`${gw.url}/v1/chat/completions`, { model: 'demo', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${admin}`, 'x-request-id': 'keyed-live' });
      await until(() => out.text().includes('keyed-live'));
      ac.abort();
      await following;
      assert.ok(out.text().includes('keyed-live'));
    } finally {
      delete process.env.KT_KEY;
    }
  });
});
