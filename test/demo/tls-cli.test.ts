/**
 * HTTPS mode with a self-signed ECDSA P-256 certificate made in the test, and `kt demo-provider`
 * (argument checks, TLS files, start and stop).
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
// @peculiar/x509 needs a Reflect metadata polyfill loaded first (its README says so).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { Agent, request } from 'undici';
import { demoProvider, parseListen } from '../../src/cli/commands/demo-provider.js';
import { ExitError } from '../../src/cli/exit.js';
import { startDemoServer } from '../../src/providers/demo/index.js';

let certPem = '';
let keyPem = '';
let dir = '';
let agent: Agent;

before(async () => {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=kt demo test',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  certPem = cert.toString('pem');
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  dir = await mkdtemp(join(tmpdir(), 'kt-demo-tls-'));
  agent = new Agent({ connect: { ca: certPem } });
});
after(async () => {
  await agent?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const chat = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'over tls' }] });

describe('TLS', () => {
  it('serves https with the given certificate, streaming included', async () => {
    const s = await startDemoServer({ tls: { key: keyPem, cert: certPem } });
    try {
      assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${s.url}/v1/chat/completions`, { method: 'POST', body: chat, dispatcher: agent });
      assert.equal(res.statusCode, 200);
      const text = await res.body.text();
      assert.match(text, /over tls/);
      assert.match(text, /data: \[DONE\]\n\n$/);
      // An untrusting client refuses it: the certificate really is the one we made.
      await assert.rejects(request(`${s.url}/v1/models`));
    } finally {
      await s.close();
    }
  });
});

describe('kt demo-provider', () => {
  const sink = () => {
    let out = '';
    return { stream: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }), text: () => out };
  };

  it('parses --listen and refuses bad values with exit 2', () => {
    assert.deepEqual(parseListen('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
    for (const bad of ['nope', '1.2.3.4:99999', ':x']) {
      assert.throws(() => parseListen(bad), (e: unknown) => e instanceof ExitError && e.exitCode === 2);
    }
  });

  it('starts with TLS files, prints its URL, answers, and stops', async () => {
    await writeFile(join(dir, 'cert.pem'), certPem);
    await writeFile(join(dir, 'key.pem'), keyPem);
    const out = sink();
    const close = await demoProvider({ listen: '127.0.0.1:0', tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem'), latencyMs: 1 }, out.stream);
    try {
      const url = /listening on (https:\/\/\S+)/.exec(out.text())?.[1];
      assert.ok(url, out.text());
      const res = await request(`${url}/v1/chat/completions`, { method: 'POST', body: chat, dispatcher: agent });
      assert.equal(res.statusCode, 200);
      await res.body.text();
    } finally {
      await close();
    }
  });

  it('needs both TLS files', async () => {
    await assert.rejects(demoProvider({ listen: '127.0.0.1:0', tlsCert: 'x.pem' }, sink().stream), (e: unknown) => e instanceof ExitError && e.exitCode === 2);
    await assert.rejects(
      demoProvider({ listen: '127.0.0.1:0', tlsCert: join(dir, 'missing.pem'), tlsKey: join(dir, 'missing.pem') }, sink().stream),
      (e: unknown) => e instanceof ExitError && /cannot read the TLS files/.test(e.message),
    );
  });
});
