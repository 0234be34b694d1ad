/**
 * Forward-proxy mode end to end: curl and undici's ProxyAgent reach "api.openai.com" through kt
 * (CONNECT, TLS terminated with a leaf from the kt CA), the request is governed (a seeded secret
 * arrives redacted, a decision event is recorded) and forwarded over verified TLS to a local HTTPS
 * demo server holding a certificate for that name from a separate test CA. Other hosts are tunnelled
 * byte-for-byte or refused; plain-HTTP absolute-form requests work; Proxy-Authorization gives identity.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { buildConnector, ProxyAgent, request } from 'undici';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import type { DecisionEvent } from '../../src/audit/event.js';
import { parseConfigText, type LoadedConfig } from '../../src/config/index.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { createCa } from '../../src/proxy/ca.js';
import { createForwardProxy, type ForwardProxy } from '../../src/proxy/forward-proxy.js';
import { issueLeaf } from '../../src/proxy/leaf-cache.js';
import type { TunnelRecord } from '../../src/proxy/tunnel.js';
import { connectVia, execCurl } from './helpers.js';

// A fake, realistically shaped credential (never a real one).
const SECRET = 'AKIAZ7Q4XW2MB3KT9PLD';
const chatBody = (content: string, stream = false) => JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content }] });

function load(yaml: string): LoadedConfig {
  const { config, diagnostics } = parseConfigText(yaml, 'proxy-test.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length) throw new Error(JSON.stringify(errors));
  return { config, version: 'proxytest', files: [], warnings: [] };
}

const configYaml = (dir: string, passthrough: 'allow' | 'deny') => `
pack: { name: proxytest, version: 1.0.0, enabled: true }
policies: { chain: [code-sanitation] }
policy:
  code-sanitation: { block_on_match: false }
providers:
  targets:
    - { id: demo, provider: demo }
gateway:
  data_dir: ${JSON.stringify(dir)}
proxy:
  passthrough: ${passthrough}
`;

function absolute(proxyPort: number, method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, method, path: url, headers: { host: new URL(url).host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('forward proxy with local TLS termination', () => {
  let dir: string;
  let caFile: string;
  let ktCaPem: string;
  let upstreamCaPem: string;
  let tlsDemo: DemoServer;
  let plainDemo: DemoServer;
  let echo: TlsServer;
  let echoPort: number;
  let gw: Gateway;
  let proxy: ForwardProxy;
  let loaded: LoadedConfig;
  const records: TunnelRecord[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-proxy-'));
    const ktCa = await createCa('kt proxy test CA');
    ktCaPem = ktCa.certPem;
    caFile = join(dir, 'kt-ca.pem');
    writeFileSync(caFile, ktCaPem);

    // The "real" provider: an HTTPS demo server whose certificate for api.openai.com comes from a CA
    // only the gateway's upstream connector trusts.
    const upstreamCa = await createCa('upstream test CA');
    upstreamCaPem = upstreamCa.certPem;
    const leaf = await issueLeaf(upstreamCa, 'api.openai.com');
    tlsDemo = await startDemoServer({ tls: { key: leaf.keyPem, cert: leaf.certPem } });
    plainDemo = await startDemoServer();

    // A TLS echo server kt does not intercept: its own certificate (IP SAN), from the upstream CA.
    const echoLeaf = await issueLeaf(upstreamCa, '127.0.0.1');
    echo = createTlsServer({ key: echoLeaf.keyPem, cert: echoLeaf.certPem }, (s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;

    // The gateway's own upstream resolver: api.openai.com → the local demo servers, TLS verified
    // against the upstream CA under the real name.
    const base = buildConnector({ ca: upstreamCaPem });
    const connector: buildConnector.connector = (o, cb) => {
      if (o.hostname !== 'api.openai.com') return base(o, cb);
      const port = String(o.protocol === 'https:' ? tlsDemo.port : plainDemo.port);
      return base({ ...o, hostname: '127.0.0.1', port, servername: 'api.openai.com' }, cb);
    };

    loaded = load(configYaml(dir, 'allow'));
    proxy = createForwardProxy({ ca: ktCa, onRecord: (r) => records.push(r) });
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false, upstream: { connect: connector }, ...proxy.gatewayOptions });
  });

  after(async () => {
    await Promise.all([proxy?.close(), gw?.close()]);
    await Promise.all([tlsDemo?.close(), plainDemo?.close(), new Promise((r) => echo?.close(r))]);
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  const eventFor = async (requestId: string): Promise<DecisionEvent | undefined> => {
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    const rows = await (await ev.store).query({ limit: 1000, order: 'asc' });
    return rows.map((r) => r.event).find((e) => e.request_id === requestId);
  };

  it('curl through the proxy is governed: the secret arrives redacted upstream and an event is recorded', async () => {
    const before = tlsDemo.requests.length;
    const r = await execCurl([
      '-sS', '-x', gw.url, '--cacert', caFile,
      '-H', 'content-type: application/json', '-H', 'authorization: Bearer sk-client-own', '-H', 'x-request-id: curl-1',
      '--data-binary', chatBody(`deploy with AWS_ACCESS_KEY_ID=${SECRET} please`),
      'https://api.openai.com/v1/chat/completions',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.object, 'chat.completion');
    assert.ok(!r.stdout.includes(SECRET));
    const got = tlsDemo.requests[before];
    assert.ok(got, 'the request reached the HTTPS upstream');
    assert.equal(got.path, '/v1/chat/completions');
    assert.equal(got.headers.host, 'api.openai.com');
    assert.equal(got.headers.authorization, 'Bearer sk-client-own', "the client's own provider key goes through");
    assert.ok(!got.rawBody.toString().includes(SECRET), 'the secret never reaches the provider');
    assert.match(got.rawBody.toString(), /REDACTED/);
    const ev = await eventFor('curl-1');
    assert.ok(ev, 'a decision event is recorded');
    assert.equal(ev.via_proxy, true);
    assert.equal(ev.client, 'curl');
    assert.equal(ev.outcome, 'served');
    assert.ok(!JSON.stringify(ev).includes(SECRET));
  });

  it('undici ProxyAgent with the CA trusted streams a governed answer; leaves are cached per host', async () => {
    const agent = new ProxyAgent({ uri: gw.url, requestTls: { ca: ktCaPem } });
    try {
      const before = tlsDemo.requests.length;
      const res = await request('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-own', 'x-request-id': 'undici-1' },
        body: chatBody(`my key is ${SECRET}`, true),
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/event-stream/);
      const text = await res.body.text();
      assert.match(text, /data: \[DONE\]\n\n$/);
      assert.ok(!text.includes(SECRET));
      assert.ok(!tlsDemo.requests[before].rawBody.toString().includes(SECRET));
      const ev = await eventFor('undici-1');
      assert.equal(ev?.stream, true);
      assert.equal(ev?.via_proxy, true);

      // A second request on the same agent (keep-alive through the tunnel) needs no new leaf.
      const again = await request('https://api.openai.com/v1/models', { dispatcher: agent, headers: { authorization: 'Bearer sk-client-own' } });
      assert.equal(again.statusCode, 200);
      await again.body.text();
      assert.equal(proxy.minted(), 1);
    } finally {
      await agent.close();
    }
  });

  it('a client that does not trust the kt CA refuses the connection (real TLS)', async () => {
    const agent = new ProxyAgent({ uri: gw.url, requestTls: { ca: upstreamCaPem } });
    try {
      const before = tlsDemo.requests.length;
      await assert.rejects(
        request('https://api.openai.com/v1/chat/completions', { method: 'POST', dispatcher: agent, body: chatBody('hi') }),
        (err: Error & { code?: string; cause?: { code?: string } }) => /CERT|SIGNATURE|ISSUER/.test(`${err.code} ${err.cause?.code} ${err.message}`),
      );
      assert.equal(tlsDemo.requests.length, before, 'nothing reached the provider');
    } finally {
      await agent.close();
    }
    const r = await execCurl(['-sS', '-x', gw.url, 'https://api.openai.com/v1/models']);
    assert.equal(r.code, 60, `curl without --cacert fails certificate verification: ${r.stderr}`);
  });

  it('a non-intercepted host is tunnelled byte-for-byte, with its own certificate, and recorded without content', async () => {
    const { status, socket } = await connectVia(gw.port, `127.0.0.1:${echoPort}`);
    assert.equal(status, 200);
    const tls = tlsConnect({ socket, ca: upstreamCaPem, host: '127.0.0.1' });
    await new Promise<void>((r, j) => tls.once('secureConnect', r).once('error', j));
    assert.match(String(tls.getPeerCertificate().issuer.CN), /upstream test CA/, 'the echo server itself answered, not kt');
    const sent = randomBytes(96 * 1024);
    const received: Buffer[] = [];
    let n = 0;
    const done = new Promise<void>((r) =>
      tls.on('data', (c: Buffer) => {
        received.push(c);
        n += c.length;
        if (n >= sent.length) r();
      }),
    );
    tls.write(sent);
    await done;
    assert.ok(Buffer.concat(received).equals(sent));
    const closed = new Promise((r) => socket.once('close', r));
    tls.end();
    await closed;
    await new Promise((r) => setTimeout(r, 50));
    const rec = records.find((x) => x.kind === 'tunnel' && x.port === echoPort);
    assert.ok(rec, 'the tunnel is recorded');
    assert.equal(rec.host, '127.0.0.1');
    assert.ok(rec.bytesUp >= sent.length && rec.bytesDown >= sent.length, JSON.stringify(rec));
    assert.deepEqual(Object.keys(rec).sort(), ['bytesDown', 'bytesUp', 'durationMs', 'error', 'host', 'kind', 'port'].filter((k) => k !== 'error' || 'error' in rec).sort());
  });

  it('plain-HTTP absolute-form requests: intercepted hosts are governed, others relayed untouched', async () => {
    const before = plainDemo.requests.length;
    const r = await absolute(gw.port, 'POST', `http://api.openai.com:${plainDemo.port}/v1/chat/completions`, chatBody(`token ${SECRET}`), {
      'content-type': 'application/json',
      'x-request-id': 'abs-1',
    });
    assert.equal(r.status, 200, r.text);
    assert.ok(!plainDemo.requests[before].rawBody.toString().includes(SECRET));
    assert.equal((await eventFor('abs-1'))?.via_proxy, true);

    const other = await absolute(gw.port, 'POST', `http://127.0.0.1:${plainDemo.port}/v1/chat/completions`, chatBody(`ungoverned ${SECRET}`), { 'content-type': 'application/json' });
    assert.equal(other.status, 200, other.text);
    assert.ok(plainDemo.requests.at(-1)!.rawBody.toString().includes(SECRET), 'a host kt does not intercept is relayed as is');
    assert.ok(records.some((x) => x.kind === 'http' && x.port === plainDemo.port));
  });

  it('Proxy-Authorization with a kt access key is the identity; a bad key gets 407', async () => {
    const { key } = await evidenceFor(loaded.config).keys.create({ name: 'ide', userId: 'ide-user', teamId: 'ide-team' });
    const basic = `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}`;
    const agent = new ProxyAgent({ uri: gw.url, token: basic, requestTls: { ca: ktCaPem } });
    try {
      const res = await request('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-own', 'x-request-id': 'auth-1' },
        body: chatBody('who am I'),
      });
      assert.equal(res.statusCode, 200);
      await res.body.text();
      const ev = await eventFor('auth-1');
      assert.equal(ev?.auth, 'key');
      assert.equal(ev?.user_id, 'ide-user');
      assert.equal(ev?.team_id, 'ide-team');
      assert.equal(tlsDemo.requests.at(-1)!.headers.authorization, 'Bearer sk-client-own');
      assert.ok(!JSON.stringify(tlsDemo.requests.at(-1)!.headers).includes(key), 'the kt key never goes upstream');
    } finally {
      await agent.close();
    }
    const badBasic = `Basic ${Buffer.from(`x:kt_${'0'.repeat(48)}`).toString('base64')}`;
    const bad = await connectVia(gw.port, 'api.openai.com:443', { 'proxy-authorization': badBasic });
    assert.equal(bad.status, 407);
    bad.socket.destroy();
  });

  it('proxy.passthrough: deny refuses hosts that are not intercepted (CONNECT and absolute form)', async () => {
    await gw.reload(load(configYaml(dir, 'deny')));
    try {
      const denied = await connectVia(gw.port, `127.0.0.1:${echoPort}`);
      assert.equal(denied.status, 403);
      denied.socket.destroy();
      const abs = await absolute(gw.port, 'GET', `http://127.0.0.1:${plainDemo.port}/v1/models`);
      assert.equal(abs.status, 403);
      // Intercepted hosts still work.
      const r = await execCurl(['-sS', '-x', gw.url, '--cacert', caFile, 'https://api.openai.com/v1/models']);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      await gw.reload(loaded);
    }
  });
});
