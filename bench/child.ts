/**
 * One benchmark server in its own process, so the load generator, the gateway and the fake provider
 * do not share an event loop. Prints `{"url": …}` on stdout once listening; exits on SIGTERM.
 *   node --import tsx bench/child.ts demo
 *   node --import tsx bench/child.ts gateway|gateway-chain|bare-proxy <demo-url>
 * `bare-proxy` is the floor: node:http + undici `request()` relaying bytes, with nothing of kt's.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
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
    process.stdout.write(JSON.stringify({ cpuMicros: u.user + u.system, userMicros: u.user }) + '\n');
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
} else if (role === 'bare-proxy') {
  const pool = new Pool(upstream, { connections: 256 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const { host: _h, connection: _c, 'content-length': _l, ...headers } = req.headers;
      try {
        const up = await pool.request({ method: 'POST', path: req.url!, headers: headers as Record<string, string>, body: Buffer.concat(chunks) });
        const { connection: _uc, 'keep-alive': _k, 'transfer-encoding': _t, ...out } = up.headers;
        res.writeHead(up.statusCode, out as Record<string, string>);
        for await (const c of up.body) res.write(c);
        res.end();
      } catch {
        res.destroy();
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');
  });
  process.on('SIGTERM', () => void pool.close().then(() => process.exit(0)));
} else {
  process.stderr.write('usage: child.ts demo | gateway | gateway-chain | bare-proxy <upstream-url>\n');
  process.exit(2);
}
