// Building an emitted program with the cross toolchain and running it on QEMU.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CC, OBJCOPY, QEMU } from './build.ts';
import { HistogramError, parseHistogram } from './histogram.ts';
import { QEMU_RAM_BASE } from './layout.ts';
import type { Histogram, HwProgram } from './types.ts';

/** What to install for the programs that are missing, or undefined when both are there. */
export function toolsMissing(): string | undefined {
  const missing = [
    [CC, 'gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf'],
    [QEMU, 'qemu-system-misc'],
  ].filter(([tool]) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0);
  return missing.length ? `${missing.map(([t]) => t).join(' and ')} not found: apt-get install --no-install-recommends ${missing.map(([, p]) => p).join(' ')}` : undefined;
}

export interface QemuRun {
  /** QEMU's console output: the histogram, or what went wrong. */
  readonly output: string;
  readonly buildSeconds: number;
  readonly runSeconds: number;
  /** Set when the program did not finish in time or QEMU failed. */
  readonly problem?: string;
}

/**
 * The histogram a run printed, or why there is none: what went wrong with the run, else
 * what the reader found wrong in its output (`name` says whose, in that message).
 */
export function histogramOf(run: QemuRun, name: string): Histogram | string {
  try {
    return parseHistogram(run.output, name);
  } catch (e) {
    if (!(e instanceof HistogramError)) throw e;
    return run.problem ?? e.diagnostic.message;
  }
}

/** Writes the program's files into `dir` (created). */
export function writeProgram(program: HwProgram, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of program.files) writeFileSync(join(dir, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
}

/** Builds the program in a directory of its own (`keep`, or a temporary one removed after) and runs it on QEMU. */
export function runOnQemu(program: HwProgram, options: { timeoutSeconds: number; keep?: string }): QemuRun {
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'patchlit-hw-'));
  try {
    if (program.placement.ramBase !== QEMU_RAM_BASE) return { output: '', buildSeconds: 0, runSeconds: 0, problem: `QEMU's virt machine has its RAM at 0x${QEMU_RAM_BASE.toString(16)}; this program was emitted for RAM at 0x${program.placement.ramBase.toString(16)}` };
    writeProgram(program, dir);
    const t0 = performance.now();
    const failed = (tool: string, r: ReturnType<typeof spawnSync>) => ({ output: '', buildSeconds: (performance.now() - t0) / 1000, runSeconds: 0, problem: `${tool} failed:\n${r.stderr || r.error?.message}` });
    const build = spawnSync(CC, program.buildArgs, { cwd: dir, encoding: 'utf8' });
    if (build.status !== 0) return failed(CC, build);
    const copy = program.imageArgs && spawnSync(OBJCOPY, program.imageArgs, { cwd: dir, encoding: 'utf8' });
    if (copy && copy.status !== 0) return failed(OBJCOPY, copy);
    const t1 = performance.now();
    const buildSeconds = (t1 - t0) / 1000;
    const run = spawnSync(QEMU, program.qemuArgs, { cwd: dir, encoding: 'utf8', timeout: options.timeoutSeconds * 1000, stdio: ['ignore', 'pipe', 'pipe'], killSignal: 'SIGKILL' });
    const runSeconds = (performance.now() - t1) / 1000;
    const output = run.stdout ?? '';
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { output, buildSeconds, runSeconds, problem: `QEMU did not finish within ${options.timeoutSeconds} s (a hart stuck in the scenario's code? fewer --iterations?)` };
    if (run.status !== 0) return { output, buildSeconds, runSeconds, problem: `QEMU exited with status ${run.status}: ${(run.stderr || '').trim().split('\n')[0]}` };
    return { output, buildSeconds, runSeconds };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}
