#!/usr/bin/env node
// The patchlit command (package.json "bin"): the TypeScript sources run through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { main, internalError } = await import('./main.ts');
// What escapes main (an error in a callback, a rejection nobody awaited) is a bug too.
const debug = process.argv.includes('--debug');
process.on('uncaughtException', (e) => process.exit(internalError(e, debug)));
process.on('unhandledRejection', (e) => process.exit(internalError(e, debug)));
process.exitCode = await main(process.argv.slice(2));
