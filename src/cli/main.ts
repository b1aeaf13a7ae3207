// The patchlit command line.

import { readFileSync } from 'node:fs';
import { closestName } from '../isa/suggest.ts';
import { UsageError } from './usage.ts';

/**
 * Each command's module, loaded only when that command runs or its help is asked for: a
 * command starts without compiling what it never calls (`--version` and `asm` neither the
 * judging engine nor a report renderer, which run.ts and outputs.ts load by format).
 */
const COMMANDS_BY_NAME = {
  run: () => import('./run.ts').then((m) => ({ run: m.runCommand, usage: m.RUN_USAGE })),
  check: () => import('./check.ts').then((m) => ({ run: m.checkCommand, usage: m.CHECK_USAGE })),
  litmus: () => import('./litmus.ts').then((m) => ({ run: m.litmusCommand, usage: m.LITMUS_USAGE })),
  asm: () => import('./asm.ts').then((m) => ({ run: m.asmCommand, usage: m.ASM_USAGE })),
  disasm: () => import('./disasm.ts').then((m) => ({ run: m.disasmCommand, usage: m.DISASM_USAGE })),
  emit: () => import('./emit.ts').then((m) => ({ run: m.emitCommand, usage: m.EMIT_USAGE })),
  hw: () => import('./hw.ts').then((m) => ({ run: m.hwCommand, usage: m.HW_USAGE })),
} as const satisfies Record<string, () => Promise<{ run: (argv: string[]) => number | Promise<number>; usage: string }>>;

type CommandName = keyof typeof COMMANDS_BY_NAME;
const COMMAND_NAMES = Object.keys(COMMANDS_BY_NAME) as CommandName[];
const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS_BY_NAME, name);

const COMMANDS = `commands:
  run FILE[:LINE]|DIR...  explore scenarios, judge their claims, write reports
  check FILE|DIR...       validate scenarios without exploring them
  litmus FILE|DIR...      run herd7 litmus tests, print herd's outcome blocks
  asm [INSN...]           assemble instructions, print their encodings as objdump does
  disasm [HEX...]         disassemble instruction words (or a kernel oops Code: line)
  emit FILE[:LINE]        write a scenario as a bare-metal program for QEMU's virt machine
  hw FILE[:LINE]          run scenarios on QEMU (--qemu) or read a board's histogram (--results),
                          outcomes held against the model`;

/** What bare \`patchlit\` prints: the commands, and where the rest is. */
const SHORT_USAGE = `usage: patchlit COMMAND [options]

${COMMANDS}

patchlit COMMAND --help tells a command's options, patchlit help all of them;
patchlit --version (-v) prints the version.`;

/** `patchlit help`: the commands, each command's options, and what holds for all. */
async function fullUsage(): Promise<string> {
  const usages = await Promise.all(COMMAND_NAMES.map(async (name) => (await COMMANDS_BY_NAME[name]()).usage));
  return `usage: patchlit COMMAND [options]

${COMMANDS}

${usages.join('\n\n')}

-v, --version prints patchlit's version.
--debug (any command) prints the stack of an internal error.
exit status 3, whatever the command: an internal error, a bug in patchlit (please
report it).`;
}

/** package.json's version: the one npm installed. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * The command's exit status: 0, 1 or 2 as each command says, 3 for an internal error.
 * `--debug`, anywhere on the line, prints an internal error's stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    // Commands that judge run asynchronously (worker threads): their mistakes arrive as
    // rejections, a worker's bug too (verdict/pool.ts rejects with it).
    return await command(args);
  } catch (e) {
    return e instanceof UsageError ? usageError(e, args[0]) : internalError(e, debug);
  }
}

async function command(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isCommand(command)) return (await COMMANDS_BY_NAME[command]()).run(rest);
  switch (command) {
    // Node's own (node -v), npm's, vitest's and tsc's: -v is not taken for "verbose" here.
    case '-v':
    case '--version':
      process.stdout.write(`patchlit ${version()}\n`);
      return 0;
    // No command is a mistake (exit 2), answered with the short list a first try needs.
    case undefined:
      process.stdout.write(SHORT_USAGE + '\n');
      return 2;
    case '-h':
    case '--help':
    case 'help':
      return help(rest[0]);
    default: {
      const near = closestName(command, COMMAND_NAMES);
      throw new UsageError(`unknown command "${command}"${near ? `; did you mean "${near}"?` : ''}`);
    }
  }
}

/** `patchlit help [COMMAND]`: the whole text, or one command's. */
async function help(topic: string | undefined): Promise<number> {
  if (topic !== undefined && !isCommand(topic)) throw new UsageError(`no help for "${topic}": the commands are ${COMMAND_NAMES.join(', ')}`);
  process.stdout.write((topic === undefined ? await fullUsage() : (await COMMANDS_BY_NAME[topic]()).usage) + '\n');
  return 0;
}

/** A mistake on the command line exits 2 with a pointer to the help of the command it was given to. */
function usageError(e: Error, command: string | undefined): number {
  const topic = isCommand(command) ? `${command} ` : '';
  process.stderr.write(`patchlit: ${e.message}\n(patchlit ${topic}--help tells more)\n`);
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
