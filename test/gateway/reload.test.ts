/**
 * Hot reload on a file change under a running gateway: a valid edit is applied to the next requests,
 * an invalid one keeps the running config and the log says why. The file is edited the way an editor
 * does it (written in place), and the gateway's own watcher notices; nothing calls reload() here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { startDemoServer } from '../../src/providers/demo/index.js';
import { startGateway } from '../../src/gateway/server.js';
import { TEST_ENV, postJson } from './helpers.js';

const config = (upstream: string, model: string, extra = '') => `pack: { name: reload, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  targets:
    - id: t1
      provider: openai
      model: ${model}
      base_url: ${upstream}
      secret_key_ref: { env: TEST_KEY }
${extra}`;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('hot reload on file change', () => {
  it('applies a valid edit; an invalid one keeps the running config and logs why', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-reload-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const demo = await startDemoServer();
    t.after(() => demo.close());
    const file = join(dir, 'policy-config.yaml');
    writeFileSync(file, config(demo.url, 'model-one'));

    const logs: { level: number; msg: string; err?: string; config_version?: string }[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(JSON.parse(String(chunk))), done()) });
    const gw = await startGateway({ configFiles: [file], listen: '127.0.0.1:0', logger: pino({ level: 'info' }, sink), env: TEST_ENV });
    t.after(() => gw.close());
    const ask = async () => {
      const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'client-model', messages: [{ role: 'user', content: 'which model?' }] });
      assert.equal(res.status, 200, res.text);
      return (demo.requests.at(-1)!.json as { model: string }).model;
    };
    assert.equal(await ask(), 'model-one');
    const v1 = gw.current().loaded.version;

    // A valid change: the next requests use it.
    writeFileSync(file, config(demo.url, 'model-two'));
    await eventually('the new model upstream', async () => ((await ask()) === 'model-two' ? true : undefined));
    assert.notEqual(gw.current().loaded.version, v1);
    assert.ok(logs.some((l) => l.msg === 'configuration reloaded'));
    const shown = await (await fetch(`${gw.url}/keeptrusts/config`)).json();
    assert.equal(shown.config.providers.targets[0].model, 'model-two');

    // An invalid change (an unknown key): the running config stays, the log names the problem.
    const v2 = gw.current().loaded.version;
    writeFileSync(file, config(demo.url, 'model-three', '      bogus_key: 1\n'));
    const rejected = await eventually('the rejection in the log', async () => logs.find((l) => l.msg.includes('reload rejected')));
    assert.equal(rejected.level, 50, 'logged as an error');
    assert.match(rejected.err ?? '', /bogus_key/);
    assert.equal(gw.current().loaded.version, v2);
    assert.equal(await ask(), 'model-two');
  });
});
