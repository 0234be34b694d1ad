/**
 * `kt demo-provider`: serves the demo provider over HTTP(S) so a person (or a benchmark) can point a
 * gateway target or an SDK at a faithful fake upstream.
 */
import type { Command } from 'commander';
import { EXIT, ExitError } from '../exit.js';

export interface DemoProviderOptions {
  listen: string;
  latencyMs?: number;
  chunkDelayMs?: number;
  tlsCert?: string;
  tlsKey?: string;
  requireKey?: string;
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen) ?? /^()()(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ExitError(EXIT.usage, `kt demo-provider: --listen must be HOST:PORT (e.g. 127.0.0.1:41003), got "${listen}"`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

function nonNegative(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new ExitError(EXIT.usage, `kt demo-provider: ${name} must be a number of milliseconds ≥ 0, got "${value}"`);
    return n;
  };
}

export async function demoProvider(opts: DemoProviderOptions, out: NodeJS.WritableStream = process.stdout): Promise<() => Promise<void>> {
  const { host, port } = parseListen(opts.listen);
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw new ExitError(EXIT.usage, 'kt demo-provider: --tls-cert and --tls-key go together');
  }
  const { readFile } = await import('node:fs/promises');
  let tls: { key: Buffer; cert: Buffer } | undefined;
  if (opts.tlsCert && opts.tlsKey) {
    try {
      tls = { cert: await readFile(opts.tlsCert), key: await readFile(opts.tlsKey) };
    } catch (err) {
      throw new ExitError(EXIT.usage, `kt demo-provider: cannot read the TLS files: ${(err as Error).message}`);
    }
  }
  const { startDemoServer } = await import('../../providers/demo/index.js');
  let server;
  try {
    server = await startDemoServer({ host, port, tls, latencyMs: opts.latencyMs, chunkDelayMs: opts.chunkDelayMs, requireKey: opts.requireKey, record: false });
  } catch (err) {
    throw new ExitError(EXIT.usage, `kt demo-provider: cannot listen on ${opts.listen}: ${(err as Error).message}`);
  }
  out.write(
    `kt demo provider listening on ${server.url}\n` +
      `  OpenAI:    ${server.url}/v1/chat/completions, /v1/responses, /v1/completions, /v1/embeddings, /v1/models\n` +
      `  Anthropic: ${server.url}/v1/messages, /v1/messages/count_tokens\n` +
      `  Faults:    header "x-demo-fault: 429" or model "demo-fault-reset-mid-stream-2" (see docs/DEMO.md)\n`,
  );
  return () => server.close();
}

export function register(program: Command): void {
  program
    .command('demo-provider')
    .description('serve the demo LLM provider (OpenAI + Anthropic wire formats, faults) for tests and trials')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:41003')
    .option('--latency-ms <n>', 'delay before each answer', nonNegative('--latency-ms'))
    .option('--chunk-delay-ms <n>', 'delay between stream events', nonNegative('--chunk-delay-ms'))
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--require-key <key>', 'answer 401 unless requests carry this key')
    .action(async (opts: DemoProviderOptions) => {
      const close = await demoProvider(opts);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
