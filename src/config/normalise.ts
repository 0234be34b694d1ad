/**
 * Normalisation of a validated config, so consumers see one spelling of everything: policy aliases
 * become canonical kinds (chain and blocks), `base_url` loses a trailing `/v1`, every target has `format`.
 */
import type { KtConfig } from './schema.js';
import { normaliseBaseUrl, targetFormat } from './sections/providers.js';
import { resolvePolicyKind } from './sections/policies/index.js';

type PolicyMap = NonNullable<KtConfig['policy']>;

function canonicalPolicyMap(map: PolicyMap): PolicyMap {
  const out: Record<string, unknown> = {};
  for (const [name, block] of Object.entries(map)) if (block !== undefined) out[resolvePolicyKind(name) ?? name] = block;
  return out as PolicyMap;
}

export function normaliseConfig(config: KtConfig): KtConfig {
  const c: KtConfig = { ...config, policies: { ...config.policies, chain: config.policies.chain.map((n) => resolvePolicyKind(n) ?? n) } };
  if (c.policy) c.policy = canonicalPolicyMap(c.policy);
  if (c.providers)
    c.providers = {
      ...c.providers,
      targets: c.providers.targets.map((t) => ({ ...t, format: targetFormat(t), ...(t.base_url ? { base_url: normaliseBaseUrl(t.base_url) } : {}) })),
    };
  if (c.scopes)
    c.scopes = c.scopes.map((s) => ({
      ...s,
      ...(s.chain ? { chain: s.chain.map((n) => resolvePolicyKind(n) ?? n) } : {}),
      ...(s.policy ? { policy: canonicalPolicyMap(s.policy) } : {}),
    }));
  return c;
}
