/**
 * Builds the pipeline's hooks for one loaded config. This is the one place where identity/cost/audit
 * (`identify`, `admit`, `settle`, `record`) and the policy engine (`inspectRequest`, `inspectResponse`,
 * `streamGuard`) plug in; anything not wired yet keeps its no-op default, so the core runs alone.
 * Called once per load: a reload builds a fresh set and in-flight requests keep the one they started with.
 */
import type { LoadedConfigView } from './config-types.js';
import { noopHooks, type GatewayHooks } from './hooks.js';
import { evidenceHooks } from '../audit/evidence.js'; // evidence (marked edit)
import { createScopedPolicyHooks, type ScopedConfigView } from '../scopes/policy-hooks.js'; // scopes (marked edit)
import { withScopes } from '../scopes/identify.js'; // scopes (marked edit)
import { resolveDataDir } from '../audit/open-store.js'; // (marked edit: policy engine)

export interface HookDeps {
  failMode: 'block' | 'allow';
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export function buildHooks(loaded: LoadedConfigView, deps: HookDeps): GatewayHooks {
  void loaded;
  void deps;
  const hooks: GatewayHooks = { ...noopHooks };
  // --- evidence: identify / admit / settle / record wire in here ---
  Object.assign(hooks, evidenceHooks(loaded.config, deps.logger));
  // --- policy engine: inspectRequest / inspectResponse / streamGuard wire in here ---
  // --- scopes (marked edit): the scope is resolved after identify; the engine runs that scope's chain/mode ---
  const scoped = loaded.config as ScopedConfigView;
  hooks.identify = withScopes(hooks.identify, scoped.scopes);
  // (marked edit: policy engine) the data dir keeps the fingerprint key, so include_metadata markers survive restarts.
  const dataDir = resolveDataDir((loaded.config as { gateway?: { data_dir?: string } }).gateway?.data_dir);
  const policy = createScopedPolicyHooks(scoped, { failMode: deps.failMode, dataDir, warn: (m) => deps.logger?.warn({ component: 'policy' }, m) });
  hooks.inspectRequest = policy.inspectRequest;
  hooks.inspectResponse = policy.inspectResponse;
  hooks.streamGuard = policy.streamGuard;
  return hooks;
}
