/**
 * Test rig: the demo server as the only upstream and a gateway on an ephemeral loopback port, both
 * closed after the test. Configs are YAML as a user writes them; provider `base_url`s are pointed at
 * the demo server after parsing (the test-only override), so a seed's example runs as typed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText, type LoadedConfig } from '../../src/config/index.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/gateway/server.js';

// Event stores and other state of the wired hooks go to a throwaway directory, never ~/.kt.
if (!process.env.KT_DATA_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-gateway-test-'));
  process.env.KT_DATA_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

export interface Rig {
  demo: DemoServer;
  gw: Gateway;
}

export function loadYaml(yaml: string, upstream?: string): LoadedConfig {
  const { config, diagnostics } = parseConfigText(yaml, 'test.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length) throw new Error(`test config invalid: ${JSON.stringify(errors)}`);
  if (upstream) for (const t of config.providers?.targets ?? []) if (t.provider !== 'demo') t.base_url = upstream;
  return { config, version: 'test', files: [], warnings: [] };
}

export async function rig(t: { after(fn: () => unknown): void }, yaml: string, opts: Partial<GatewayOptions> = {}): Promise<Rig> {
  const demo = await startDemoServer();
  t.after(() => demo.close());
  const gw = await startGateway({ loaded: loadYaml(yaml, demo.url), listen: '127.0.0.1:0', logger: false, ...opts });
  t.after(() => gw.close());
  return { demo, gw };
}

/** One target of `provider` pointed at the demo server, with fast retries. */
export function singleTarget(provider: string, extra = ''): string {
  return `
pack: { name: test, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: single
  retry: { attempts: 1, backoff_ms: 1, max_backoff_ms: 5 }
  targets:
    - id: t1
      provider: ${provider}
      secret_key_ref: { env: TEST_KEY }
${extra}`;
}

export const TEST_ENV = { TEST_KEY: 'sk-test-upstream-key' };

/** A fetch that records the exact body bytes the SDK sent, for byte-exact comparisons. */
export function recordingFetch(sent: string[], sentHeaders: Headers[] = []): typeof fetch {
  return async (input, init) => {
    sentHeaders.push(new Headers(init?.headers));
    if (init?.body !== undefined && init.body !== null) sent.push(typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer).toString('utf8'));
    return fetch(input, init);
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
