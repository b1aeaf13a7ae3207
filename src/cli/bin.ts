#!/usr/bin/env node
// The patchlit command's process: package.json's "bin" runs its compiled form,
// dist/cli/bin.js, with plain node. (src/cli/patchlit.js runs it from the sources, through tsx.)
import { internalError, main } from './main.ts';

// What escapes main (an error in a callback, a rejection nobody awaited) is a bug too.
const debug = process.argv.includes('--debug');
process.on('uncaughtException', (e) => process.exit(internalError(e, debug)));
process.on('unhandledRejection', (e) => process.exit(internalError(e, debug)));
process.exitCode = await main(process.argv.slice(2));
