/**
 * `code-sanitation` (alias `code-sanitizer`): credentials in prompts, tool traffic and answers, plus
 * dangerous shell in the tool calls the model produces. Secrets are redacted by default; in tool results
 * even when `block_on_match` is set unless `tool_results: block`, because a block there poisons the
 * agent's session (the secret stays in its history and every later turn would be blocked again).
 *
 * Shell commands are judged where the model asks for them — the output phase: buffered answers, and
 * streamed tool calls once their arguments are complete (the client runs nothing before that). Tool
 * calls in a request's history are not judged: the client already ran or refused them, so blocking them
 * again would only block every later turn of the session, and they were judged when the model made them.
 */
import type { CodeSanitationConfig } from '../../../config/sections/policies/code-sanitation.js';
import type { Detector } from '../../../detect/types.js';
import { runDetectors, type DetectorRun } from '../../detector-policy.js';
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
  const shellAction: Verdict = cfg.shell_commands === 'block' ? 'block' : 'flag';
  const base = {
    policy: NAME,
    redaction: { marker_format: 'label' as const },
    reasonCode: 'secret_detected',
    allowlist: new Set(cfg.allowlist ?? []),
  };
  const request: DetectorRun = {
    ...base,
    detectors: [secrets],
    actionFor: (_d, _seg, phase) => (phase === 'tool' ? cfg.tool_results : secretAction),
  };
  const output: DetectorRun = {
    ...base,
    detectors: shell ? [secrets, shell] : [secrets],
    actionFor: (d, seg) => (d.category === 'shell' ? (seg.role === 'tool_call' ? shellAction : 'allow') : secretAction),
  };
  return definePolicy({
    name: NAME,
    phases: ['input', 'tool', 'output'],
    mode: cfg.mode ?? 'enforce',
    advice: 'Remove the credential (use an environment variable or a secret manager reference instead) and send again; rotate it if it is real.',
    evaluate: (ctx) => {
      const out = runDetectors(ctx.phase === 'output' ? output : request, ctx, deps);
      if (out.verdict !== 'allow' && out.findings.every((f) => f.category === 'shell')) {
        out.reasonCode = 'dangerous_shell_command';
        if (out.verdict === 'block') out.message = shellBlockMessage(out.findings[0]?.rule);
      }
      return out;
    },
    stream: {
      detectors: [secrets],
      actionFor: () => secretAction,
      pending: secretTail(deps.detectors.secretCandidates()),
      toolCalls: shell ? { detectors: [shell], actionFor: () => shellAction, message: shellBlockMessage } : undefined,
    },
  });
}

/** A blocked command: say what kt did and what the user can do, never the command itself. */
export function shellBlockMessage(rule: string | undefined): string {
  return `kt blocked the model's tool call: policy code-sanitation (rule ${rule ?? 'shell'}: a dangerous shell command). The call was stopped before it was complete, so your client does not run it. Ask for a safer approach, or ask your kt administrator to relax policy.code-sanitation.shell_commands.`;
}
