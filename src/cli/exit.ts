/** Exit codes of the kt CLI (documented in docs/CLI.md). Commands throw; only the bin sets the code. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'ExitError';
  }
}
