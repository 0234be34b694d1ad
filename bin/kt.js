#!/usr/bin/env node
// The kt command. Runs the TypeScript sources through tsx so `npx kt` works from a checkout
// without a build step; tsx caches transpiled files, so only the first start pays for it.
import { register } from 'tsx/esm/api';

// A reader that went away (`kt config schema | head`) is not a failure: stop quietly, as Unix tools do,
// keeping the exit code the command had already chosen.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
