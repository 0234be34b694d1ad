/**
 * Real-assistant harness: pinned client versions installed into `.cache/clients/` (outside the product's
 * dependencies, gitignored), a gateway on an ephemeral port with the demo server upstream, a throwaway
 * HOME and a workspace holding a fake `.env`. Each client run is bounded and its process tree killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigText, type LoadedConfig } from '../../src/config/index.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { closeEvidence, evidenceFor } from '../../src/audit/evidence.js';
import type { DecisionEvent } from '../../src/audit/event.js';

export const CLIENT_VERSIONS = {
  '@anthropic-ai/claude-code': '2.1.197',
  '@openai/codex': '0.169.0',
  '@qwen-code/qwen-code': '0.15.10',
} as const;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.KT_CLIENTS_CACHE ?? join(ROOT, '.cache/clients');

/**
 * Fake secrets seeded into the workspace `.env`: made up for these tests, but shaped like real ones
 * (an AWS access key id, a GitHub token) — detectors rightly ignore values that say EXAMPLE or FAKE.
 */
export const SEEDED = 'AKIA5KT3QX7RBN2WVJ4M';
export const SEEDED_2 = 'ghp_Kt9xQ2mV7bN4pL8sR3wY6zA1cF5hJ0dG2eT7';

/** Installs the pinned clients once; returns the path of a client binary, or a reason it is missing. */
export function clientBin(name: 'claude' | 'codex' | 'qwen'): string {
  const bin = join(CACHE, 'node_modules/.bin', name);
  if (!existsSync(bin)) {
    mkdirSync(CACHE, { recursive: true });
    const pkgs = Object.entries(CLIENT_VERSIONS).map(([p, v]) => `${p}@${v}`);
    const r = spawnSync('npm', ['install', '--prefix', CACHE, '--no-audit', '--no-fund', '--no-save', ...pkgs], { stdio: 'pipe', timeout: 300_000 });
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`installing the clients into ${CACHE} failed: ${r.stderr?.toString().slice(-2000)}`);
  }
  return bin;
}

export const GATEWAY_YAML = (upstream: string, dataDir: string) => `
pack: { name: clients-e2e, version: 1.0.0, enabled: true }
policies: { chain: [] }            # the general path: untouched
providers:
  strategy: single
  retry: { attempts: 0 }
  targets:
    - { id: anthropic-demo, provider: anthropic, base_url: ${JSON.stringify(upstream)}, models: ["claude-*"] }
    - { id: openai-demo, provider: openai, base_url: ${JSON.stringify(upstream)}, models: ["*"] }
gateway: { data_dir: ${JSON.stringify(dataDir)} }
scopes:
  - name: coding-assistant
    match: { clients: [claude-cli, codex, qwen] }
    chain: [code-sanitation, prompt-injection]
    policy:
      code-sanitation: { block_on_match: false }
      prompt-injection: { response: { action: block } }
`;

export interface Rig {
  demo: DemoServer;
  gw: Gateway;
  loaded: LoadedConfig;
  /** Throwaway HOME and a workspace holding `.env`. */
  home: string;
  workspace: string;
  events(): Promise<DecisionEvent[]>;
  /** Every body the demo server received, as text. */
  upstreamText(): string;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const base = mkdtempSync(join(tmpdir(), 'kt-clients-'));
  const home = join(base, 'home');
  const workspace = join(base, 'work');
  const dataDir = join(base, 'data');
  mkdirSync(home, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, '.env'), `# deploy settings\nAWS_ACCESS_KEY_ID=${SEEDED}\nGITHUB_TOKEN=${SEEDED_2}\nREGION=eu-west-1\n`);
  writeFileSync(join(workspace, 'README.md'), '# demo workspace\n');
  const demo = await startDemoServer();
  const { config, diagnostics } = parseConfigText(GATEWAY_YAML(demo.url, dataDir), 'clients.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length) throw new Error(JSON.stringify(errors));
  const loaded: LoadedConfig = { config, version: 'clients', files: [], warnings: [] };
  const gw = await startGateway({ loaded, listen: '127.0.0.1:0', logger: false });
  return {
    demo,
    gw,
    loaded,
    home,
    workspace,
    async events() {
      const ev = evidenceFor(loaded.config);
      await ev.sink.flush();
      return (await (await ev.store).query({ limit: 1000, order: 'asc' })).map((r) => r.event);
    },
    upstreamText: () => demo.requests.map((r) => r.rawBody.toString('utf8')).join('\n'),
    async close() {
      await gw.close();
      await demo.close();
      await closeEvidence();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a client in its own process group; on timeout the whole group is killed. */
export function runClient(bin: string, args: string[], opts: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(bin, args, {
      cwd: opts.cwd,
      // Only what the client needs: no inherited provider keys or proxies.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', NO_COLOR: '1', CI: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs ?? 45_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill(); // grandchildren (MCP servers, shells) must not outlive the run
      done({ code, signal, stdout, stderr, timedOut });
    });
  });
}
