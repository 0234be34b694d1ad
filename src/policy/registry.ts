/**
 * Builds the chain's policies from a loaded config: one factory per kind, aliases resolved, settings
 * defaulted by the kind's schema. Kinds enforced elsewhere (rbac: identity/admission) have no engine
 * policy and are skipped.
 */
import { policySettings, resolvePolicyKind, type PolicyKind } from '../config/sections/policies/index.js';
import { createFingerprinter, fingerprintKeySource } from './fingerprint.js';
import { defaultDetectors, type DetectorFactories } from './detectors.js';
import type { Policy } from './policy.js';
import type { PolicyBuildDeps } from './policy-deps.js';
import { createScanCache, type ScanCache } from './scan-cache.js';
import { createAuditLogger } from './policies/audit-logger/index.js';
import { createCodeSanitation } from './policies/code-sanitation/index.js';
import { createDisclaimers } from './policies/disclaimers/index.js';
import { createDlpFilter } from './policies/dlp-filter/index.js';
import { createPiiPolicy } from './policies/pii-detector/index.js';
import { createPromptInjection } from './policies/prompt-injection/index.js';
import { createQualityScorer } from './policies/quality-scorer/index.js';
import { createSafetyFilter } from './policies/safety-filter/index.js';

/** The part of KtConfig the engine reads. */
export interface PolicyConfigView {
  policies?: { chain?: readonly string[] };
  policy?: Partial<Record<string, unknown>>;
}

type Factory = (config: PolicyConfigView, deps: PolicyBuildDeps) => Policy;

const FACTORIES: Partial<Record<PolicyKind, Factory>> = {
  'code-sanitation': (c, d) => createCodeSanitation(policySettings(withAlias(c), 'code-sanitation'), d),
  'pii-detector': (c, d) => createPiiPolicy(policySettings(c, 'pii-detector'), d),
  'prompt-injection': (c, d) => createPromptInjection(policySettings(c, 'prompt-injection'), d),
  'dlp-filter': (c, d) => createDlpFilter(policySettings(c, 'dlp-filter'), d),
  'safety-filter': (c, d) => createSafetyFilter(policySettings(c, 'safety-filter'), d),
  'quality-scorer': (c) => createQualityScorer(policySettings(c, 'quality-scorer')),
  disclaimers: (c) => createDisclaimers(policySettings(c, 'disclaimers')),
  'audit-logger': (c) => createAuditLogger(policySettings(c, 'audit-logger')),
};

/** `policy.code-sanitizer` configures code-sanitation when the canonical block is absent. */
function withAlias(c: PolicyConfigView): PolicyConfigView {
  if (c.policy?.['code-sanitation'] !== undefined || c.policy?.['code-sanitizer'] === undefined) return c;
  return { ...c, policy: { ...c.policy, 'code-sanitation': c.policy['code-sanitizer'] } };
}

export interface BuildOptions {
  detectors?: Partial<DetectorFactories>;
  cache?: ScanCache;
  fingerprintKey?: Buffer;
  /** The gateway's data dir: the fingerprint key is kept there, so markers survive restarts (fingerprint.ts). */
  dataDir?: string;
  warn?: (message: string) => void;
}

export function buildPolicies(config: PolicyConfigView, opts: BuildOptions = {}): { policies: Policy[]; warnings: string[]; cache: ScanCache } {
  const warnings: string[] = [];
  const deps: PolicyBuildDeps = {
    cache: opts.cache ?? createScanCache(),
    fingerprint: createFingerprinter(fingerprintKeySource({ key: opts.fingerprintKey, dataDir: opts.dataDir, warn: opts.warn })),
    detectors: { ...defaultDetectors, ...opts.detectors },
    warn: (m) => {
      warnings.push(m);
      opts.warn?.(m);
    },
  };
  const seen = new Set<string>();
  const policies: Policy[] = [];
  for (const name of config.policies?.chain ?? []) {
    const kind = resolvePolicyKind(name);
    if (!kind) throw new Error(`unknown policy kind "${name}" in policies.chain`);
    if (seen.has(kind)) continue; // code-sanitation and code-sanitizer in one chain run once
    seen.add(kind);
    const factory = FACTORIES[kind];
    if (factory) policies.push(factory(config, deps));
  }
  return { policies, warnings, cache: deps.cache };
}
