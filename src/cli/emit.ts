// `patchlit emit FILE[:LINE] [--out DIR] [--target T]`: a scenario as a program for QEMU's
// virt machine or a board (src/hw/emit.ts), written into a directory with build.sh, which builds it
// with the cross toolchain and runs it. Exit 0, or 2 for bad input and for what emit does
// not support yet.

import { existsSync } from 'node:fs';
import { emitProgram, QEMU_RAM_BASE, TARGET_NAMES, TARGETS, type EmitOptions, type HwTarget } from '../hw/index.ts';
import { writeProgram } from '../hw/qemu.ts';
import { ScenarioError, type Scenario } from '../scenario/index.ts';
import { formatDiagnostic, textIfReadable } from './diagnostics.ts';
import { compileNotebooks } from './files.ts';
import { linesProblem, selectEntries, splitLine } from './select.ts';
import { parseOptions, UsageError } from './usage.ts';

export const EMIT_USAGE = `usage: patchlit emit [options] FILE[:LINE]

Writes the scenario (the one whose block holds LINE, or the file's only one) as a
program for QEMU's virt machine or a board: its code at its addresses moved into RAM
(encodings kept), the patching hart's steps, the remote harts' calls, IPIs, random
delays, and a histogram of outcomes in patchlit's outcome syntax printed at the end.
DIR/build.sh builds it and runs it on QEMU.

options:
  --out DIR          where to write it (default: hw-SCENARIO)
  --target T         bare: machine mode on bare metal (-bios none; IPIs through the
                     CLINT); sbi: supervisor mode under SBI firmware such as OpenSBI
                     (its IPI, remote fence.i, HSM and console calls), as a board boots
                     a payload (default: sbi for a scenario that makes SBI calls, else bare)
  --ram-base ADDR    where the machine's RAM starts (default 0x80000000, QEMU's virt
                     machine; a JH7110 board's is 0x40000000): the runtime goes 2 MiB
                     above it under SBI firmware, the scenario's code 16 MiB above it.
                     Under --target sbi, DIR/prog.bin boots as a kernel (U-Boot: booti)
  --harts N          harts the machine has (default: the patching hart + one per remote hart)
  --iterations K     times the scenario runs (default 1000)
  --seed S           the random delays' seed (default 1)
  --watchdog TICKS   timebase ticks an iteration may take before it counts as one that
                     does not end (default 16777216: about 1.7 s at QEMU's 10 MHz)
  -h, --help         this text

exit status: 0 written, 2 bad input or a scenario emit does not support yet`;

/** A positive integer option, or its default. */
export function countOption(text: string | undefined, option: string, fallback: number | undefined, max = 1e9): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`${option} takes a whole number from 1 to ${max}, not "${text}"`);
  return n;
}

/**
 * The scenarios FILE[:LINE] names, compiled; undefined after printing why there are none
 * (diagnostics, a line outside every block).
 */
export function scenariosOf(arg: string, err: NodeJS.WritableStream): Scenario[] | undefined {
  const { path, line } = splitLine(arg);
  if (!existsSync(path)) throw new UsageError(`${path}: no such file`);
  const compiled = compileNotebooks([path], err);
  if (!compiled) return undefined;
  const nb = compiled[0].value;
  const lines = line === undefined ? [] : [line];
  const problem = linesProblem(nb, lines);
  if (problem) {
    err.write(problem + '\n');
    return undefined;
  }
  const picked = selectEntries(nb, lines, () => true).map((i) => nb.entries[i].scenario);
  if (!picked.length) {
    err.write(`${path}: no scenario here\n`);
    return undefined;
  }
  return picked;
}

/** The --target option, or undefined for the scenario's default. */
export function targetOption(text: string | undefined): HwTarget | undefined {
  if (text === undefined) return undefined;
  if ((TARGET_NAMES as string[]).includes(text)) return text as HwTarget;
  throw new UsageError(`--target takes ${TARGET_NAMES.join(' or ')}, not "${text}"`);
}

/** The --ram-base option: an address, 2 MiB aligned. */
export function ramBaseOption(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  let v: bigint;
  try {
    v = BigInt(text);
  } catch {
    throw new UsageError(`--ram-base takes an address (0x40000000), not "${text}"`);
  }
  if (v < 0n || v >= 1n << 56n || v % (2n << 20n) !== 0n) throw new UsageError(`--ram-base takes an address aligned to 2 MiB below 2^56, not ${text}`);
  return v;
}

/** The options of the program both `emit` and `hw` write, for parseOptions. */
export const PROGRAM_OPTIONS = {
  target: { type: 'string' },
  harts: { type: 'string' },
  iterations: { type: 'string' },
  seed: { type: 'string' },
  watchdog: { type: 'string' },
} as const;

/** Those options' values as emitProgram takes them (UsageError for one that is wrong). */
export function programOptions(values: { target?: string; harts?: string; iterations?: string; seed?: string; watchdog?: string }): EmitOptions {
  return {
    target: targetOption(values.target),
    harts: countOption(values.harts, '--harts', undefined, 8),
    iterations: countOption(values.iterations, '--iterations', 1000)!,
    seed: countOption(values.seed, '--seed', 1, 2 ** 31),
    watchdogTicks: countOption(values.watchdog, '--watchdog', undefined, 2 ** 40),
  };
}

/** Prints a ScenarioError's diagnostics as the other commands do; rethrows anything else. */
export function printRefusal(e: unknown, err: NodeJS.WritableStream): number {
  if (!(e instanceof ScenarioError)) throw e;
  for (const d of e.diagnostics) err.write(formatDiagnostic(d, textIfReadable(d.pos.file)) + '\n');
  return 2;
}

export function emitCommand(argv: readonly string[], out = process.stdout, err = process.stderr): number {
  const { values, positionals } = parseOptions({
    args: [...argv],
    options: { ...PROGRAM_OPTIONS, out: { type: 'string' }, 'ram-base': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    out.write(EMIT_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('emit takes one FILE[:LINE]');
  const scenarios = scenariosOf(positionals[0], err);
  if (!scenarios) return 2;
  if (scenarios.length > 1) {
    err.write(`patchlit: ${positionals[0]} holds ${scenarios.length} scenarios (${scenarios.map((s) => `${s.name} at line ${s.pos.line}`).join(', ')}): name one with FILE:LINE\n`);
    return 2;
  }
  const s = scenarios[0];
  try {
    const program = emitProgram(s, { ...programOptions(values), ramBase: ramBaseOption(values['ram-base']) });
    const dir = values.out ?? `hw-${s.name}`;
    writeProgram(program, dir);
    const onQemu = program.placement.ramBase === QEMU_RAM_BASE;
    const next = onQemu ? `${dir}/build.sh builds it and runs it on QEMU` : `${dir}/build.sh builds it; ${program.imageArgs ? `boot ${dir}/prog.bin on the board (build.sh says how)` : `load ${dir}/prog.elf on the board`}`;
    out.write(`wrote ${dir}/ (${[...program.files.keys()].join(', ')}): ${TARGETS[program.target].title}, ${program.harts} harts, ${program.iterations} iterations; ${next}\n`);
    return 0;
  } catch (e) {
    return printRefusal(e, err);
  }
}
