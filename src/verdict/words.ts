// Words for what a run did that every later stage shares: addresses by symbol,
// instructions as objdump prints them, endings, final values as herd prints them. The
// verdict stage needs them for recorded observations (outcomes: lines compared with what
// a run saw); the reports use the same words, so both read alike.

import { disassemble, registerName, type SymbolTable } from '../isa/index.ts';
import type { Ending } from '../machine/types.ts';
import type { Diagnostic, FinalLocation, Scenario } from '../scenario/types.ts';
import { observedLocations } from './observed.ts';

/**
 * Names addresses the way objdump does within a section: an address inside a code or data
 * region is named after the nearest symbol below it in the same region; anywhere else only
 * a symbol exactly there names it. (A symbol in another region, or a stub's address, says
 * nothing about an address beyond it: `cpu1.idle+0x1bbc` for a module's address misleads.)
 */
export class Names implements SymbolTable {
  private readonly sorted: Array<{ name: string; addr: bigint }>;

  constructor(readonly scenario: Scenario) {
    // A code region's name (the function) names its code better than a label or symbol at
    // the same address; a data region's name is only the block that holds the variables,
    // which its labels name better.
    const rank = new Map(scenario.system.regions.map((r) => [r.name, r.kind === 'code' ? 0 : 2]));
    const rankOf = (name: string) => rank.get(name) ?? 1;
    this.sorted = [...scenario.symbols]
      .map(([name, addr]) => ({ name, addr }))
      .sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : rankOf(a.name) - rankOf(b.name) || (a.name < b.name ? -1 : 1)));
  }

  lookup(addr: bigint): { name: string; addr: bigint } | undefined {
    // Its end included: a return past a region's last instruction is still its function's.
    const region = this.scenario.system.regions.find((r) => addr >= r.base && addr <= r.base + BigInt(r.bytes.length));
    const floor = region ? region.base : addr;
    let best: { name: string; addr: bigint } | undefined;
    for (const s of this.sorted) {
      if (s.addr > addr) break;
      if (s.addr >= floor && (!best || s.addr > best.addr)) best = s;
    }
    return best;
  }

  /** `func+0x4`, or the bare address when no symbol is near. */
  addr(addr: bigint): string {
    const s = this.lookup(addr);
    if (!s) return `0x${addr.toString(16)}`;
    const off = addr - s.addr;
    return off === 0n ? s.name : `${s.name}+0x${off.toString(16)}`;
  }

  hart(i: number): string {
    return this.scenario.system.harts[i]?.name ?? `hart${i}`;
  }

  patcher(i: number): string {
    return this.scenario.system.patchers[i]?.name ?? `patcher${i}`;
  }

  /** The instruction as objdump prints it (one space instead of its tab). */
  insn(bits: number, pc: bigint): string {
    const d = disassemble(bits, { pc, symbols: this });
    return d.operands ? `${d.mnemonic} ${d.operands}` : d.mnemonic;
  }
}

/** A warning as reports and the terminal give it: its message, then what to do about it. */
export function warningText(w: Diagnostic): string {
  return w.hint ? `${w.message} (hint: ${w.hint})` : w.message;
}

/**
 * The remote harts that have a task of their own, by index: a task is named after the hart
 * it starts on. Spare harts have none: they only run tasks preempted elsewhere.
 */
export function taskIndices(s: Scenario): number[] {
  return s.system.harts.flatMap((h, i) => (h.spare ? [] : [i]));
}

/** Where a crash happened: the hart, and the task it ran when that is not the hart's own. */
function onWhere(e: { readonly hart: number; readonly task: number }, names: Names): string {
  return e.task === e.hart || e.task < 0 ? names.hart(e.hart) : `${names.hart(e.hart)} (running task ${names.hart(e.task)})`;
}

export function endingText(e: Ending, names: Names): string {
  switch (e.kind) {
    case 'complete':
      return 'complete';
    case 'deadlock':
      return `deadlock: ${e.detail}`;
    case 'illegal-instruction':
      return `illegal instruction 0x${e.bits.toString(16)} at ${names.addr(e.pc)} on ${onWhere(e, names)}`;
    case 'wild-jump':
      return `wild jump on ${onWhere(e, names)}: from ${names.addr(e.from)} to ${names.addr(e.to)}, where there is no code`;
    case 'breakpoint':
      return `unhandled breakpoint at ${names.addr(e.pc)} on ${onWhere(e, names)}`;
    case 'ecall':
      return `unhandled ecall at ${names.addr(e.pc)} on ${onWhere(e, names)}`;
    case 'fault':
      return `${e.detail} at ${names.addr(e.addr)} (pc ${names.addr(e.pc)}) on ${onWhere(e, names)}`;
  }
}

/**
 * A value as herd prints it: by name where the test names it, else signed decimal. A
 * scenario's own values that are too large to be counts (addresses, instruction words,
 * pointers) are printed in hex, as its author wrote them.
 */
function valueText(s: Scenario, v: bigint): string {
  const named = s.litmus?.valueNames.get(v);
  if (named) return named;
  const signed = BigInt.asIntN(64, v);
  if (!s.litmus && (signed >= 0x10000n || signed <= -0x10000n)) return `0x${BigInt.asUintN(64, v).toString(16)}`;
  return signed.toString();
}

function locationText(s: Scenario, loc: FinalLocation): string {
  if (loc.kind === 'mem') return loc.name;
  const prefix = s.litmus ? String(loc.hart) : s.system.harts[loc.hart]?.name ?? String(loc.hart);
  return `${prefix}:${registerName(loc.reg)}`;
}

/** The observed locations in herd's order: registers by thread then name, then memory. */
function ordered(observed: readonly FinalLocation[]): number[] {
  const idx = observed.map((_, i) => i);
  const rank = (l: FinalLocation) => (l.kind === 'reg' ? `0${String(l.hart).padStart(3, '0')}:${registerName(l.reg)}` : `1${l.name}`);
  return idx.sort((a, b) => (rank(observed[a]) < rank(observed[b]) ? -1 : 1));
}

/**
 * A formatter of final states as herd prints them ("0:s0=2; 1:s0=1;"), or undefined when
 * the scenario observes no final values. `final` lists values in the order of the judge's
 * observed locations.
 */
export function herdStates(s: Scenario): ((final: readonly bigint[]) => string) | undefined {
  const locs = observedLocations(s);
  if (!locs.length) return undefined;
  const order = ordered(locs);
  return (final) => order.map((i) => `${locationText(s, locs[i])}=${valueText(s, final[i])};`).join(' ');
}

