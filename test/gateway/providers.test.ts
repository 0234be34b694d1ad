/**
 * Provider kinds shape the upstream request: Azure's deployment route and `api-key` header, custom
 * `api_key_header`/`api_key_prefix`, a `base_url` with a trailing `/v1`, and fixed target `headers`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startGateway } from '../../src/gateway/server.js';
import { startDemoServer } from '../../src/providers/demo/index.js';
import { TEST_ENV, loadYaml, postJson, rig, singleTarget } from './helpers.js';

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

describe('provider kinds', () => {
  it('azure-openai: deployment route with api-version, key in api-key', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('azure-openai', '      deployment: my-gpt\n      api_version: 2024-10-21\n'), { env: TEST_ENV });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat);
    assert.equal(res.status, 200, res.text);
    assert.equal(demo.requests[0].path, '/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21');
    assert.equal(demo.requests[0].headers['api-key'], 'sk-test-upstream-key');
    assert.equal(demo.requests[0].headers.authorization, undefined);
  });

  it('openai-compatible with custom auth header and prefix, and fixed headers', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai-compatible', '      api_key_header: X-Token\n      api_key_prefix: "Key "\n      headers: { X-Tenant: acme }\n'), { env: TEST_ENV });
    const res = await postJson(`${gw.url}/chat/completions`, chat, { authorization: 'Bearer sk-client' });
    assert.equal(res.status, 200, res.text);
    assert.equal(demo.requests[0].headers['x-token'], 'Key sk-test-upstream-key');
    assert.equal(demo.requests[0].headers.authorization, undefined);
    assert.equal(demo.requests[0].headers['x-tenant'], 'acme');
  });

  it('a base_url ending in /v1 is not doubled', async (t) => {
    const demo = await startDemoServer();
    t.after(() => demo.close());
    const gw = await startGateway({ loaded: loadYaml(singleTarget('openai', `      base_url: ${demo.url}/v1/\n`)), listen: '127.0.0.1:0', logger: false, env: TEST_ENV });
    t.after(() => gw.close());
    const res = await postJson(`${gw.url}/v1/embeddings`, { model: 'e', input: 'x' });
    assert.equal(res.status, 200, res.text);
    assert.equal(demo.requests[0].path, '/v1/embeddings');
  });
});
