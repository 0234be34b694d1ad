/**
 * The hand-off points the forward proxy (src/proxy) builds on: absolute-form requests reach
 * `onProxyRequest`, `handleRequest(req, res, { viaProxy })` governs API calls to the host the client
 * asked for (its own credentials, path and query kept), and other paths pass through untouched.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { startGateway } from '../../src/gateway/server.js';
import { startDemoServer } from '../../src/providers/demo/index.js';
import { loadYaml, singleTarget } from './helpers.js';

/** Sends one request in absolute form (as an HTTP client does to its proxy). */
function viaProxy(proxyPort: number, method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, method, path: url, headers: { host: new URL(url).host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('forward-proxy hand-off', () => {
  it('absolute-form requests are governed through handleRequest and reach the host asked for', async (t) => {
    const demo = await startDemoServer();
    t.after(() => demo.close());
    const gw = await startGateway({
      loaded: loadYaml(singleTarget('openai')), // its target is NOT where proxied traffic goes
      listen: '127.0.0.1:0',
      logger: false,
      env: { TEST_KEY: 'sk-never-sent' },
      onProxyRequest: (req, res, g) => g.handleRequest(req, res, { viaProxy: { host: new URL(req.url!).host, scheme: 'http' } }),
    });
    t.after(() => gw.close());
    const host = new URL(demo.url).host;

    const chat = await viaProxy(gw.port, 'POST', `http://${host}/v1/chat/completions?x=1`, JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'proxied' }] }), {
      'content-type': 'application/json',
      authorization: 'Bearer sk-client-own',
    });
    assert.equal(chat.status, 200, chat.text);
    assert.match(chat.text, /proxied/);
    assert.equal(demo.requests[0].path, '/v1/chat/completions?x=1');
    assert.equal(demo.requests[0].headers.authorization, 'Bearer sk-client-own');

    const models = await viaProxy(gw.port, 'GET', `http://${host}/v1/models`);
    assert.equal(models.status, 200);
    assert.equal(demo.requests[1].path, '/v1/models');

    const bad = await viaProxy(gw.port, 'POST', `http://${host}/v1/chat/completions`, '{oops', { 'content-type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.equal(demo.requests.length, 2, 'invalid JSON never leaves the gateway, proxied or not');
  });

  it('without a proxy handler, absolute-form requests are refused', async (t) => {
    const gw = await startGateway({ loaded: loadYaml(singleTarget('openai')), listen: '127.0.0.1:0', logger: false });
    t.after(() => gw.close());
    const res = await viaProxy(gw.port, 'GET', 'http://example.invalid/v1/models');
    assert.equal(res.status, 404);
    assert.match(res.text, /not configured as a forward proxy/);
  });
});
