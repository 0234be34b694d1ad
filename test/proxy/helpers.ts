/**
 * A gateway in forward-proxy mode for tests: the kt CA (trusted by the test's clients), a local HTTPS
 * demo server holding a certificate for several real provider names from a separate "upstream" CA, and
 * the gateway's upstream connector resolving those names to it (TLS verified under the real name).
 * Hosts in `untrusted` resolve to a second demo whose certificate comes from a CA nobody trusts.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConnector } from 'undici';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import type { DecisionEvent } from '../../src/audit/event.js';
import { parseConfigText, type LoadedConfig } from '../../src/config/index.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { createCa, type LocalCa } from '../../src/proxy/ca.js';
import { createForwardProxy, type ForwardProxy } from '../../src/proxy/forward-proxy.js';
import { issueLeaf } from '../../src/proxy/leaf-cache.js';
import type { TunnelRecord } from '../../src/proxy/tunnel.js';

// A fake, realistically shaped credential (never a real one).
export const SECRET = 'AKIAZ7Q4XW2MB3KT9PLD';

export const PROVIDER_HOSTS = ['api.openai.com', 'generativelanguage.googleapis.com', 'myres.openai.azure.com', 'copilot-proxy.githubusercontent.com', 'api.githubcopilot.com', 'api.jetbrains.ai'];

export function load(yaml: string): LoadedConfig {
  const { config, diagnostics } = parseConfigText(yaml, 'proxy-test.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length) throw new Error(JSON.stringify(errors));
  return { config, version: 'proxytest', files: [], warnings: [] };
}

export const configYaml = (dir: string, proxy = '') => `
pack: { name: proxytest, version: 1.0.0, enabled: true }
policies: { chain: [code-sanitation] }
policy:
  code-sanitation: { block_on_match: false }
providers:
  targets:
    - { id: demo, provider: demo }
gateway:
  data_dir: ${JSON.stringify(dir)}
proxy: {${proxy}}
`;

export interface ProxyRig {
  dir: string;
  ktCa: LocalCa;
  ktCaFile: string;
  upstreamCaPem: string;
  demo: DemoServer;
  untrustedDemo: DemoServer;
  gw: Gateway;
  proxy: ForwardProxy;
  loaded: LoadedConfig;
  records: TunnelRecord[];
  /** The stored decision event with this request id (waits for the async sink). */
  eventFor(requestId: string): Promise<DecisionEvent | undefined>;
  events(): Promise<DecisionEvent[]>;
  reload(proxyYaml: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(opts: { proxy?: string; untrusted?: string[] } = {}): Promise<ProxyRig> {
  const dir = mkdtempSync(join(tmpdir(), 'kt-proxy-'));
  const ktCa = await createCa('kt proxy test CA');
  const ktCaFile = join(dir, 'kt-ca.pem');
  writeFileSync(ktCaFile, ktCa.certPem);
  const upstreamCa = await createCa('upstream test CA');
  const leaf = await issueLeaf(upstreamCa, PROVIDER_HOSTS);
  const demo = await startDemoServer({ tls: { key: leaf.keyPem, cert: leaf.certPem } });
  const untrusted = opts.untrusted ?? [];
  const rogueCa = await createCa('a CA nobody trusts');
  const rogueLeaf = await issueLeaf(rogueCa, untrusted.length ? untrusted : ['unused.example']);
  const untrustedDemo = await startDemoServer({ tls: { key: rogueLeaf.keyPem, cert: rogueLeaf.certPem } });

  const base = buildConnector({ ca: upstreamCa.certPem });
  const connector: buildConnector.connector = (o, cb) => {
    const port = PROVIDER_HOSTS.includes(o.hostname) ? demo.port : untrusted.includes(o.hostname) ? untrustedDemo.port : undefined;
    if (port === undefined) return base(o, cb);
    return base({ ...o, hostname: '127.0.0.1', port: String(port), servername: o.hostname }, cb);
  };

  let loaded = load(configYaml(dir, opts.proxy));
  const records: TunnelRecord[] = [];
  const proxy = createForwardProxy({ ca: ktCa, onRecord: (r) => records.push(r) });
  const gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false, upstream: { connect: connector }, ...proxy.gatewayOptions });

  const events = async (): Promise<DecisionEvent[]> => {
    const ev = evidenceFor(loaded.config);
    await ev.sink.flush();
    const rows = await (await ev.store).query({ limit: 1000, order: 'asc' });
    return rows.map((r) => r.event);
  };
  return {
    dir,
    ktCa,
    ktCaFile,
    upstreamCaPem: upstreamCa.certPem,
    demo,
    untrustedDemo,
    gw,
    proxy,
    get loaded() {
      return loaded;
    },
    records,
    events,
    async eventFor(requestId) {
      // Proxy events are recorded after an async identify; wait for them rather than race the sink.
      for (let i = 0; i < 100; i++) {
        const hit = (await events()).find((e) => e.request_id === requestId);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    },
    async reload(proxyYaml) {
      loaded = load(configYaml(dir, proxyYaml));
      await gw.reload(loaded);
    },
    async close() {
      await Promise.all([proxy.close(), gw.close()]);
      await Promise.all([demo.close(), untrustedDemo.close()]);
      await closeEvidence();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function execCurl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), ...env }; // no inherited *_PROXY
    execFile('curl', args, { env: base, timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** Opens a CONNECT tunnel through the proxy; resolves with the status and, on 200, the socket. */
export function connectVia(proxyPort: number, authority: string, headers: Record<string, string> = {}): Promise<{ status: number; socket: Socket; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: authority, headers });
    req.on('connect', (res, socket) => {
      let body = '';
      if (res.statusCode !== 200) {
        socket.on('data', (c) => (body += c));
        socket.on('end', () => resolve({ status: res.statusCode!, socket, body }));
        socket.on('close', () => resolve({ status: res.statusCode!, socket, body }));
      } else resolve({ status: 200, socket, body });
    });
    req.on('error', reject);
    req.end();
  });
}
