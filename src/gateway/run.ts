/**
 * `kt gateway run`: load the config (or the embedded default), start the listener, log how to point
 * clients at it, and drain in-flight requests on SIGINT/SIGTERM before returning (a second signal
 * stops at once). Usage and config errors become exit code 2 with a message naming what to fix.
 */
import { pino } from 'pino';
import { ExitError, EXIT } from '../cli/exit.js';
import { ConfigError, defaultConfig, formatDiagnostic, loadConfigFiles, type LoadedConfig } from '../config/index.js';
import { ListenRefusedError, startGateway, type Gateway } from './server.js';
import { closeEvidence } from '../audit/evidence.js'; // evidence (marked edit)
import { createForwardProxy } from '../proxy/forward-proxy.js'; // proxy (marked edit)

export interface GatewayRunOptions {
  listen?: string;
  policyConfig: string[];
  failMode?: string;
  logLevel?: string;
  /** Resolves to stop the gateway (tests); default: the first SIGINT/SIGTERM. */
  stopSignal?: Promise<unknown>;
  env?: NodeJS.ProcessEnv;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export async function gatewayRun(opts: GatewayRunOptions): Promise<void> {
  if (opts.failMode !== undefined && opts.failMode !== 'block' && opts.failMode !== 'allow') {
    throw new ExitError(EXIT.usage, `kt gateway run: --fail-mode must be block or allow, got "${opts.failMode}"`);
  }
  if (opts.logLevel !== undefined && !LEVELS.includes(opts.logLevel)) {
    throw new ExitError(EXIT.usage, `kt gateway run: --log-level must be one of ${LEVELS.join(', ')}, got "${opts.logLevel}"`);
  }
  const env = opts.env ?? process.env;
  let loaded: LoadedConfig;
  try {
    loaded = opts.policyConfig.length ? await loadConfigFiles(opts.policyConfig) : defaultConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new ExitError(EXIT.usage, `kt gateway run: the configuration is invalid:\n${err.diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`);
    }
    throw new ExitError(EXIT.usage, `kt gateway run: cannot read the configuration: ${(err as Error).message}`);
  }
  const level = opts.logLevel ?? loaded.config.gateway?.log_level ?? 'info';
  const logger = pino({ name: 'kt', level });

  let gw: Gateway;
  const proxy = createForwardProxy(); // proxy (marked edit): CONNECT + absolute-form on the same listener
  try {
    gw = await startGateway({
      ...proxy.gatewayOptions,
      loaded,
      configFiles: opts.policyConfig,
      listen: opts.listen,
      failMode: opts.failMode as 'block' | 'allow' | undefined,
      logger,
      env,
    });
  } catch (err) {
    if (err instanceof ListenRefusedError) throw new ExitError(EXIT.usage, `kt gateway run: ${err.message}`);
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new ExitError(EXIT.usage, `kt gateway run: the address is already in use; another gateway may be running. Stop it or pass --listen 127.0.0.1:<port>.`);
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new ExitError(EXIT.usage, `kt gateway run: cannot listen there (${code}); pass --listen with a local address and a free port.`);
    throw err;
  }
  for (const w of gw.current().warnings) logger.warn(w);
  logStartHints(gw, logger, env);

  await (opts.stopSignal ?? firstSignal(logger));
  logger.info('shutting down: draining in-flight requests');
  await Promise.all([proxy.close(), gw.close()]); // proxy (marked edit): tunnels end with the gateway
  await closeEvidence(); // evidence (marked edit): store queued decision events before exit
  logger.info('stopped');
}

function firstSignal(logger: pino.Logger): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      logger.info({ signal: sig }, 'signal received');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second signal means "now": the default handler ends the process.
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function logStartHints(gw: Gateway, logger: pino.Logger, env: NodeJS.ProcessEnv): void {
  const rt = gw.current();
  const onlyDemo = rt.targets.length > 0 && rt.targets.every((t) => t.provider === 'demo');
  logger.info(`point clients here: ANTHROPIC_BASE_URL=${gw.url}  OPENAI_BASE_URL=${gw.url}/v1`);
  if (!onlyDemo) return;
  logger.info('serving the built-in demo provider: answers are local and show what the provider would have received');
  for (const [envName, provider] of [
    ['OPENAI_API_KEY', 'openai'],
    ['ANTHROPIC_API_KEY', 'anthropic'],
  ] as const) {
    if (env[envName]) {
      logger.info(
        `${envName} is set: to send traffic to ${provider}, run \`kt init\` and add a target { id: ${provider}, provider: ${provider}, secret_key_ref: { env: ${envName} } } under providers.targets, then start with --policy-config policy-config.yaml`,
      );
    }
  }
}
