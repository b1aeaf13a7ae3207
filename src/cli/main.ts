// The patchlit command line.

import { asmCommand, ASM_USAGE } from './asm.ts';
import { disasmCommand, DISASM_USAGE } from './disasm.ts';
import { litmusCommand, LITMUS_USAGE } from './litmus.ts';
import { checkCommand, CHECK_USAGE } from './check.ts';
import { runCommand, RUN_USAGE, UsageError } from './run.ts';

const USAGE = `usage: patchlit <command> [options]

commands:
  run FILE|DIR...   explore scenarios, judge their claims, write reports
  check FILE|DIR... validate scenarios without exploring them
  litmus FILE|DIR...  run herd7 litmus tests, print herd's outcome blocks
  asm [INSN...]     assemble instructions, print their encodings as objdump does
  disasm [HEX...]   disassemble instruction words (or a kernel oops Code: line)

${RUN_USAGE}

${CHECK_USAGE}

${LITMUS_USAGE}

${ASM_USAGE}

${DISASM_USAGE}

--debug (any command) prints the stack of an internal error.
exit status 3, whatever the command: an internal error, a bug in patchlit (please
report it).`;

/**
 * The command's exit status: 0, 1 or 2 as each command says, 3 for an internal error.
 * `--debug`, anywhere on the line, prints an internal error's stack.
 */
export function main(argv: readonly string[]): number | Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const failed = (e: unknown) => (isUsageError(e) ? usageError(e as Error) : internalError(e, debug));
  try {
    const status = command(args);
    // Commands that judge run asynchronously (worker threads): their mistakes arrive as
    // rejections, a worker's bug too (verdict/pool.ts rejects with it).
    return status instanceof Promise ? status.catch(failed) : status;
  } catch (e) {
    return failed(e);
  }
}

function command(argv: readonly string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'check':
      return checkCommand(rest);
    case 'litmus':
      return litmusCommand(rest);
    case 'asm':
      return asmCommand(rest);
    case 'disasm':
      return disasmCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function isUsageError(e: unknown): boolean {
  return e instanceof UsageError || (e as { code?: string } | undefined)?.code?.startsWith('ERR_PARSE_ARGS') === true;
}

/** A mistake on the command line exits 2 with a pointer to --help. */
function usageError(e: Error): number {
  process.stderr.write(`patchlit: ${e.message}\n(patchlit --help tells more)\n`);
  return 2;
}

/** The exit status of an internal error: neither a verdict (0, 1) nor bad input (2), so CI can tell a crash apart. */
export const INTERNAL_ERROR = 3;

/**
 * Anything else is a bug in patchlit, wherever it was thrown (this thread or a judging
 * worker's): one line that says so and asks for a report, the stack only with --debug
 * (a user's terminal is no place for it; a bug report is).
 */
export function internalError(e: unknown, debug: boolean, err: NodeJS.WritableStream = process.stderr): number {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const line = what.split('\n')[0];
  err.write(`patchlit: internal error: ${line}. This is a bug in patchlit, not in your input: please report it with the files and the command that caused it${debug ? '' : ' (--debug prints the stack)'}\n`);
  if (debug && e instanceof Error && e.stack) err.write(`${e.stack}\n`);
  return INTERNAL_ERROR;
}
