/** Shared bits of the config tests: fixture paths and a writable temp dir cleaned after the test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Environment in which the seeds' provider keys are set, so lint is warning-free. */
export const KEYS_ENV = { OPENAI_API_KEY: 'set', ANTHROPIC_API_KEY: 'set' };

export function capture(): { write(s: string): boolean; text(): string } {
  let buf = '';
  return { write: (s: string) => ((buf += s), true), text: () => buf };
}
