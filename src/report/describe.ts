// Words for what happened: addresses by symbol, instructions as objdump prints them, and
// one line per step of a run. Every output format (Markdown, JSON, ...) describes runs
// with these, so they read the same everywhere.

import { disassemble, type SymbolTable } from '../isa/index.ts';
import type { Ending, MachineEvent, Transition } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Run } from '../verdict/types.ts';

/** Symbols further than this below an address do not name it. */
const NEAR = 1n << 20n;

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
    let best: { name: string; addr: bigint } | undefined;
    for (const s of this.sorted) {
      if (s.addr > addr) break;
      if (!best || s.addr > best.addr) best = s;
    }
    return best && addr - best.addr < NEAR ? best : undefined;
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

export function endingText(e: Ending, names: Names): string {
  switch (e.kind) {
    case 'complete':
      return 'complete';
    case 'deadlock':
      return `deadlock: ${e.detail}`;
    case 'illegal-instruction':
      return `illegal instruction 0x${e.bits.toString(16)} at ${names.addr(e.pc)} on ${names.hart(e.hart)}`;
    case 'wild-jump':
      return `wild jump on ${names.hart(e.hart)}: from ${names.addr(e.from)} to ${names.addr(e.to)}, where there is no code`;
    case 'breakpoint':
      return `unhandled breakpoint at ${names.addr(e.pc)} on ${names.hart(e.hart)}`;
    case 'ecall':
      return `unhandled ecall at ${names.addr(e.pc)} on ${names.hart(e.hart)}`;
    case 'fault':
      return `${e.detail} at ${names.addr(e.addr)} (pc ${names.addr(e.pc)}) on ${names.hart(e.hart)}`;
  }
}

/** The column a step belongs to: a patching hart first, then the remote harts. */
export function actorOf(t: Transition, names: Names): string {
  if (t.kind === 'patch') return names.patcher(t.patcher);
  if (t.kind === 'promise') {
    const harts = names.scenario.system.harts.length;
    return t.actor < harts ? names.hart(t.actor) : names.patcher(t.actor - harts);
  }
  return names.hart(t.hart);
}

const TRAP_WORDS: Readonly<Record<string, string>> = {
  ipi: 'takes the IPI',
  sbi: "takes the SBI call's interrupt",
  stop: "takes stop_machine's interrupt",
  timer: 'takes a timer interrupt',
  resume: 'resumes',
};

/** What a step did, in one line. */
export function stepText(step: Run['steps'][number], names: Names): string {
  const parts: string[] = [];
  for (const e of step.events) {
    const text = eventText(e, names);
    if (text) parts.push(text);
  }
  return parts.join('; ');
}

function eventText(e: MachineEvent, names: Names): string | undefined {
  switch (e.kind) {
    case 'exec': {
      const text = `${names.addr(e.pc)}: ${names.insn(e.bits, e.pc)}`;
      if (e.future) return `${text}, fetched ahead of the store that writes it`;
      if (!e.stale) return text;
      const now = e.latest === undefined ? '' : ` (memory now holds ${names.insn(e.latest, e.pc)})`;
      return `${text}, fetched stale${now}`;
    }
    case 'load':
      return `reads ${valueText(e.addr, e.size, e.value, names)} from ${names.addr(e.addr)}${e.stale ? ' (stale: memory holds a newer value)' : ''}`;
    case 'fulfil':
      return 'its store takes the place it promised';
    case 'confirm':
      return `(${names.hart(e.hart)}'s early fetch of ${names.addr(e.addr)} is now in memory)`;
    case 'call':
      return `calls ${e.stub}, which returns to ${names.addr(e.returnTo)}`;
    case 'fence.i':
      return e.cause === 'instruction' ? undefined : 'fence.i'; // an instruction's own FENCE.I shows in its disassembly
    case 'trap':
      return `${TRAP_WORDS[e.cause]} (sepc ${names.addr(e.sepc)})`;
    case 'request':
      return e.seen ? 'loads the request' : 'finds no request';
    case 'ack':
      return e.ipi.kind === 'stop' ? 'arrives' : 'acknowledges';
    case 'parked':
      return 'parks';
    case 'unparked':
      return 'leaves stop_machine';
    case 'preempted':
      return `${names.hart(e.task)}'s task is preempted (it will resume at ${names.addr(e.sepc)})`;
    case 'resumed':
      return `resumes ${names.hart(e.task)}'s task at ${names.addr(e.sepc)}`;
    case 'handler':
      return `${e.name}${e.emulated !== undefined ? ` emulates ${names.insn(e.emulated, e.resume)}` : ''}; resumes at ${names.addr(e.resume)}`;
    case 'lock':
      return `${e.taken ? 'takes' : 'releases'} ${e.lock}`;
    case 'trap-return':
      return e.fixup ? `trap return to ${names.addr(e.resume)} (${e.fixup}: sepc was ${names.addr(e.sepc)})` : `trap return to ${names.addr(e.resume)}`;
    case 'patch-step': {
      // Interrupting steps are told by their ipi-sent event, with the harts they reached.
      const step = names.scenario.system.patchers[e.patcher]?.steps[e.step];
      return step?.kind === 'ipi' || step?.kind === 'sbi' || step?.kind === 'stop' ? undefined : e.label;
    }
    case 'store': {
      const text = storeText(e, names);
      return e.promised ? `promises ${text}: visible before the steps that lead to it` : text;
    }
    case 'ipi-sent': {
      const to = e.targets.map((t) => names.hart(t)).join(', ');
      if (e.via === 'stop') return `stop_machine: interrupts ${to} to park them; waits until all have`;
      const step = names.scenario.system.patchers[e.patcher]?.steps[e.step];
      if (e.via === 'sbi') {
        const ordered = step?.kind === 'sbi' && step.ordered ? ' (the firmware orders earlier stores)' : '';
        return `SBI remote fence.i to ${to}${ordered}; ${e.sync ? 'returns when every target has completed it' : 'returns once the request is sent'}`;
      }
      const bare = step?.kind === 'ipi' && step.handler === 'bare' ? ' (bare handler)' : '';
      return `IPI (fence.i) to ${to}${bare}; ${e.sync ? 'waits for every target to complete it' : 'does not wait'}`;
    }
    case 'crash':
      return endingText(e.ending, names).toUpperCase().slice(0, 1) + endingText(e.ending, names).slice(1);
  }
}

function storeText(e: Extract<MachineEvent, { kind: 'store' }>, names: Names): string {
  return `${names.addr(e.addr)} := ${valueText(e.addr, e.size, e.value, names)}`;
}

/** A value in memory: an instruction where code is, else hex. */
function valueText(addr: bigint, size: number, value: bigint, names: Names): string {
  const code = names.scenario.system.regions.find((r) => r.kind === 'code' && addr >= r.base && addr < r.base + BigInt(r.bytes.length));
  if (code && (size === 2 || size === 4)) return names.insn(Number(value), addr);
  return `0x${value.toString(16)}`;
}
