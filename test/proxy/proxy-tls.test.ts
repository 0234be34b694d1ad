/**
 * TLS on both sides of the forward proxy: an upstream whose certificate kt cannot verify is refused
 * (502 naming the certificate error, nothing sent); several requests of one client share one CONNECT
 * tunnel (keep-alive through the interception); ALPN offers only http/1.1, which is what kt serves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { Client } from 'undici';
import { connectVia, execCurl, SECRET, startRig, type ProxyRig } from './helpers.js';

const CERT_ERROR = /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|CERT_/;

describe('forward proxy: upstream certificate checks, keep-alive, ALPN', () => {
  let rig: ProxyRig;
  before(async () => {
    // api.anthropic.com resolves to a server whose certificate comes from a CA kt does not trust.
    rig = await startRig({ untrusted: ['api.anthropic.com'] });
  });
  after(async () => rig?.close());

  it('an upstream with a certificate kt cannot verify is refused: 502 naming the error, nothing sent', async () => {
    const r = await execCurl([
      '-sS', '-x', rig.gw.url, '--cacert', rig.ktCaFile, '-w', '\n%{http_code}',
      '-H', 'content-type: application/json', '-H', 'x-api-key: sk-ant-client', '-H', 'anthropic-version: 2023-06-01', '-H', 'x-request-id: badcert-1',
      '--data-binary', JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: `hi ${SECRET}` }] }),
      'https://api.anthropic.com/v1/messages',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [body, status] = [r.stdout.slice(0, r.stdout.lastIndexOf('\n')), r.stdout.slice(r.stdout.lastIndexOf('\n') + 1)];
    assert.equal(status, '502', body);
    const err = JSON.parse(body).error;
    assert.equal(err.type, 'upstream_error');
    assert.match(err.message, CERT_ERROR, 'the certificate error is named');
    assert.equal(rig.untrustedDemo.requests.length, 0, 'no request went over the unverified connection');
    const ev = await rig.eventFor('badcert-1');
    assert.equal(ev?.outcome, 'upstream_error');
    assert.equal(ev?.error_code, 'KT_ERR_UPSTREAM_UNREACHABLE');

    // The ungoverned passthrough path checks certificates the same way.
    const pt = await execCurl(['-sS', '-x', rig.gw.url, '--cacert', rig.ktCaFile, '-w', '\n%{http_code}', 'https://api.anthropic.com/v1/models']);
    assert.match(pt.stdout, /502$/);
    assert.match(pt.stdout, CERT_ERROR);
    assert.match(pt.stdout, /KT_ERR_UPSTREAM_UNREACHABLE/);
    assert.equal(rig.untrustedDemo.requests.length, 0);
  });

  it('keep-alive: four requests (buffered and streamed) travel in one CONNECT tunnel and one TLS session', async () => {
    // undici's Client holds exactly one connection and dials again only when it was closed, so counting
    // dials counts TLS sessions with kt; the proxy side counts CONNECTs.
    let dials = 0;
    let connects = 0;
    const count = () => connects++;
    rig.gw.server.on('connect', count);
    const client = new Client('https://api.openai.com', {
      connect: (_o, cb) => {
        dials++;
        connectVia(rig.gw.port, 'api.openai.com:443').then(
          ({ status, socket }) => {
            if (status !== 200) return cb(new Error(`CONNECT answered ${status}`), null);
            const tls = tlsConnect({ socket, ca: rig.ktCa.certPem, servername: 'api.openai.com', ALPNProtocols: ['http/1.1'] });
            tls.once('secureConnect', () => cb(null, tls)).once('error', (e) => cb(e, null));
          },
          (e: Error) => cb(e, null),
        );
      },
    });
    try {
      const before = rig.demo.requests.length;
      for (const [i, stream] of [false, true, false].entries()) {
        const res = await client.request({
          method: 'POST',
          path: '/v1/chat/completions',
          headers: { 'content-type': 'application/json', 'x-request-id': `ka-${i}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: `turn ${i}` }] }),
        });
        assert.equal(res.statusCode, 200);
        await res.body.text();
      }
      const models = await client.request({ method: 'GET', path: '/v1/models' });
      assert.equal(models.statusCode, 200);
      await models.body.text();
      assert.equal(rig.demo.requests.length - before, 4, 'every request reached the provider');
      assert.equal(dials, 1, 'one TLS session with kt carried all of them');
      assert.equal(connects, 1, 'one CONNECT');
      for (const id of ['ka-0', 'ka-1', 'ka-2']) assert.equal((await rig.eventFor(id))?.via_proxy, true);
    } finally {
      rig.gw.server.off('connect', count);
      await client.close();
    }
  });

  const handshake = async (alpn: string[]): Promise<{ tls?: TLSSocket; error?: NodeJS.ErrnoException }> => {
    const { status, socket } = await connectVia(rig.gw.port, 'api.openai.com:443');
    assert.equal(status, 200);
    return new Promise((resolve) => {
      const tls = tlsConnect({ socket, ca: rig.ktCa.certPem, servername: 'api.openai.com', ALPNProtocols: alpn });
      tls.once('secureConnect', () => resolve({ tls }));
      tls.once('error', (error) => resolve({ error }));
    });
  };

  it('ALPN: h2 is never negotiated; http/1.1 is', async () => {
    const both = await handshake(['h2', 'http/1.1']);
    assert.equal(both.tls?.alpnProtocol, 'http/1.1');
    both.tls!.destroy();

    const h2only = await handshake(['h2']);
    // Node refuses a client whose only protocol it does not serve (no_application_protocol alert).
    if (h2only.tls) {
      assert.notEqual(h2only.tls.alpnProtocol, 'h2');
      h2only.tls.destroy();
    } else assert.match(String(h2only.error?.code ?? h2only.error?.message), /NO_APPLICATION_PROTOCOL|ALPN/i);
  });
});
