#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npx scribe` works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// A start that failed half way may leave what it began (the local org, a connection pool) holding the
// process open, alive and serving nothing; a process manager restarts only a process that ends.
if (code !== 0) process.exit(code);
