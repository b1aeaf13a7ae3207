// Which trap-return fixups a return consults. They are the kernel's: they run on its return
// path (ret_from_exception in arch/riscv/kernel/entry.S, which tells a return to the kernel
// from one to user space by sstatus.SPP) and only where the scenario says a kernel would
// run them: at the entries it patches, on the traps it names. The firmware's return from
// the SBI call's machine-mode interrupt (MRET) never passes there; nor does a resumed
// task's return when the scenario says its path skips them.

import type { Core } from './core.ts';
import { latestValue } from './timeline.ts';
import type { TrapCause, TrapFrame, TrapReturnFixup } from './types.ts';

/** Whether sepc is where the fixup applies: one of its addresses or in one of its ranges (anywhere when it names neither). */
function appliesAt(f: TrapReturnFixup, sepc: bigint): boolean {
  if (!f.at && !f.ranges) return true;
  return (f.at ?? []).includes(sepc) || (f.ranges ?? []).some((r) => sepc >= r.start && sepc < r.end);
}

function appliesOn(f: TrapReturnFixup, cause: TrapCause): boolean {
  const on: readonly TrapCause[] | undefined = f.on;
  return on === undefined || on.includes(cause);
}

/** The kernel runs this return (an SRET after its own handler), with its fixups. */
function kernelReturn(t: TrapFrame): boolean {
  return t.cause === 'resume' ? t.fixups === true : t.cause !== 'sbi';
}

/**
 * The fixups this return consults: none on the firmware's MRET or a path that skips them,
 * else those that apply at sepc on this cause. Only when there is one does the return read
 * the word at sepc (a data load, whose choices add states).
 */
export function fixupsFor(core: Core, t: TrapFrame): readonly TrapReturnFixup[] {
  if (!kernelReturn(t) || !core.program.fixups.length) return [];
  return core.program.fixups.filter((f) => appliesAt(f, t.sepc) && appliesOn(f, t.cause));
}

/**
 * The fixups a kernel return from a trap of this cause at `sepc` would consult (before it
 * reads the word there): partial-order reduction asks where a return could be adjusted.
 */
export function kernelFixupsAt(core: Core, sepc: bigint, cause: TrapCause): readonly TrapReturnFixup[] {
  return core.program.fixups.filter((f) => appliesAt(f, sepc) && appliesOn(f, cause));
}

export function matching(fixups: readonly TrapReturnFixup[], word: number): TrapReturnFixup | undefined {
  return fixups.find((f) => (word & f.mask) >>> 0 === f.match);
}

/**
 * For a return that skips the kernel's fixups (the firmware's MRET, or a resumed task's
 * path without them): the fixup that would have applied, and the word it matches, so that
 * a report can say what was skipped. Which fixups count: those at sepc that a kernel return
 * of this kind would run; for the MRET, those that run on an IPI's return (the SBI call is
 * the firmware delivering what the kernel's IPI would).
 *
 * The word is memory's latest at sepc, read without a choice point: a load here would add
 * states for a return that reads nothing, only to annotate it. The report words it as
 * what memory holds now; the hart, had it loaded, might have read an older word.
 */
export function skippedFixup(core: Core, timeline: Parameters<typeof latestValue>[0], t: TrapFrame): { fixup: string; word: number } | undefined {
  if (kernelReturn(t) || !core.program.fixups.length) return undefined;
  const cause: TrapCause = t.cause === 'sbi' ? 'ipi' : t.cause;
  const candidates = core.program.fixups.filter((f) => appliesAt(f, t.sepc) && appliesOn(f, cause));
  const at = candidates.length ? core.layout.offset(t.sepc, 4) : undefined;
  if (at === undefined) return undefined;
  const word = Number(latestValue(timeline, core.layout, at, 4));
  const f = matching(candidates, word);
  return f ? { fixup: f.name, word } : undefined;
}
