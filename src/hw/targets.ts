// The machines a program of `patchlit emit` runs on, each target's rules in one place:
// what it is built with, where its runtime lies, how QEMU starts it, and what in a
// scenario it cannot run. emit.ts, support.ts and the commands consult this table; none
// of them names a target.

import type { PatchStep, Scenario } from '../scenario/types.ts';
import type { HwTarget } from './types.ts';

export interface TargetRules {
  readonly name: HwTarget;
  /** The machine in words: "machine mode on bare metal". */
  readonly title: string;
  /** The platform layer beside runtime.c (target/). */
  readonly platform: string;
  /** The compiler's -D options. */
  readonly defines: readonly string[];
  /** Where the runtime is linked, from the start of RAM: the firmware, if any, lies below. */
  readonly runtimeOffset: bigint;
  /**
   * Booted as a flat image with a Linux image header (prog.bin), as firmware and U-Boot's
   * booti boot a kernel (a0: the hart id), rather than as an ELF file.
   */
  readonly image: boolean;
  /** QEMU's firmware option for the virt machine. */
  readonly bios: string;
  /** What of the scenario this target cannot run, in words (support.ts adds what no target can). */
  readonly refuses: (s: Scenario) => string[];
}

const ECALL = 0x0000_0073;
/** Whether a patch step or a service stub of the scenario does this. */
const usesStep = (s: Scenario, kind: PatchStep['kind']) => s.system.patchers.some((p) => p.steps.some((st) => st.kind === kind)) || s.system.stubs.some((x) => x.service?.kind === kind);

export const TARGETS: Readonly<Record<HwTarget, TargetRules>> = {
  bare: {
    name: 'bare',
    title: "machine mode on bare metal (QEMU's virt machine, -bios none, the CLINT's IPIs)",
    platform: 'bare.c',
    defines: [],
    runtimeOffset: 0n,
    image: false,
    bios: 'none',
    refuses: (s) => (usesStep(s, 'sbi') ? ['SBI calls on bare metal (no firmware here: --target sbi runs them)'] : []),
  },
  sbi: {
    name: 'sbi',
    title: 'supervisor mode under SBI firmware (OpenSBI: its IPI, RFENCE, HSM and console calls)',
    platform: 'sbi.c',
    defines: ['-DHW_SBI'],
    // OpenSBI takes the first 2 MiB and jumps to the next stage here: a kernel's place.
    runtimeOffset: 0x20_0000n,
    image: true,
    bios: 'default',
    refuses: (s) => (s.listing.some((l) => l.bits === ECALL) ? ['an ECALL in the scenario\'s code under SBI firmware (the firmware would take it for an SBI call)'] : []),
  },
};

export const TARGET_NAMES = Object.keys(TARGETS) as HwTarget[];

/** The target a scenario runs on unless told: under SBI firmware when it makes SBI calls, else bare metal. */
export function defaultTarget(s: Scenario): HwTarget {
  return usesStep(s, 'sbi') ? 'sbi' : 'bare';
}
