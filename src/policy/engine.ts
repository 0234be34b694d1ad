/**
 * The policy engine: runs the chain's policies for one phase in chain order, collects their edits,
 * short-circuits on block/escalate, applies --fail-mode to a policy that throws or overruns its time
 * budget, and reports one PolicyResult per policy. It knows nothing about HTTP; hooks.ts adapts it to
 * the gateway's Exchange.
 */
import { performance } from 'node:perf_hooks';
import type { TextEdit } from '../dialects/types.js';
import { GatewayError } from '../errors.js';
import { SEVERITY, worst } from './detector-policy.js';
import type { Policy, PolicyContext } from './policy.js';
import type { Finding, Phase, PolicyOutcome, PolicyResult, Verdict } from './types.js';

export type FailMode = 'block' | 'allow';

export interface EngineOptions {
  failMode?: FailMode;
  /** Default per-policy time budget in ms. */
  timeBudgetMs?: number;
}

export interface PhaseRun {
  results: PolicyResult[];
  /** Redaction edits of enforcing policies, in chain order (overlaps resolved when applied). */
  edits: TextEdit[];
  /** Worst verdict of this phase (flag-mode policies count as flag). */
  verdict: Verdict;
  reasonCode?: string;
  /** Set when the phase refuses the traffic (block, escalate, or a failure under fail-mode block). */
  error?: GatewayError;
}

export interface RunOptions {
  /** Scope-level flag mode (issue 7): every policy records only. */
  flagOnly?: boolean;
}

const DEFAULT_BUDGET_MS = 5000;

class PolicyTimeout extends Error {}

async function evaluateWithBudget(p: Policy, ctx: PolicyContext, budgetMs: number): Promise<PolicyOutcome> {
  const started = performance.now();
  const res = p.evaluate(ctx);
  let out: PolicyOutcome;
  if (res instanceof Promise) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PolicyTimeout(`exceeded its ${budgetMs} ms time budget`)), budgetMs);
    });
    try {
      out = await Promise.race([res, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } else out = res;
  // Synchronous work cannot be pre-empted; an overrun still counts, so a slow policy is visible and fails closed.
  if (performance.now() - started > budgetMs) throw new PolicyTimeout(`exceeded its ${budgetMs} ms time budget`);
  return out;
}

function describeFinding(f: Finding | undefined): string {
  if (!f) return '';
  return ` (rule ${f.rule}: ${f.type} in ${f.path})`;
}

/** The human explanation every client prints verbatim: policy, rule, where, what to do. Never the text. */
export function blockMessage(p: Policy, phase: Phase, outcome: PolicyOutcome): string {
  if (outcome.message) return outcome.message;
  const what = phase === 'output' ? "the model's response" : 'this request';
  const f = outcome.findings.find((x) => x.action === 'block' || x.action === 'escalate') ?? outcome.findings[0];
  const verb = outcome.verdict === 'escalate' ? 'held' : 'blocked';
  const tail = outcome.verdict === 'escalate' ? ' It needs review by an administrator before it can go through.' : '';
  return `kt ${verb} ${what}: policy ${p.name}${describeFinding(f)}.${tail} ${p.advice ?? 'Ask your kt administrator if this is a false positive.'}`.trim();
}

export class PolicyEngine {
  private readonly failMode: FailMode;
  private readonly budgetMs: number;

  constructor(
    readonly policies: readonly Policy[],
    opts: EngineOptions = {},
  ) {
    this.failMode = opts.failMode ?? 'block';
    this.budgetMs = opts.timeBudgetMs ?? DEFAULT_BUDGET_MS;
  }

  forPhase(phase: Phase): Policy[] {
    return this.policies.filter((p) => p.phases.includes(phase));
  }

  hasPhase(phase: Phase): boolean {
    return this.policies.some((p) => p.phases.includes(phase));
  }

  async runPhase(phase: Phase, ctx: Omit<PolicyContext, 'phase'>, opts: RunOptions = {}): Promise<PhaseRun> {
    const run: PhaseRun = { results: [], edits: [], verdict: 'allow' };
    const policies = this.forPhase(phase);
    if (policies.length === 0 || ctx.segments.length === 0 && phase !== 'output') return run;
    for (const p of policies) {
      const started = performance.now();
      let outcome: PolicyOutcome;
      let error: string | undefined;
      try {
        outcome = await evaluateWithBudget(p, { ...ctx, phase }, p.timeBudgetMs ?? this.budgetMs);
      } catch (err) {
        // The message of a policy error may quote input; events get only its class and our own text.
        error = err instanceof PolicyTimeout ? err.message : `threw ${(err as Error)?.name ?? 'an error'}`;
        outcome = { verdict: this.failMode === 'block' ? 'block' : 'allow', reasonCode: 'policy_failed', findings: [] };
      }
      const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
      const flag = p.mode === 'flag' || opts.flagOnly === true;
      // (marked edit: scopes) a flag-mode policy changes nothing for the caller, not even when it fails:
      // the error is recorded (verdict flag, reason "would have applied block") and the request goes on.
      const enforced: Verdict = flag && outcome.verdict !== 'allow' ? 'flag' : outcome.verdict;
      const result: PolicyResult = { policy: p.name, phase, verdict: enforced, latencyMs, findings: outcome.findings };
      if (outcome.reasonCode) result.reasonCode = outcome.reasonCode;
      if (flag && enforced === 'flag' && outcome.verdict !== 'flag') result.reason = `flag mode: would have applied ${outcome.verdict}`;
      if (error) result.error = error;
      if (outcome.score !== undefined) result.score = outcome.score;
      run.results.push(result);

      if (SEVERITY[enforced] > SEVERITY[run.verdict]) {
        run.verdict = worst(run.verdict, enforced);
        run.reasonCode = outcome.reasonCode;
      }
      if (error && this.failMode === 'block' && !flag) { // (marked edit: scopes) flag mode never fails closed
        run.error = new GatewayError('KT_ERR_POLICY_FAILED', `kt could not evaluate policy ${p.name} (it ${error}) and --fail-mode is block, so the ${phase === 'output' ? 'response' : 'request'} was stopped. Retry later or ask your kt administrator.`, {
          reason: phase === 'output' ? 'output_blocked' : 'input_blocked',
          policy: p.name,
        });
        return run;
      }
      if (enforced === 'redact' && outcome.edits) run.edits.push(...outcome.edits);
      if (enforced === 'block' || enforced === 'escalate') {
        const reason = enforced === 'escalate' ? 'escalation_required' : phase === 'output' ? 'output_blocked' : 'input_blocked';
        run.error = new GatewayError('KT_ERR_POLICY_BLOCKED', blockMessage(p, phase, outcome), { reason, policy: p.name });
        return run;
      }
    }
    return run;
  }
}
