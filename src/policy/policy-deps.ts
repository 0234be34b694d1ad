/** What every policy factory receives from the engine builder. */
import type { DetectorFactories } from './detectors.js';
import type { DetectorPolicyDeps } from './detector-policy.js';

export interface PolicyBuildDeps extends DetectorPolicyDeps {
  detectors: DetectorFactories;
  /** Notes for the operator (a detector not available, an option ignored); never fatal. */
  warn(message: string): void;
}

/** `additional_patterns` / `detect_patterns` entries: a bare regex or `{name, pattern}`. */
export function namedPatterns(list: readonly (string | { name: string; pattern: string })[] | undefined, prefix: string): { id: string; pattern: string }[] {
  return (list ?? []).map((p, i) => (typeof p === 'string' ? { id: `${prefix}-${i + 1}`, pattern: p } : { id: p.name, pattern: p.pattern }));
}
