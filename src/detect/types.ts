/**
 * Contract of the detectors: plain, synchronous functions over text, shared by several policies.
 * A detection carries offsets into the scanned text, never a copy of the matched value.
 */
import type { SegmentRole } from '../dialects/types.js';
import type { FindingCategory } from '../policy/types.js';

export interface Detection {
  /** Stable rule id, e.g. `aws-access-key-id`, `email`, `injection.override`. */
  rule: string;
  /** Entity type reported to users (often equal to the rule id). */
  type: string;
  category: FindingCategory;
  /** Offsets into the scanned text: [start, end). */
  start: number;
  end: number;
  /** 0..1, where the detector has a notion of it. */
  confidence?: number;
  // (marked edit: detection precision) a finding worth recording but not acting on.
  /**
   * Seen only where the text quotes it as data (attack strings in a rule pack's regex sources or a test's
   * literals): policies record it (flag) instead of redacting or blocking.
   */
  advisory?: boolean;
}

export interface ScanContext {
  /** Where the text sits; e.g. injection in a tool result is indirect, in a user turn it may be a question. */
  role?: SegmentRole;
}

export interface Detector {
  readonly id: string;
  scan(text: string, ctx?: ScanContext): Detection[];
}
