#!/usr/bin/env node
// The kt command. Runs the TypeScript sources through tsx so `npx kt` works from a checkout
// without a build step; tsx caches transpiled files, so only the first start pays for it.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
