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

${DISASM_USAGE}`;

export function main(argv: readonly string[]): number | Promise<number> {
  try {
    const status = command(argv);
    // Commands that judge run asynchronously (worker threads): their mistakes arrive as rejections.
    return status instanceof Promise ? status.catch(usageError) : status;
  } catch (e) {
    return usageError(e);
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

/** A mistake on the command line exits 2 with a pointer to --help; anything else is a bug, thrown on. */
function usageError(e: unknown): number {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`patchlit: ${(e as Error).message}\n(patchlit --help tells more)\n`);
    return 2;
  }
  throw e;
}
