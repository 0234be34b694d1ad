/**
 * Every proxied request and connection leaves a decision event, and a kt key never leaks: requests
 * relayed as is (GET /v1/models on an intercepted host, absolute-form plain HTTP) are recorded as
 * `dialect: passthrough` with the host; CONNECT tunnels, intercepted sessions and refusals as
 * `route: CONNECT` with host and bytes each way — never content — and `kt events tail/export` show them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { ProxyAgent, request } from 'undici';
import { eventsExport, eventsTail } from '../../src/audit/cli/events-cmd.js';
import { evidenceFor } from '../../src/audit/evidence.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { createCa } from '../../src/proxy/ca.js';
import { issueLeaf } from '../../src/proxy/leaf-cache.js';
import { connectVia, execCurl, startRig, type ProxyRig } from './helpers.js';

const KT_KEY_A = `kt_${'a'.repeat(48)}`;
const KT_KEY_B = `kt_${'b'.repeat(48)}`;

function capture(): { out: Writable; text(): string } {
  let s = '';
  return { out: new Writable({ write: (c, _e, cb) => ((s += c.toString()), cb()) }), text: () => s };
}

describe('forward proxy: passthrough safety and events for every request and tunnel', () => {
  let rig: ProxyRig;
  let echo: TlsServer;
  let echoPort: number;
  let plain: DemoServer;
  before(async () => {
    rig = await startRig();
    const ca = await createCa('echo CA');
    const leaf = await issueLeaf(ca, '127.0.0.1');
    echo = createTlsServer({ key: leaf.keyPem, cert: leaf.certPem }, (s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
    plain = await startDemoServer();
  });
  after(async () => {
    await new Promise((r) => echo?.close(r));
    await plain?.close();
    await rig?.close();
  });

  it('a kt key in Authorization / x-api-key is dropped on passthrough paths; the event names the host and owner', async () => {
    const { key } = await evidenceFor(rig.loaded.config).keys.create({ name: 'ide', userId: 'pt-user', teamId: 'pt-team' });
    const agent = new ProxyAgent({ uri: rig.gw.url, token: `Basic ${Buffer.from(`x:${key}`).toString('base64')}`, requestTls: { ca: rig.ktCa.certPem } });
    try {
      const before = rig.demo.requests.length;
      const res = await request('https://api.openai.com/v1/models?limit=5', {
        dispatcher: agent,
        headers: { authorization: `Bearer ${KT_KEY_A}`, 'x-api-key': KT_KEY_B, 'api-key': key, 'x-client-trace': 'keep-me', 'x-request-id': 'pt-models-1' },
      });
      assert.equal(res.statusCode, 200);
      const text = await res.body.text();
      assert.equal(JSON.parse(text).object, 'list');
      const got = rig.demo.requests[before];
      assert.equal(got.path, '/v1/models?limit=5');
      assert.equal(got.headers.authorization, undefined, 'a kt key in Authorization never goes upstream');
      assert.equal(got.headers['x-api-key'], undefined);
      assert.equal(got.headers['api-key'], undefined);
      assert.equal(got.headers['proxy-authorization'], undefined);
      assert.equal(got.headers['x-client-trace'], 'keep-me', 'other headers are relayed');
      for (const k of [KT_KEY_A, KT_KEY_B, key]) assert.ok(!JSON.stringify(got.headers).includes(k));

      // A provider key of the client's own still goes through.
      const own = await request('https://api.openai.com/v1/models', { dispatcher: agent, headers: { authorization: 'Bearer sk-client-own' } });
      await own.body.text();
      assert.equal(rig.demo.requests.at(-1)!.headers.authorization, 'Bearer sk-client-own');

      const ev = await rig.eventFor('pt-models-1');
      assert.ok(ev, 'the passthrough request has a decision event');
      assert.equal(ev.dialect, 'passthrough');
      assert.equal(ev.route, '/v1/models');
      assert.equal(ev.method, 'GET');
      assert.equal(ev.host, 'api.openai.com');
      assert.equal(ev.verdict, 'allow');
      assert.equal(ev.outcome, 'served');
      assert.equal(ev.status, 200);
      assert.equal(ev.via_proxy, true);
      assert.equal(ev.bytes_down, Buffer.byteLength(text));
      assert.equal(ev.auth, 'key');
      assert.equal(ev.user_id, 'pt-user');
      assert.equal(ev.cost_usd, null, 'nothing was inspected: cost unknown, not 0');
      assert.deepEqual(ev.policies, []);
      for (const k of [KT_KEY_A, KT_KEY_B, key, 'limit=5']) assert.ok(!JSON.stringify(ev).includes(k));
    } finally {
      await agent.close();
    }
  });

  it('an absolute-form request to a host kt does not intercept is recorded as passthrough', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: rig.gw.port, method: 'GET', path: `http://127.0.0.1:${plain.port}/v1/models?x=1`, headers: { host: `127.0.0.1:${plain.port}`, 'x-request-id': 'abs-pt-1' } },
        (res) => res.resume().on('end', () => resolve(res.statusCode!)),
      );
      req.on('error', reject).end();
    });
    assert.equal(status, 200);
    const ev = await rig.eventFor('abs-pt-1');
    assert.equal(ev?.dialect, 'passthrough');
    assert.equal(ev?.route, '/v1/models');
    assert.equal(ev?.host, `127.0.0.1:${plain.port}`);
    assert.ok((ev?.bytes_down ?? 0) > 0);
  });

  it('a CONNECT tunnel is a decision event (route CONNECT, host, bytes each way, no content) shown by kt events tail and export', async () => {
    const marker = `tunnel-content-${randomBytes(6).toString('hex')}`;
    const { status, socket } = await connectVia(rig.gw.port, `127.0.0.1:${echoPort}`, { 'x-request-id': 'tunnel-1', 'user-agent': 'curl/8.5.0' });
    assert.equal(status, 200);
    const tls = tlsConnect({ socket, rejectUnauthorized: false });
    await new Promise<void>((r, j) => tls.once('secureConnect', r).once('error', j));
    const sent = Buffer.concat([Buffer.from(marker), randomBytes(32 * 1024)]);
    let n = 0;
    const done = new Promise<void>((r) => tls.on('data', (c: Buffer) => (n += c.length) >= sent.length && r()));
    tls.write(sent);
    await done;
    const closed = new Promise((r) => socket.once('close', r));
    tls.end();
    await closed;

    const ev = await rig.eventFor('tunnel-1');
    assert.ok(ev, 'the tunnel has a decision event');
    assert.equal(ev.route, 'CONNECT');
    assert.equal(ev.dialect, 'tunnel');
    assert.equal(ev.method, 'CONNECT');
    assert.equal(ev.host, `127.0.0.1:${echoPort}`);
    assert.equal(ev.outcome, 'tunnelled');
    assert.equal(ev.client, 'curl');
    assert.equal(ev.provider, undefined);
    assert.equal(ev.model, undefined);
    assert.ok(ev.bytes_up! >= sent.length && ev.bytes_down! >= sent.length, JSON.stringify(ev));
    assert.ok(ev.latency_ms !== null && ev.latency_ms >= 0);
    assert.ok(!JSON.stringify(ev).includes(marker), 'no content');

    const tail = capture();
    await eventsTail({ dataDir: rig.dir, limit: '200', stdout: tail.out });
    const line = tail.text().split('\n').find((l) => l.includes(ev.id));
    assert.ok(line?.includes(`CONNECT 127.0.0.1:${echoPort}`), line);
    assert.match(line!, /tunnelled/);
    const csv = capture();
    await eventsExport({ dataDir: rig.dir, format: 'csv', stdout: csv.out });
    const [head, ...rows] = csv.text().trim().split('\n');
    const cols = head.split(',');
    const row = rows.find((r) => r.startsWith(`${ev.id},`))!.split(',');
    assert.equal(row[cols.indexOf('host')], `127.0.0.1:${echoPort}`);
    assert.equal(row[cols.indexOf('bytes_up')], String(ev.bytes_up));
    assert.equal(row[cols.indexOf('bytes_down')], String(ev.bytes_down));
  });

  it('an intercepted session, a 407 and a denied tunnel are recorded too', async () => {
    const r = await execCurl(['-sS', '-x', rig.gw.url, '--cacert', rig.ktCaFile, '-H', 'x-request-id: sess-req-1', 'https://api.openai.com/v1/models']);
    assert.equal(r.code, 0, r.stderr);
    const sessions = (await waitFor(() => rig.events(), (evs) => evs.some((e) => e.route === 'CONNECT' && e.outcome === 'intercepted'))).filter((e) => e.route === 'CONNECT' && e.outcome === 'intercepted');
    assert.equal(sessions.at(-1)!.host, 'api.openai.com:443');
    assert.ok(sessions.at(-1)!.bytes_down! > 0);

    const bad = await connectVia(rig.gw.port, 'api.openai.com:443', { 'proxy-authorization': `Basic ${Buffer.from(`x:${KT_KEY_A}`).toString('base64')}`, 'x-request-id': 'auth-407' });
    assert.equal(bad.status, 407);
    bad.socket.destroy();
    const e407 = await rig.eventFor('auth-407');
    assert.equal(e407?.outcome, 'refused');
    assert.equal(e407?.reason_code, 'unauthenticated');
    assert.equal(e407?.status, 407);
    assert.ok(!JSON.stringify(e407).includes(KT_KEY_A));

    try {
      await rig.reload('passthrough: deny');
      const denied = await connectVia(rig.gw.port, `127.0.0.1:${echoPort}`, { 'x-request-id': 'deny-1' });
      assert.equal(denied.status, 403);
      denied.socket.destroy();
      const ed = await rig.eventFor('deny-1');
      assert.equal(ed?.verdict, 'block');
      assert.equal(ed?.reason_code, 'proxy_denied');
      assert.equal(ed?.host, `127.0.0.1:${echoPort}`);
    } finally {
      await rig.reload('');
    }
  });
});

async function waitFor<T>(get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await get();
  for (let i = 0; i < 100 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 50));
    v = await get();
  }
  return v;
}
