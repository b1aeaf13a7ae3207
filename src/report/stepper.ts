// The states of a run, step by step, as plain JSON-able data: what the HTML report's
// stepper shows for each step (the page's script only lays it out). A run keeps only its
// choices and events; its states come from replaying the choices on the machine that
// recorded them (verdict's replayMachine). Every value is a display string here, bigints
// as hex: the page needs no arithmetic, and the same run gives the same bytes.

import { registerName } from '../isa/index.ts';
import type { Machine } from '../machine/machine.ts';
import { lastWrite, valueFrom, type Msg, type Timeline } from '../machine/timeline.ts';
import type { HartState, MachineEvent, MachineState, ReadChoice, Transition, TrapCause } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { replayMachine, type ConfigResult, type Run } from '../verdict/index.ts';
import { actorOf, Names, stepText, trapPlace } from './describe.ts';

/** Bytes of an instruction that came from one store (or from memory as loaded). */
export interface FetchedBytes {
  /** Where the first of them is, by symbol. */
  readonly at: string;
  /** In address order, two hex digits each: "97 02". */
  readonly bytes: string;
  /** The store they came from: "initial memory", "cpu0's store at step 3", or a store still to come. */
  readonly from: string;
}

/** An instruction a hart fetched and ran. */
export interface Fetch {
  readonly pc: string;
  readonly at: string;
  /** As the reports name it (describe.ts). */
  readonly insn: string;
  /** All its bytes in address order. */
  readonly bytes: string;
  /** Its bytes grouped by the store each came from, in address order. */
  readonly parts: readonly FetchedBytes[];
  /** Torn (no moment of memory held these bytes together), stale, or read ahead of its store; absent when none. */
  readonly note?: string;
}

export interface RegisterChange {
  readonly reg: string;
  readonly value: string;
  /** The symbol the value points at or near, when it does. */
  readonly points?: string;
}

export interface HartView {
  readonly name: string;
  /** Where it will fetch next. */
  readonly pc: string;
  readonly at: string;
  /** This step was its. */
  readonly moved: boolean;
  /** What it is doing besides running its code (in a handler, parked, another's task); absent when nothing. */
  readonly state?: string;
  /** The step at which it ran its last instruction (that step's `fetch`); absent before its first. */
  readonly fetched?: number;
  /** Registers this step changed. */
  readonly changed: readonly RegisterChange[];
}

export interface PatcherView {
  readonly name: string;
  readonly moved: boolean;
  /** "3 of 12 patch steps done; last: fence w,w". */
  readonly progress: string;
}

/** A location some store has written, with what memory holds there now. */
export interface MemoryCell {
  readonly addr: string;
  readonly at: string;
  readonly size: number;
  readonly value: string;
  /** The value as an instruction, where code is. */
  readonly insn?: string;
  /** The latest store to it. */
  readonly by: string;
  /** This step wrote it. */
  readonly changed: boolean;
}

export interface StepView {
  /** The column the run's table puts the step in. */
  readonly actor: string;
  /** The step in words, as the run's table has it. */
  readonly text: string;
  /** The step is in the part of a lasso that repeats forever. */
  readonly loops?: true;
  /** The instruction this step ran, when it ran one. */
  readonly fetch?: Fetch;
  readonly patchers: readonly PatcherView[];
  readonly harts: readonly HartView[];
  readonly memory: readonly MemoryCell[];
}

export interface SteppedRun {
  readonly steps: readonly StepView[];
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

const IN_TRAP: Readonly<Record<TrapCause, string>> = {
  ipi: 'in the IPI handler',
  sbi: "in the SBI call's interrupt, in machine mode",
  stop: "in stop_machine's interrupt",
  timer: 'in a timer interrupt',
  resume: 'resuming a task',
};

/** The bytes of an instruction word, in address order. */
function bytesOf(value: bigint, size: number): string[] {
  return Array.from({ length: size }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0'));
}

/**
 * The stores of a run by their time in the timeline, named after the step that put each
 * there (its `store` event carries the time) and the actor that made it; time 0 is
 * memory as loaded.
 */
function storeNames(events: ReadonlyArray<readonly MachineEvent[]>, names: Names): (time: number) => string {
  const out = new Map<number, string>([[0, 'initial memory']]);
  events.forEach((es, i) => {
    for (const e of es) {
      if (e.kind !== 'store') continue;
      const who = e.patcher !== undefined ? names.patcher(e.patcher) : names.hart(e.hart!);
      out.set(e.time, `${who}'s store ${e.promised ? 'promised ' : ''}at step ${i + 1}`);
    }
  });
  return (time) => out.get(time) ?? `store ${time}`;
}

/** Who moves in a transition, numbered as the machine numbers actors: remote harts, then patching harts. */
function mover(t: Transition, harts: number): number {
  return t.kind === 'patch' ? harts + t.patcher : t.kind === 'promise' ? t.actor : t.hart;
}

/**
 * The instruction an exec step ran, its bytes and where each came from. A fetch reads
 * one atomic piece after another from pc, each a snapshot whose bytes name the store
 * they read (time 0: memory as loaded), or a value still to come.
 */
function fetchOf(
  e: Extract<MachineEvent, { kind: 'exec' }>,
  pieces: readonly ReadChoice[],
  storeName: (time: number) => string,
  names: Names,
): Fetch {
  const bytes = bytesOf(BigInt(e.bits), e.length);
  const parts: Array<{ addr: bigint; bytes: string[]; from: string }> = [];
  const pieceSize = e.length / pieces.length;
  pieces.forEach((c, k) => {
    for (let i = 0; i < pieceSize; i++) {
      const b = k * pieceSize + i;
      const from = c.kind === 'future' ? 'a store still to come' : storeName(c.sources[i]);
      const last = parts[parts.length - 1];
      if (last && last.from === from) last.bytes.push(bytes[b]);
      else parts.push({ addr: e.pc + BigInt(b), bytes: [bytes[b]], from });
    }
  });
  const now = e.latest === undefined ? '' : `: memory now holds ${names.insn(e.latest, e.pc)}`;
  const note = e.torn ? `torn: memory never held these bytes together${now && `;${now.slice(1)}`}` : e.future ? 'fetched ahead of the store that writes it' : e.stale ? `stale${now}` : undefined;
  return {
    pc: hex(e.pc),
    at: names.addr(e.pc),
    insn: names.insn(e.bits, e.pc),
    bytes: bytes.join(' '),
    parts: parts.map((p) => ({ at: names.addr(p.addr), bytes: p.bytes.join(' '), from: p.from })),
    ...(note ? { note } : {}),
  };
}

function hartState(h: HartState, i: number, s: Scenario, names: Names): string | undefined {
  const parts: string[] = [];
  if (h.trap) parts.push(h.trap.parked ? 'parked by stop_machine' : `${IN_TRAP[h.trap.cause]}${trapPlace(h.trap.cause, h.trap.sepc, names)}`);
  if (h.task >= 0 && h.task !== i) parts.push(`runs task ${names.hart(h.task)}`);
  if (h.task < 0 && !s.system.harts[i]?.spare) parts.push('its task is preempted');
  if (h.pending.length) parts.push(`${h.pending.length} interrupt${h.pending.length === 1 ? '' : 's'} pending`);
  if (h.waiting) parts.push('waits for acknowledgements');
  return parts.length ? parts.join('; ') : undefined;
}

function registerChanges(before: HartState, after: HartState, names: Names): RegisterChange[] {
  const out: RegisterChange[] = [];
  after.regs.forEach((v, r) => {
    if (v === before.regs[r]) return;
    const points = names.lookup(v) ? names.addr(v) : undefined;
    out.push({ reg: registerName(r), value: hex(v), ...(points ? { points } : {}) });
  });
  return out;
}

/** Every location a store wrote, lowest address first, with what memory holds there after the step. */
function memoryCells(tl: Timeline, written: ReadonlySet<number>, m: Machine, storeName: (time: number) => string, names: Names): MemoryCell[] {
  const locations = new Map<string, Msg>();
  for (const msg of tl) locations.set(`${msg.at}/${msg.size}`, msg);
  const cells = [...locations.values()].map((msg) => {
    const addr = m.layout.addressOf(msg.at);
    const sources = Array.from({ length: msg.size }, (_, i) => lastWrite(tl, msg.at + i, tl.length));
    const value = valueFrom(tl, m.layout, msg.at, sources);
    // The store that last touched any of its bytes: a later store of another size may have.
    const time = Math.max(...sources);
    const insn = m.layout.isCode(addr) && (msg.size === 2 || msg.size === 4) ? names.insn(Number(value), addr) : undefined;
    return { addr, cell: { addr: hex(addr), at: names.addr(addr), size: msg.size, value: `0x${value.toString(16).padStart(2 * msg.size, '0')}`, ...(insn ? { insn } : {}), by: storeName(time), changed: sources.some((t) => written.has(t)) } };
  });
  return cells.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.cell.size - b.cell.size)).map((c) => c.cell);
}

function patcherProgress(s: MachineState, p: number, labels: ReadonlyMap<number, string>, sc: Scenario): string {
  const total = sc.system.patchers[p].steps.length;
  const last = labels.get(p);
  return `${s.patchers[p].step} of ${total} patch steps done${last ? `; last: ${last}` : ''}`;
}

/** Each step of `run` (recorded under configuration `c` of `scenario`) with the state it left. */
export function steppedRun(run: Run, scenario: Scenario, c: ConfigResult): SteppedRun {
  const names = new Names(scenario);
  const m = replayMachine(scenario, c);
  const replayed = m.replay(run.choices);
  const storeName = storeNames(
    replayed.map((r) => r.events),
    names,
  );
  const H = scenario.system.harts.length;
  const lastFetch = new Map<number, number>();
  const labels = new Map<number, string>();
  let before = m.initial();
  const steps = replayed.map((r, i): StepView => {
    const after = r.state;
    const t = r.transition;
    let fetch: Fetch | undefined;
    for (const e of r.events) {
      if (e.kind === 'exec' && t.kind === 'exec' && e.hart === t.hart) {
        fetch = fetchOf(e, t.fetch, storeName, names);
        lastFetch.set(e.hart, i + 1);
      }
      if (e.kind === 'patch-step') labels.set(e.patcher, e.label);
    }
    const written = new Set(r.events.flatMap((e) => (e.kind === 'store' || e.kind === 'fulfil' ? [e.time] : [])));
    const moved = mover(t, H);
    const view: StepView = {
      actor: actorOf(t, names),
      text: stepText(r, names),
      ...(run.loopFrom !== undefined && i >= run.loopFrom ? { loops: true as const } : {}),
      ...(fetch ? { fetch } : {}),
      patchers: after.patchers.map((_, p) => ({
        name: names.patcher(p),
        moved: moved === H + p,
        progress: patcherProgress(after, p, labels, scenario),
      })),
      harts: after.harts.map((h, k) => {
        const state = hartState(h, k, scenario, names);
        const fetched = lastFetch.get(k);
        return {
          name: names.hart(k),
          pc: hex(h.pc),
          at: names.addr(h.pc),
          moved: moved === k,
          ...(state ? { state } : {}),
          ...(fetched ? { fetched } : {}),
          changed: registerChanges(before.harts[k], h, names),
        };
      }),
      memory: memoryCells(after.timeline, written, m, storeName, names),
    };
    before = after;
    return view;
  });
  return { steps };
}
