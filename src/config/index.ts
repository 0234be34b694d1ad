/**
 * Public API of the config module: load, validate, merge, watch, mask and export the schema of
 * policy-config.yaml. Other modules import from here only.
 */
export { configSchema, type KtConfig } from './schema.js';
export { ConfigError, DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic, type Severity } from './diagnostics.js';
export { parseConfigText } from './parse.js';
export { defaultConfig, loadConfigFiles, templateText, configVersion, type LoadedConfig } from './load.js';
export { watchConfigFiles, type WatchOptions } from './watch.js';
export { maskConfig } from './mask.js';
export { configJsonSchema } from './json-schema.js';
export { mergeConfigValues } from './merge.js';
export {
  POLICY_ALIASES,
  POLICY_KINDS,
  POLICY_NAMES,
  POLICY_SCHEMAS,
  policySettings,
  resolvePolicyKind,
  type NamedPattern,
  type PolicyKind,
  type PolicySettings,
} from './sections/policies/index.js';
export { DEFAULT_KEY_ENV, PROVIDER_KINDS, normaliseBaseUrl, targetFormat, type ProviderKind, type TargetConfig } from './sections/providers.js';
export type { PiiDetectorConfig } from './sections/policies/pii-detector.js';
export type { CodeSanitationConfig } from './sections/policies/code-sanitation.js';
export type { PromptInjectionConfig } from './sections/policies/prompt-injection.js';
export type { DlpFilterConfig } from './sections/policies/dlp-filter.js';
export type { SafetyFilterConfig } from './sections/policies/safety-filter.js';
export type { QualityScorerConfig } from './sections/policies/quality-scorer.js';
export type { AuditLoggerConfig } from './sections/policies/audit-logger.js';
export type { RbacConfig } from './sections/policies/rbac.js';
export type { DisclaimersConfig } from './sections/policies/disclaimers.js';
