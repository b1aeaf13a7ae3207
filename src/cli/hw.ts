// `patchlit hw FILE[:LINE] --qemu | --results HISTOGRAM`: a scenario run on a machine, its
// outcomes held against the model's. --qemu emits, builds and runs it on QEMU's virt
// machine; --results reads a histogram printed elsewhere (a board's serial console). Exit
// 0 when every outcome seen is one the model allows, 1 when one is not, 2 for bad input
// or what emit does not support yet.

import { readFileSync } from 'node:fs';
import { compareHistogram, comparisonText, emitProgram, histogramOf, HistogramError, parseHistogram, runOnQemu, toolsMissing, type Histogram } from '../hw/index.ts';
import type { Atomicity, FetchConfigName, Scenario } from '../scenario/index.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { countOption, printRefusal, PROGRAM_OPTIONS, programOptions, scenariosOf } from './emit.ts';
import { modelList } from './judge-options.ts';
import { parseOptions, UsageError } from './usage.ts';

export const HW_USAGE = `usage: patchlit hw [options] FILE[:LINE] --qemu
       patchlit hw [options] FILE[:LINE] --results HISTOGRAM

Runs the scenarios FILE[:LINE] names on QEMU's virt machine (the program patchlit emit
writes, built with riscv64-unknown-elf-gcc, run on qemu-system-riscv64 with
multi-threaded TCG), or reads the histogram a board printed, and holds each outcome
seen against the outcomes the model allows: an outcome it forbids is a failure,
printed with the first iteration that showed it.

options:
  --qemu             build and run on QEMU
  --target T         bare (machine mode, -bios none) or sbi (supervisor mode under
                     OpenSBI); default: sbi for a scenario that makes SBI calls, else bare
  --results FILE     the histogram a run printed (its console output will do)
  --harts N          harts of the machine (default: the patching hart + one per remote hart)
  --iterations K     times each scenario runs (default 1000)
  --seed S           the random delays' seed (default 1)
  --watchdog TICKS   timebase ticks an iteration may take before it counts as one that
                     does not end (default 16777216: about 1.7 s at QEMU's 10 MHz)
  --timeout S        seconds QEMU may take per scenario (default 120)
  --keep DIR         build in DIR and keep it (the program, prog.elf)
  --model CONFIG     the fetch configuration describing the machine (default coherent,
                     what QEMU's TCG is meant to be)
  --atomicity A      what one instruction fetch reads at once: ziccif or parcel
                     (default: the scenario's)
  -h, --help         this text

exit status: 0 every outcome seen is allowed, 1 one is not (or the run failed),
2 bad input, or a scenario emit does not support yet`;

function atomicityOption(text: string | undefined): Atomicity | undefined {
  if (text === undefined) return undefined;
  if (text === 'ziccif' || text === 'parcel') return { kind: text };
  throw new UsageError(`--atomicity takes ziccif or parcel, not "${text}"`);
}

export function hwCommand(argv: readonly string[], out = process.stdout, err = process.stderr): number {
  const { values, positionals } = parseOptions({
    args: [...argv],
    options: {
      qemu: { type: 'boolean' },
      results: { type: 'string' },
      ...PROGRAM_OPTIONS,
      timeout: { type: 'string' },
      keep: { type: 'string' },
      model: { type: 'string' },
      atomicity: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    out.write(HW_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('hw takes one FILE[:LINE]');
  if (!values.qemu === (values.results === undefined)) throw new UsageError('hw takes --qemu or --results FILE, one of them');
  const models = modelList(values.model);
  if (models && models.length > 1) throw new UsageError('--model takes one configuration here');
  const fetch: FetchConfigName = models?.[0] ?? 'coherent';
  const atomicity = atomicityOption(values.atomicity);
  const options = programOptions(values);
  const timeoutSeconds = countOption(values.timeout, '--timeout', 120)!;
  const scenarios = scenariosOf(positionals[0], err);
  if (!scenarios) return 2;
  const judge = (s: Scenario, h: Histogram): number => {
    const c = compareHistogram(s, h, { fetch, atomicity: atomicity ?? s.system.model.atomicity });
    out.write(comparisonText(c) + '\n');
    return c.forbidden.length ? 1 : 0;
  };

  if (values.results !== undefined) {
    const file = values.results;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`${file}: cannot read it`);
    }
    let h: Histogram;
    try {
      h = parseHistogram(text, file);
    } catch (e) {
      if (!(e instanceof HistogramError)) throw e;
      err.write(formatDiagnostic(e.diagnostic, text) + '\n');
      return 2;
    }
    const s = scenarios.length === 1 ? scenarios[0] : scenarios.find((x) => x.name === h.scenario);
    if (!s) {
      err.write(`${file}: its histogram is of scenario "${h.scenario}", which ${positionals[0]} does not hold\n`);
      return 2;
    }
    return judge(s, h);
  }

  const missing = toolsMissing();
  if (missing) {
    err.write(`patchlit hw: ${missing}\n`);
    return 2;
  }
  let status = 0;
  for (const s of scenarios) {
    let program;
    try {
      program = emitProgram(s, options);
    } catch (e) {
      status = Math.max(status, printRefusal(e, err));
      continue;
    }
    const run = runOnQemu(program, { timeoutSeconds, ...(values.keep ? { keep: scenarios.length > 1 ? `${values.keep}/${s.name}` : values.keep } : {}) });
    const h = histogramOf(run, `${s.name} on QEMU`);
    if (typeof h === 'string') {
      err.write(`${s.name}: ${h}\n`);
      status = Math.max(status, 1);
      continue;
    }
    status = Math.max(status, judge(s, h));
    out.write(`  (${program.harts} harts, ${program.target}; build ${run.buildSeconds.toFixed(1)} s, QEMU ${run.runSeconds.toFixed(1)} s)\n`);
  }
  return status;
}
