/**
 * Everything derived from one loaded config that the request path reads: settings, resolved targets
 * and hooks. Built once per load and swapped atomically on reload; a request keeps the runtime it
 * started with, so in-flight requests finish on the old config.
 */
import { resolveTargets } from '../providers/registry.js';
import type { ResolvedTarget } from '../providers/types.js';
import type { LoadedConfigView } from './config-types.js';
import type { GatewayHooks } from './hooks.js';
import { readSettings, type GatewaySettings } from './settings.js';

export interface Runtime {
  loaded: LoadedConfigView;
  settings: GatewaySettings;
  hooks: GatewayHooks;
  targets: ResolvedTarget[];
  unavailable: { id: string; reason: string }[];
  /** Config warnings plus target warnings (missing env vars …). */
  warnings: string[];
  chain: string[];
}

export function buildRuntime(
  loaded: LoadedConfigView,
  makeHooks: (loaded: LoadedConfigView, settings: GatewaySettings) => GatewayHooks,
  overrides: { failMode?: 'block' | 'allow'; maxBodyBytes?: number } = {},
  env: NodeJS.ProcessEnv = process.env,
): Runtime {
  const settings = readSettings(loaded.config);
  if (overrides.failMode) settings.failMode = overrides.failMode;
  if (overrides.maxBodyBytes) settings.maxBodyBytes = overrides.maxBodyBytes;
  const resolved = resolveTargets(loaded.config.providers, env);
  return {
    loaded,
    settings,
    hooks: makeHooks(loaded, settings),
    targets: resolved.targets,
    unavailable: resolved.unavailable,
    warnings: [...loaded.warnings, ...resolved.warnings],
    chain: loaded.config.policies?.chain ?? [],
  };
}
