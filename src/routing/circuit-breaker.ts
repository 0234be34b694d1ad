/**
 * Per-target circuit breaker. `failureThreshold` consecutive failures (connect errors, timeouts, 5xx)
 * open it for `cooldownMs`; then one trial request is let through (half-open): success closes it,
 * failure opens it again. 429 is not a failure here: the target is healthy, just busy.
 */
export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, cooldownMs: 30_000 };

type State = { failures: number; openedAt?: number; trialInFlight: boolean };

export class CircuitBreakers {
  private readonly states = new Map<string, State>();
  constructor(
    private opts: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  configure(opts: BreakerOptions): void {
    this.opts = opts;
  }

  /** May a request go to this target now? A half-open breaker admits exactly one trial. */
  allow(key: string): boolean {
    const s = this.states.get(key);
    if (!s || s.openedAt === undefined) return true;
    if (this.now() - s.openedAt < this.opts.cooldownMs || s.trialInFlight) return false;
    s.trialInFlight = true;
    return true;
  }

  state(key: string): 'closed' | 'open' | 'half-open' {
    const s = this.states.get(key);
    if (!s || s.openedAt === undefined) return 'closed';
    return this.now() - s.openedAt < this.opts.cooldownMs ? 'open' : 'half-open';
  }

  success(key: string): void {
    this.states.delete(key);
  }

  failure(key: string): void {
    const s = this.states.get(key) ?? { failures: 0, trialInFlight: false };
    s.failures++;
    s.trialInFlight = false;
    if (s.openedAt !== undefined || s.failures >= this.opts.failureThreshold) s.openedAt = this.now();
    this.states.set(key, s);
  }
}
