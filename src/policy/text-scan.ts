/**
 * Scanning plain text with the chain's detecting policies, outside the gateway: `kt scan` and detection
 * quality measurement. Every policy sees the text (no short-circuit), as one segment of the given role.
 */
import type { SegmentRole } from '../dialects/types.js';
import { buildPolicies, type BuildOptions, type PolicyConfigView } from './registry.js';
import type { Finding } from './types.js';

export const SCAN_CATEGORIES = ['secret', 'pii', 'injection', 'dlp', 'safety'] as const;
export type ScanCategory = (typeof SCAN_CATEGORIES)[number];

/** Without a config, `kt scan` looks for every built-in category. */
export const DEFAULT_SCAN_CHAIN = ['code-sanitation', 'pii-detector', 'prompt-injection'];

export interface ScanFinding {
  policy: string;
  rule: string;
  type: string;
  category: ScanCategory;
  start: number;
  end: number;
  action: Finding['action'];
}

export type TextScanner = (text: string) => Promise<ScanFinding[]>;

export function createTextScanner(config: PolicyConfigView | undefined, opts: BuildOptions & { role?: SegmentRole } = {}): { scan: TextScanner; warnings: string[] } {
  const cfg = config?.policies?.chain?.length ? config : { ...config, policies: { chain: DEFAULT_SCAN_CHAIN } };
  const { policies, warnings } = buildPolicies(cfg, opts);
  const role = opts.role ?? 'user';
  const detecting = policies.filter((p) => p.phases.includes('input'));
  const scan: TextScanner = async (text) => {
    const segments = [{ path: ['text'], pointer: 'text', role, text }];
    const out: ScanFinding[] = [];
    for (const p of detecting) {
      const r = await p.evaluate({ phase: 'input', segments });
      for (const f of r.findings) {
        if (!(SCAN_CATEGORIES as readonly string[]).includes(f.category)) continue;
        out.push({ policy: f.policy, rule: f.rule, type: f.type, category: f.category as ScanCategory, start: f.start, end: f.end, action: f.action });
      }
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end);
  };
  return { scan, warnings };
}
