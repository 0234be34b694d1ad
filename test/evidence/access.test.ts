/**
 * Who may do what: in keys mode the config, reload and live-event endpoints need an admin key while
 * health and metrics stay open; in passthrough mode the client's own provider key is what goes
 * upstream, never the gateway's; the data files holding key hashes are owner-only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import { authorizeOps } from '../../src/identity/ops-auth.js';
import { load, post } from './gateway-fixture.js';

describe('operational endpoints in keys mode', () => {
  let dir: string;
  let gw: Gateway;
  const keys: Record<string, string> = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-ops-'));
    const loaded = load(`
pack: { name: ops, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers: { targets: [{ id: demo, provider: demo }] }
gateway: { data_dir: ${JSON.stringify(join(dir, 'nested', 'data'))}, auth: { mode: keys } }
`);
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false });
    const ak = evidenceFor(loaded.config).keys;
    keys.dev = (await ak.create({ name: 'dev' })).key;
    keys.adminRole = (await ak.create({ name: 'ops', roles: ['admin'] })).key;
    keys.adminTag = (await ak.create({ name: 'ci-admin', tags: ['admin'] })).key;
    // Something gets written, so the database, its WAL, the chain key and the journal exist.
    const r = await post(`${gw.url}/v1/chat/completions`, { model: 'demo', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${keys.dev}` });
    assert.equal(r.status, 200, r.text);
    await evidenceFor(loaded.config).sink.flush();
  });
  after(async () => {
    await gw.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, key?: string, method = 'GET') => fetch(`${gw.url}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('config, reload and the event stream refuse callers without an admin key', async () => {
    for (const [method, path] of [['GET', '/keeptrusts/config'], ['POST', '/keeptrusts/config/reload'], ['GET', '/keeptrusts/events/stream']]) {
      const none = await get(path, undefined, method);
      assert.equal(none.status, 401, `${method} ${path} without a key`);
      assert.match(((await none.json()) as { error: { message: string } }).error.message, /needs an access key with the admin role/);
      const dev = await get(path, keys.dev, method);
      assert.equal(dev.status, 403, `${method} ${path} with a non-admin key`);
      await dev.body?.cancel();
      const bad = await get(path, 'kt_' + 'f'.repeat(48), method);
      assert.equal(bad.status, 401);
      await bad.body?.cancel();
    }
  });

  it('an admin key (role or tag) may read the config, reload and follow events', async () => {
    const cfg = await get('/keeptrusts/config', keys.adminRole);
    assert.equal(cfg.status, 200);
    assert.equal(((await cfg.json()) as { version: string }).version, 'evtest');
    const reload = await get('/keeptrusts/config/reload', keys.adminTag, 'POST');
    assert.equal(reload.status, 200);
    await reload.body?.cancel();
    const ac = new AbortController();
    const stream = await fetch(`${gw.url}/keeptrusts/events/stream`, { headers: { authorization: `Bearer ${keys.adminRole}` }, signal: ac.signal });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('content-type'), 'text/event-stream');
    ac.abort();
  });

  it('health and metrics stay open', async () => {
    for (const path of ['/health', '/healthz', '/readyz', '/metrics']) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      await r.body?.cancel();
    }
  });

  it('the data dir is 0700 and the database, its WAL, the chain key and the journal dir are owner-only', () => {
    const data = join(dir, 'nested', 'data');
    const mode = (p: string) => statSync(p).mode & 0o777;
    assert.equal(mode(data), 0o700);
    assert.equal(mode(join(data, 'events.db')), 0o600);
    assert.equal(mode(join(data, 'events.db-wal')), 0o600);
    assert.equal(mode(join(data, 'chain.key')), 0o600);
    assert.equal(mode(join(data, 'journal')), 0o700);
  });
});

describe('operational endpoints without keys', () => {
  it('loopback callers are let in, others refused', async () => {
    const req = (addr: string) => ({ headers: {}, socket: { remoteAddress: addr } }) as unknown as IncomingMessage;
    const keys = {} as never;
    assert.equal(await authorizeOps(req('127.0.0.1'), 'none', keys), undefined);
    assert.equal(await authorizeOps(req('::1'), 'passthrough', keys), undefined);
    assert.equal((await authorizeOps(req('10.1.2.3'), 'none', keys))?.status, 401);
  });
});

describe('passthrough auth mode', () => {
  let dir: string;
  let demo: DemoServer;
  let gw: Gateway;
  let ktKey: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-pass-'));
    demo = await startDemoServer();
    const loaded = load(`
pack: { name: pass, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: single
  targets:
    - { id: oai, provider: openai, base_url: ${demo.url}, secret_key_ref: { env: GATEWAY_OWN_KEY }, models: ["gpt-*"] }
    - { id: ant, provider: anthropic, base_url: ${demo.url}, secret_key_ref: { env: GATEWAY_OWN_KEY }, models: ["claude-*"] }
gateway: { data_dir: ${JSON.stringify(dir)}, auth: { mode: passthrough } }
`);
    gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false, env: { ...process.env, GATEWAY_OWN_KEY: 'sk-gateway-own-key' } });
    ktKey = (await evidenceFor(loaded.config).keys.create({ name: 'team' })).key;
  });
  after(async () => {
    await gw.close();
    await demo.close();
    await closeEvidence();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the client's own key goes upstream, never the gateway's", async () => {
    const oai = await post(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer sk-client-own' });
    assert.equal(oai.status, 200, oai.text);
    assert.equal(demo.requests.at(-1)!.headers.authorization, 'Bearer sk-client-own');
    const ant = await post(`${gw.url}/v1/messages`, { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, {
      'x-api-key': 'sk-ant-client-own',
      'anthropic-version': '2023-06-01',
    });
    assert.equal(ant.status, 200, ant.text);
    assert.equal(demo.requests.at(-1)!.headers['x-api-key'], 'sk-ant-client-own');
    for (const r of demo.requests) assert.ok(!JSON.stringify(r.headers).includes('sk-gateway-own-key'), 'the gateway key never left');
  });

  it('without a credential the request is refused; a kt key is checked and uses the target key', async () => {
    const none = await post(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(none.status, 401);
    const withKt = await post(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${ktKey}` });
    assert.equal(withKt.status, 200, withKt.text);
    assert.equal(demo.requests.at(-1)!.headers.authorization, 'Bearer sk-gateway-own-key');
    assert.ok(!JSON.stringify(demo.requests.at(-1)!.headers).includes(ktKey), 'the kt key never goes upstream');
  });
});
