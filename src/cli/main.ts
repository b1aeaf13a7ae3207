// The patchlit command line.

import { runCommand, RUN_USAGE, UsageError } from './run.ts';

const USAGE = `usage: patchlit <command> [options]

commands:
  run FILE|DIR...   explore scenarios, judge their claims, write reports

${RUN_USAGE}`;

export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return runCommand(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`patchlit: ${(e as Error).message}\n(patchlit --help tells more)\n`);
      return 2;
    }
    throw e;
  }
}

