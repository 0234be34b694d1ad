/**
 * Entry of the `kt` CLI: parses argv only. Every file in ./commands exports `register(program)`,
 * which declares its command(s) and lazy-imports the implementation inside the action, so
 * `kt --help` stays fast and command files never edit a shared list.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ExitError } from './exit.js';
import { VERSION } from '../version.js';

export interface CommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('kt')
    .description('kt — governance gateway for LLM traffic')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.test\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Partial<CommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help/version exit with code 0; usage errors with 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof ExitError) {
      if (err.message) process.stderr.write(err.message.endsWith('\n') ? err.message : err.message + '\n');
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(
      `kt: internal error: ${(err as Error)?.stack ?? String(err)}\nThis is a bug in kt; please report it with the command you ran.\n`,
    );
    process.exitCode = 70;
  }
}
