/**
 * The real `kt gateway run` serves the forward proxy on its own listener: `kt ca init` creates the CA in
 * $KT_DATA_DIR, the gateway (a separate process) signs with that CA, `curl -x … --cacert` reaches an
 * intercepted host governed (the secret arrives redacted at a local HTTPS demo server the gateway
 * verifies through NODE_EXTRA_CA_CERTS), another host is tunnelled, and both leave decision events in
 * the store under $KT_DATA_DIR after a clean SIGTERM.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EventStore } from '../../src/audit/event-store.js';
import { openDb } from '../../src/audit/open-store.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { createCa } from '../../src/proxy/ca.js';
import { issueLeaf } from '../../src/proxy/leaf-cache.js';
import { execCurl, SECRET } from './helpers.js';
import { freePort } from '../helpers/free-port.js';

const KT = fileURLToPath(new URL('../../bin/kt.js', import.meta.url));


describe('kt gateway run serves CONNECT (real bin)', () => {
  let root: string;
  let dataDir: string;
  let demo: DemoServer;
  let upstreamCaFile: string;
  let cfg: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kt-proxy-run-'));
    dataDir = join(root, 'data');
    const upstreamCa = await createCa('upstream test CA');
    upstreamCaFile = join(root, 'upstream-ca.pem');
    writeFileSync(upstreamCaFile, upstreamCa.certPem);
    const leaf = await issueLeaf(upstreamCa, ['localhost', '127.0.0.1']);
    demo = await startDemoServer({ tls: { key: leaf.keyPem, cert: leaf.certPem } });
    cfg = join(root, 'policy-config.yaml');
    // `localhost` stands in for a provider host: intercepting it needs no DNS tricks in a child process.
    writeFileSync(
      cfg,
      `pack: { name: proxy-run, version: 1.0.0, enabled: true }
policies: { chain: [code-sanitation] }
policy:
  code-sanitation: { block_on_match: false }
providers:
  targets:
    - { id: demo, provider: demo }
proxy:
  intercept_hosts: [localhost]
`,
    );
  });
  after(async () => {
    await demo?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('kt ca init, then kt gateway run: curl -x with --cacert is governed, another host is tunnelled, events are stored', async () => {
    const env = { PATH: process.env.PATH, HOME: root, KT_DATA_DIR: dataDir };
    const init = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [KT, 'ca', 'init'], { env, timeout: 60_000 }, (err, _o, stderr) => resolve({ code: err ? 1 : 0, stderr })),
    );
    assert.equal(init.code, 0, init.stderr);
    const ktCa = join(dataDir, 'ca', 'ca.pem');

    const port = await freePort();
    const child = spawn(process.execPath, [KT, 'gateway', 'run', '--listen', `127.0.0.1:${port}`, '--policy-config', cfg], {
      env: { ...env, NODE_EXTRA_CA_CERTS: upstreamCaFile, NODE_OPTIONS: '--dns-result-order=ipv4first' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('kt gateway listening')) resolve();
        });
        void exited.then((code) => reject(new Error(`kt gateway run exited (${code}) before listening:\n${out}\n${err}`)));
      });
      const proxy = `http://127.0.0.1:${port}`;

      const before = demo.requests.length;
      const r = await execCurl([
        '-sS', '-x', proxy, '--cacert', ktCa,
        '-H', 'content-type: application/json', '-H', 'authorization: Bearer sk-client-own', '-H', 'x-request-id: run-1',
        '--data-binary', JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `ship it with AWS_ACCESS_KEY_ID=${SECRET}` }] }),
        `https://localhost:${demo.port}/v1/chat/completions`,
      ]);
      assert.equal(r.code, 0, `${r.stderr}\n${err}`);
      assert.equal(JSON.parse(r.stdout).object, 'chat.completion');
      const got = demo.requests[before];
      assert.ok(got, 'the request reached the HTTPS upstream');
      assert.equal(got.headers.host, `localhost:${demo.port}`);
      assert.ok(!got.rawBody.toString().includes(SECRET), 'the secret never reaches the provider');
      assert.match(got.rawBody.toString(), /REDACTED/);

      // 127.0.0.1 is not intercepted: the tunnel reaches the demo's own certificate, untouched.
      const t = await execCurl(['-sS', '-x', proxy, '--cacert', upstreamCaFile, '-H', 'x-request-id: run-tunnel', `https://127.0.0.1:${demo.port}/v1/models`]);
      assert.equal(t.code, 0, t.stderr);
      assert.equal(JSON.parse(t.stdout).object, 'list');
      assert.ok(!out.includes(SECRET) && !err.includes(SECRET), 'the secret is in no log line');
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, err);

    const store = await EventStore.open(await openDb({}, dataDir));
    try {
      const events = (await store.query({ limit: 100, order: 'asc' })).map((x) => x.event);
      const governed = events.find((e) => e.request_id === 'run-1');
      assert.ok(governed, 'the governed request has an event');
      assert.equal(governed.via_proxy, true);
      assert.equal(governed.verdict, 'redact');
      assert.equal(governed.dialect, 'openai-chat');
      const tunnel = events.find((e) => e.route === 'CONNECT' && e.host === `127.0.0.1:${demo.port}`);
      assert.equal(tunnel?.outcome, 'tunnelled');
      assert.ok(events.some((e) => e.route === 'CONNECT' && e.outcome === 'intercepted' && e.host === `localhost:${demo.port}`));
      assert.ok(!JSON.stringify(events).includes(SECRET));
    } finally {
      await store.close();
    }
  });
});
