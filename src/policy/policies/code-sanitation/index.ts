/**
 * `code-sanitation` (alias `code-sanitizer`): credentials in prompts, tool traffic and answers, plus
 * dangerous shell in tool calls. Secrets are redacted by default; in tool results even when
 * `block_on_match` is set unless `tool_results: block`, because a block there poisons the agent's
 * session (the secret stays in its history and every later turn would be blocked again).
 */
import type { CodeSanitationConfig } from '../../../config/sections/policies/code-sanitation.js';
import type { Detector } from '../../../detect/types.js';
import { runDetectors } from '../../detector-policy.js';
import { definePolicy, type Policy } from '../../policy.js';
import { namedPatterns, type PolicyBuildDeps } from '../../policy-deps.js';
import { secretTail } from '../../stream/tails.js';
import type { Verdict } from '../../types.js';

export const NAME = 'code-sanitation';

export function createCodeSanitation(cfg: CodeSanitationConfig, deps: PolicyBuildDeps): Policy {
  const scanner = deps.detectors.secrets({ additionalPatterns: namedPatterns(cfg.additional_patterns, 'additional') });
  const disabled = new Set(cfg.disabled_rules ?? []);
  const secrets: Detector = disabled.size === 0 ? scanner : { id: scanner.id, scan: (t, c) => scanner.scan(t, c).filter((d) => !disabled.has(d.rule)) };
  const shellDetector = cfg.shell_commands !== 'off' ? deps.detectors.shell?.() : undefined;
  // Shell checks look at what the assistant asks a tool to run: no need to scan anything else.
  const shell: Detector | undefined = shellDetector && { id: shellDetector.id, scan: (t, c) => (c?.role === 'tool_call' ? shellDetector.scan(t, c) : []) };
  if (cfg.shell_commands !== 'off' && !shell) deps.warn('code-sanitation: the shell-command detector is not available; shell_commands is ignored');
  const secretAction: Verdict = cfg.block_on_match ? 'block' : 'redact';
  const detectors = shell ? [secrets, shell] : [secrets];
  const run = {
    policy: NAME,
    detectors,
    redaction: { marker_format: 'label' as const },
    reasonCode: 'secret_detected',
    allowlist: new Set(cfg.allowlist ?? []),
    actionFor(d: { category: string }, seg: { role: string }, phase: string): Verdict {
      if (d.category === 'shell') {
        // Shell checks look at what the assistant asks a tool to run, nowhere else.
        if (seg.role !== 'tool_call') return 'allow';
        return cfg.shell_commands === 'block' ? 'block' : 'flag';
      }
      if (phase === 'tool') return cfg.tool_results;
      return secretAction;
    },
  };
  return definePolicy({
    name: NAME,
    phases: ['input', 'tool', 'output'],
    mode: cfg.mode ?? 'enforce',
    advice: 'Remove the credential (use an environment variable or a secret manager reference instead) and send again; rotate it if it is real.',
    evaluate: (ctx) => {
      const out = runDetectors(run, ctx, deps);
      if (out.verdict !== 'allow' && out.findings.every((f) => f.category === 'shell')) out.reasonCode = 'dangerous_shell_command';
      return out;
    },
    stream: {
      detectors: [secrets],
      actionFor: () => secretAction,
      pending: secretTail(deps.detectors.secretCandidates()),
    },
  });
}
