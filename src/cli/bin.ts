#!/usr/bin/env node
// The patchlit command's process: package.json's "bin" runs its compiled form,
// dist/cli/bin.js, with plain node. (src/cli/patchlit.js runs it from the sources, through tsx.)

const debug = process.argv.includes('--debug');
// With --debug an internal error's stack is for a bug report: in the TypeScript sources'
// lines (the build's source maps), which node maps only for modules loaded after this.
if (debug) process.setSourceMapsEnabled(true);
const { internalError, main } = await import('./main.ts');

// What escapes main (an error in a callback, a rejection nobody awaited) is a bug too.
process.on('uncaughtException', (e) => process.exit(internalError(e, debug)));
process.on('unhandledRejection', (e) => process.exit(internalError(e, debug)));
process.exitCode = await main(process.argv.slice(2));
