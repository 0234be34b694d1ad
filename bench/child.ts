/**
 * One benchmark server in its own process, so the load generator, the gateway and the fake provider
 * do not share an event loop. Prints `{"url": …}` on stdout once listening; exits on SIGTERM.
 *   node --import tsx bench/child.ts demo
 *   node --import tsx bench/child.ts gateway|gateway-chain <demo-url>
 */
import { noopHooks } from '../src/gateway/hooks.js';
import { parseConfigText } from '../src/config/index.js';
import { startDemoServer } from '../src/providers/demo/index.js';
import { startGateway } from '../src/gateway/server.js';

const [role, upstream] = process.argv.slice(2);

// The load generator asks for this process's CPU time (a line "cpu" on stdin) to report CPU per
// request, which stays meaningful when other processes compete for the cores.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  if (line.trim() === 'cpu') {
    const u = process.cpuUsage();
    process.stdout.write(JSON.stringify({ cpuMicros: u.user + u.system }) + '\n');
  }
});

if (role === 'demo') {
  const demo = await startDemoServer({ record: false });
  process.stdout.write(JSON.stringify({ url: demo.url }) + '\n');
  process.on('SIGTERM', () => void demo.close().then(() => process.exit(0)));
} else if (role === 'gateway' || role === 'gateway-chain') {
  // `gateway`: the core path alone. `gateway-chain`: the embedded default's policy chain and the wired
  // hooks (policies, identity, cost, events), which is what `npm start` runs.
  const chain = role === 'gateway' ? '[]' : '[code-sanitation, pii-detector, prompt-injection, audit-logger]';
  const yaml = `
pack: { name: bench, version: 1.0.0, enabled: true }
policies: { chain: ${chain} }
providers:
  strategy: single
  targets:
    - { id: openai, provider: openai, base_url: "${upstream}", models: ["gpt-*"], secret_key_ref: { env: BENCH_KEY } }
    - { id: anthropic, provider: anthropic, base_url: "${upstream}", models: ["claude-*"], secret_key_ref: { env: BENCH_KEY } }
`;
  const { config } = parseConfigText(yaml, 'bench.yaml');
  if (!config) throw new Error('bench config invalid');
  const gw = await startGateway({
    loaded: { config, version: 'bench', files: [], warnings: [] },
    listen: '127.0.0.1:0',
    logger: false,
    env: { BENCH_KEY: 'sk-bench' },
    ...(role === 'gateway' ? { hooks: () => noopHooks } : {}),
  });
  process.stdout.write(JSON.stringify({ url: gw.url }) + '\n');
  process.on('SIGTERM', () => void gw.close().then(() => process.exit(0)));
} else {
  process.stderr.write('usage: child.ts demo | gateway <upstream-url>\n');
  process.exit(2);
}
