/**
 * Scanning plain text with the chain's detecting policies, outside the gateway: `kt scan` and detection
 * quality measurement. Every policy sees the text (no short-circuit), as one segment of the given role,
 * in the phase that role belongs to in real traffic — so a tool result gets the tool phase's actions
 * (secrets redacted under `tool_results`, planted instructions neutralised) and a tool call the output
 * phase's checks (dangerous shell), exactly as the gateway would judge them.
 */
import type { SegmentRole } from '../dialects/types.js';
import { buildPolicies, type BuildOptions, type PolicyConfigView } from './registry.js';
import type { Finding, Phase } from './types.js';

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

/**
 * The phase a segment of this role is judged in: tool results in the tool phase; what the model produces
 * (assistant text, the tool calls it asks for) in the output phase; everything else in the input phase.
 */
export function phaseOfRole(role: SegmentRole): Phase {
  if (role === 'tool_result') return 'tool';
  if (role === 'assistant' || role === 'tool_call') return 'output';
  return 'input';
}

export function createTextScanner(config: PolicyConfigView | undefined, opts: BuildOptions & { role?: SegmentRole } = {}): { scan: TextScanner; warnings: string[] } {
  const cfg = config?.policies?.chain?.length ? config : { ...config, policies: { chain: DEFAULT_SCAN_CHAIN } };
  const { policies, warnings } = buildPolicies(cfg, opts);
  const role = opts.role ?? 'user';
  const phase = phaseOfRole(role);
  const detecting = policies.filter((p) => p.phases.includes(phase));
  const scan: TextScanner = async (text) => {
    const segments = [{ path: ['text'], pointer: 'text', role, text }];
    const out: ScanFinding[] = [];
    for (const p of detecting) {
      const r = await p.evaluate({ phase, segments });
      for (const f of r.findings) {
        if (!(SCAN_CATEGORIES as readonly string[]).includes(f.category)) continue;
        out.push({ policy: f.policy, rule: f.rule, type: f.type, category: f.category as ScanCategory, start: f.start, end: f.end, action: f.action });
      }
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end);
  };
  return { scan, warnings };
}
