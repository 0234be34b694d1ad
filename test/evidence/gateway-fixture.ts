/**
 * A gateway with the real evidence hooks over a fresh data dir (SQLite) or a fresh PostgreSQL schema,
 * the demo server as the upstream, and helpers to read back the decision events it stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText, type LoadedConfig } from '../../src/config/index.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import type { DecisionEvent } from '../../src/audit/event.js';
import { testPostgres, type TestPostgres } from '../helpers/postgres.js';

export function load(yaml: string): LoadedConfig {
  const { config, diagnostics } = parseConfigText(yaml, 'test.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length) throw new Error(JSON.stringify(errors));
  return { config, version: 'evtest', files: [], warnings: [] };
}

export interface Posted {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Posted> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface EvidenceRig {
  dir: string;
  demo: DemoServer;
  gw: Gateway;
  loaded: LoadedConfig;
  pg?: TestPostgres;
  events(): Promise<DecisionEvent[]>;
  byRequest(id: string): Promise<DecisionEvent | undefined>;
  close(): Promise<void>;
}

/**
 * `yaml(ctx)` builds the config: `ctx.demo` is the demo URL (for priced targets `provider: openai,
 * base_url: …`), `ctx.dataDir` / `ctx.store` the data dir and the `store:` block for PostgreSQL.
 */
export async function evidenceRig(
  kind: 'sqlite' | 'postgres',
  yaml: (ctx: { demo: string; dataDir: string; store: string }) => string,
  opts: Partial<GatewayOptions> = {},
): Promise<EvidenceRig> {
  const dir = mkdtempSync(join(tmpdir(), 'kt-evrig-'));
  const demo = await startDemoServer();
  const pg = kind === 'postgres' ? await testPostgres('evrig') : undefined;
  const store = pg ? `store: { url: ${JSON.stringify(pg.url)}, schema: ${pg.schema} }` : '';
  const loaded = load(yaml({ demo: demo.url, dataDir: JSON.stringify(dir), store }));
  const gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false, env: { ...process.env, PAID_KEY: 'sk-paid' }, ...opts });
  const events = async (): Promise<DecisionEvent[]> => {
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    return (await (await ev.store).query({ limit: 1000, order: 'asc' })).map((r) => r.event);
  };
  return {
    dir,
    demo,
    gw,
    loaded,
    pg,
    events,
    byRequest: async (id) => (await events()).find((e) => e.request_id === id),
    close: async () => {
      await gw.close();
      await demo.close();
      await closeEvidence();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
