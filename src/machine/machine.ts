// The operational machine: states, the transitions enabled in a state (its choice points),
// and the effect of taking one. Nothing here decides which transition to take; the
// explorer does, and a run is just the list of its choices.

import { decode } from '../isa/index.ts';
import { FETCH_MODELS, fenceIWindow, fetchChoices, type FetchModel } from './fetch.ts';
import { MemoryLayout } from './memory.ts';
import { execute, type DataPort } from './semantics.ts';
import type {
  Applied,
  Ending,
  HartState,
  IpiRequest,
  MachineEvent,
  MachineState,
  PatcherState,
  Program,
  Stub,
  Transition,
} from './types.ts';

/**
 * A changed hart state: a new object, keeping only the cached key parts that still hold.
 * Built field by field so that every hart state has the same shape (fast property access).
 */
function edit(h: HartState, changes: Partial<HartState>): HartState {
  const regs = changes.regs ?? h.regs;
  const trap = 'trap' in changes ? changes.trap : h.trap;
  const pending = changes.pending ?? h.pending;
  const stale = changes.stale ?? h.stale;
  const reserved = 'reserved' in changes ? changes.reserved : h.reserved;
  const restSame = trap === h.trap && pending === h.pending && stale === h.stale && reserved === h.reserved;
  return {
    pc: changes.pc ?? h.pc,
    regs,
    trap,
    pending,
    stale,
    reserved,
    id: undefined,
    regsId: regs === h.regs ? h.regsId : undefined,
    restId: restSame ? h.restId : undefined,
  };
}

function state(mem: Uint32Array, harts: readonly HartState[], patchers: readonly PatcherState[], halted: Ending | undefined): MachineState {
  return { mem, harts, patchers, halted };
}

const ZERO_REGS: readonly bigint[] = Object.freeze(new Array<bigint>(32).fill(0n));
const NO_PENDING: readonly IpiRequest[] = Object.freeze([]);

export class Machine {
  readonly layout: MemoryLayout;
  readonly fetch: FetchModel;
  private readonly stubs: ReadonlyMap<bigint, Stub>;
  private readonly initialMem: Uint32Array;
  // Interning: equal component states get equal small numbers, so a state's key is short.
  private readonly hartIds = new Map<string, number>();
  private readonly memIds = new Map<string, number>();
  /** Interned numbers of memory arrays, by identity (a state's memory is shared until a store). */
  private readonly memIdCache = new WeakMap<Uint32Array, number>();
  /** Register and pc values as small numbers: cheaper to put in keys than bigints as hex. */
  private readonly valueIds = new Map<bigint, number>();

  private readonly initialHart: HartState = {
    pc: 0n,
    regs: ZERO_REGS,
    trap: undefined,
    pending: NO_PENDING,
    stale: fenceIWindow(),
    reserved: undefined,
    id: undefined,
    regsId: undefined,
    restId: undefined,
  };

  constructor(readonly program: Program) {
    if (program.patchers.length > 3) throw new Error('at most 3 patching harts'); // hartKeys packs their waits in 3 bits
    this.layout = new MemoryLayout(program.regions);
    this.fetch = FETCH_MODELS[program.model.fetch];
    this.stubs = new Map(program.stubs.map((s) => [s.addr, s]));
    this.initialMem = this.layout.initialWords();
  }

  initial(): MachineState {
    return {
      mem: this.initialMem,
      harts: this.program.harts.map((h) => edit(this.initialHart, { pc: h.start })),
      patchers: this.program.patchers.map(() => ({ step: 0, waiting: 0 })),
      halted: undefined,
    };
  }

  private idle(s: MachineState, i: number): boolean {
    const h = s.harts[i];
    return h.trap === undefined && h.pc === this.program.harts[i].idleAt;
  }

  enabled(s: MachineState): Transition[] {
    if (s.halted) return [];
    const out: Transition[] = [];
    for (let i = 0; i < s.harts.length; i++) {
      const h = s.harts[i];
      if (h.trap) {
        out.push({ kind: 'trap-return', hart: i });
        continue;
      }
      const idle = this.idle(s, i);
      if (h.pending.length > 0 && (idle || this.program.harts[i].ipiWhileRunning)) out.push({ kind: 'take-ipi', hart: i });
      if (idle) continue;
      // pc always points at code here: every transition that sets pc checks it.
      const choices = fetchChoices(this.fetch, this.layout, h, s.mem, h.pc);
      if (choices) for (const c of choices) out.push({ kind: 'exec', hart: i, bits: c.bits, stale: c.stale });
    }
    for (let i = 0; i < s.patchers.length; i++) {
      const p = s.patchers[i];
      if (p.waiting === 0 && p.step < this.program.patchers[i].steps.length) out.push({ kind: 'patch', patcher: i });
    }
    return out;
  }

  apply(s: MachineState, t: Transition): Applied {
    switch (t.kind) {
      case 'exec':
        return this.exec(s, t.hart, t.bits, t.stale);
      case 'take-ipi':
        return this.takeIpi(s, t.hart);
      case 'trap-return':
        return this.trapReturn(s, t.hart);
      case 'patch':
        return this.patch(s, t.patcher);
    }
  }

  /** A run from the initial state: each choice indexes the transitions enabled at that point. */
  replay(choices: readonly number[]): Array<{ transition: Transition; events: readonly MachineEvent[]; state: MachineState }> {
    let s = this.initial();
    return choices.map((c, n) => {
      const ts = this.enabled(s);
      if (c < 0 || c >= ts.length) throw new Error(`replay: choice ${c} at step ${n} but ${ts.length} transitions are enabled`);
      const { state, events } = this.apply(s, ts[c]);
      s = state;
      return { transition: ts[c], events, state };
    });
  }

  /** How a state with no enabled transition ended. */
  ending(s: MachineState): Ending {
    if (s.halted) return s.halted;
    const waiting: string[] = [];
    s.patchers.forEach((p, i) => {
      const spec = this.program.patchers[i];
      if (p.waiting !== 0) {
        const who = this.program.harts.filter((_, h) => p.waiting & (1 << h)).map((h) => h.name);
        waiting.push(`${spec.name} waits for the acknowledgement of ${who.join(', ')}`);
      } else if (p.step < spec.steps.length) waiting.push(`${spec.name} has steps left`);
    });
    s.harts.forEach((h, i) => {
      if (!this.idle(s, i) || h.pending.length) waiting.push(`${this.program.harts[i].name} has not finished`);
    });
    return waiting.length ? { kind: 'deadlock', detail: waiting.join('; ') } : { kind: 'complete' };
  }

  /** A compact canonical key: equal keys, equal futures. */
  key(s: MachineState): string {
    let k = '';
    for (const n of this.hartKeys(s)) k += n + ',';
    return k + this.sharedKey(s);
  }

  /**
   * The part of the key that belongs to each remote hart: its own state, and whether each
   * patching hart waits for its acknowledgement. Permuting identical harts permutes these.
   */
  hartKeys(s: MachineState): number[] {
    const out: number[] = [];
    for (let i = 0; i < s.harts.length; i++) {
      let waitedFor = 0;
      for (let p = 0; p < s.patchers.length; p++) if (s.patchers[p].waiting & (1 << i)) waitedFor |= 1 << p;
      out.push(this.hartId(s.harts[i], this.program.harts[i].idleAt) * 8 + waitedFor);
    }
    return out;
  }

  /** The rest of the key: memory, patching harts' progress, how the run ended. */
  sharedKey(s: MachineState): string {
    let k = '|' + this.memId(s.mem) + '|';
    for (const p of s.patchers) k += p.step + (p.waiting ? 'w' : '') + ',';
    if (s.halted) k += '|' + endingKey(s.halted);
    return k;
  }

  private hartId(h: HartState, idleAt: bigint): number {
    if (h.id !== undefined) return h.id;
    if (h.trap ? h.trap.sepc === idleAt : h.pc === idleAt) {
      // Idle for good (or in an IPI handler that returns to idle): it fetches nothing more
      // and its handlers read no register, so its registers and fetch window cannot matter.
      // Leaving them out of the key merges states whose futures are the same.
      let k = `I${h.trap ? `T${h.trap.ipi.patcher}.${h.trap.ipi.step}` : ''}`;
      for (const p of h.pending) k += `P${p.patcher}.${p.step}`;
      return (h.id = this.intern(k));
    }
    if (h.regsId === undefined) {
      let k = '';
      for (let i = 1; i < 32; i++) if (h.regs[i] !== 0n) k += i + '=' + this.valueId(h.regs[i]) + ' ';
      h.regsId = this.intern(k);
    }
    if (h.restId === undefined) {
      let k = 'R';
      if (h.trap) k += `T${this.valueId(h.trap.sepc)}/${h.trap.ipi.patcher}.${h.trap.ipi.step}`;
      for (const p of h.pending) k += `P${p.patcher}.${p.step}`;
      for (const [w, vs] of h.stale) k += `S${w}:${vs.join('/')}`;
      if (h.reserved) k += `L${this.valueId(h.reserved.addr)}.${h.reserved.size}`;
      h.restId = this.intern(k);
    }
    return (h.id = this.intern(`H${this.valueId(h.pc)},${h.regsId},${h.restId}`));
  }

  /** One table for every interned string: their prefixes keep the kinds apart. */
  private intern(k: string): number {
    let id = this.hartIds.get(k);
    if (id === undefined) this.hartIds.set(k, (id = this.hartIds.size));
    return id;
  }

  private valueId(v: bigint): number {
    let id = this.valueIds.get(v);
    if (id === undefined) this.valueIds.set(v, (id = this.valueIds.size));
    return id;
  }

  private memId(mem: Uint32Array): number {
    let id = this.memIdCache.get(mem);
    if (id !== undefined) return id;
    let k = '';
    for (let i = 0; i < mem.length; i++) if (mem[i] !== this.initialMem[i]) k += i + ':' + mem[i] + ' ';
    id = this.memIds.get(k);
    if (id === undefined) this.memIds.set(k, (id = this.memIds.size));
    this.memIdCache.set(mem, id);
    return id;
  }

  /**
   * Writes through to a copy of memory and keeps every hart's fetch window up to date; a
   * store to reserved bytes takes the reservation away (the SC after it fails).
   */
  private storeInto(mem: Uint32Array, harts: HartState[], addr: bigint, size: number, value: bigint): boolean {
    const changes = this.layout.write(mem, addr, size, value);
    if (!changes) return false;
    for (let i = 0; i < harts.length; i++) {
      const r = harts[i].reserved;
      if (r && addr < r.addr + BigInt(r.size) && r.addr < addr + BigInt(size)) harts[i] = edit(harts[i], { reserved: undefined });
    }
    for (const c of changes) {
      for (let i = 0; i < harts.length; i++) {
        const stale = this.fetch.afterStore(harts[i].stale, c.index, c.old, c.now);
        if (stale !== harts[i].stale) harts[i] = edit(harts[i], { stale });
      }
    }
    return true;
  }

  /**
   * Where control goes when a hart's pc becomes `to`: a stub records a call and returns
   * through its register; anything but code, a stub or the hart's idle point is a wild jump.
   */
  private land(hartIndex: number, from: bigint, to: bigint, regs: readonly bigint[], events: MachineEvent[]): bigint | Ending {
    const stub = this.stubs.get(to);
    let pc = to;
    if (stub) {
      pc = regs[stub.returnReg];
      events.push({ kind: 'call', hart: hartIndex, stub: stub.name, site: from, returnTo: pc });
      if (this.stubs.has(pc)) return { kind: 'wild-jump', hart: hartIndex, from: to, to: pc };
    }
    if (pc === this.program.harts[hartIndex].idleAt || this.layout.isCode(pc)) return pc;
    return { kind: 'wild-jump', hart: hartIndex, from: stub ? to : from, to: pc };
  }

  private exec(s: MachineState, i: number, bits: number, stale: boolean): Applied {
    const h = s.harts[i];
    const d = decode(bits);
    const latest = stale ? this.latestAt(s.mem, h.pc) : undefined;
    const events: MachineEvent[] = [{ kind: 'exec', hart: i, pc: h.pc, bits, length: d.length, stale, ...(latest === undefined ? {} : { latest }) }];
    const regs = h.regs.slice();
    const harts = s.harts.slice();
    const data = new DataAccess(this.layout, s.mem, harts, events, i, (m, hs, a, n, v) => this.storeInto(m, hs, a, n, v));
    const r = execute({ d, pc: h.pc, regs, data });
    const mem = data.mem;
    const halt = (ending: Ending): Applied => {
      events.push({ kind: 'crash', ending });
      return { state: state(mem, harts, s.patchers, ending), events };
    };
    if ('trap' in r) {
      if (r.trap === 'illegal-instruction') return halt({ kind: 'illegal-instruction', hart: i, pc: h.pc, bits });
      return halt({ kind: r.trap, hart: i, pc: h.pc });
    }
    if ('fault' in r) return halt({ kind: 'fault', hart: i, pc: h.pc, addr: r.addr, detail: r.fault });
    const next = this.land(i, h.pc, r.next, regs, events);
    if (typeof next !== 'bigint') return halt(next);
    let me = harts[i]; // may carry a window updated by its own store
    if (r.fenceI) events.push({ kind: 'fence.i', hart: i, cause: 'instruction' });
    // Keep the old register file when nothing changed, so the hart's key is cheaper to build.
    let same = true;
    for (let k = 1; k < 32 && same; k++) same = regs[k] === h.regs[k];
    me = edit(me, { pc: next, regs: same ? h.regs : regs, stale: r.fenceI ? fenceIWindow() : me.stale });
    harts[i] = me;
    return { state: state(mem, harts, s.patchers, undefined), events };
  }

  /** The instruction a fetch of memory as it is now would read at pc. */
  private latestAt(mem: Uint32Array, pc: bigint): number | undefined {
    const now = fetchChoices(FETCH_MODELS.coherent, this.layout, this.initialHart, mem, pc);
    return now?.[0]?.bits;
  }


  private takeIpi(s: MachineState, i: number): Applied {
    const h = s.harts[i];
    const ipi = h.pending[0];
    const events: MachineEvent[] = [
      { kind: 'trap', hart: i, sepc: h.pc, ipi },
      { kind: 'fence.i', hart: i, cause: 'ipi' },
      { kind: 'ack', hart: i, ipi },
    ];
    const harts = s.harts.slice();
    harts[i] = edit(h, { trap: { sepc: h.pc, ipi }, pending: h.pending.slice(1), stale: fenceIWindow() });
    const step = this.program.patchers[ipi.patcher].steps[ipi.step];
    let patchers = s.patchers;
    if (step.kind === 'ipi' && step.sync) {
      const copy = s.patchers.slice();
      const p = copy[ipi.patcher];
      copy[ipi.patcher] = { ...p, waiting: p.waiting & ~(1 << i) };
      patchers = copy;
    }
    return { state: state(s.mem, harts, patchers, undefined), events };
  }

  private trapReturn(s: MachineState, i: number): Applied {
    const h = s.harts[i];
    const sepc = h.trap!.sepc;
    // The fixup reads the interrupted word with a data load: it sees memory as it is now.
    const word = this.layout.read(s.mem, sepc, 4);
    const fixup = word === undefined ? undefined : this.program.fixups.find((f) => (Number(word) & f.mask) >>> 0 === f.match);
    const resume = fixup ? sepc + fixup.adjust : sepc;
    const events: MachineEvent[] = [{ kind: 'trap-return', hart: i, sepc, resume, fixup: fixup?.name }];
    const harts = s.harts.slice();
    harts[i] = edit(h, { trap: undefined, pc: resume });
    if (resume !== this.program.harts[i].idleAt && !this.layout.isCode(resume)) {
      const ending: Ending = { kind: 'wild-jump', hart: i, from: sepc, to: resume };
      events.push({ kind: 'crash', ending });
      return { state: state(s.mem, harts, s.patchers, ending), events };
    }
    return { state: state(s.mem, harts, s.patchers, undefined), events };
  }

  private patch(s: MachineState, p: number): Applied {
    const spec = this.program.patchers[p];
    const ps = s.patchers[p];
    const step = spec.steps[ps.step];
    const events: MachineEvent[] = [{ kind: 'patch-step', patcher: p, step: ps.step, label: step.label }];
    const patchers = s.patchers.slice();
    let next: PatcherState = { step: ps.step + 1, waiting: 0 };
    let { mem, harts } = s;
    switch (step.kind) {
      case 'store': {
        mem = s.mem.slice();
        const hs = s.harts.slice();
        if (!this.storeInto(mem, hs, step.addr, step.size, step.value)) {
          throw new Error(`patch step stores to unmapped address 0x${step.addr.toString(16)}`);
        }
        harts = hs;
        events.push({ kind: 'store', patcher: p, addr: step.addr, size: step.size, value: step.value });
        break;
      }
      case 'fence':
      case 'fence.i':
        // Stores are in order and the patcher fetches no patched code: nothing changes.
        break;
      case 'ipi': {
        const hs = s.harts.slice();
        for (const t of step.targets) hs[t] = edit(hs[t], { pending: [...hs[t].pending, { patcher: p, step: ps.step }] });
        harts = hs;
        if (step.sync) next = { ...next, waiting: step.targets.reduce((m, t) => m | (1 << t), 0) };
        events.push({ kind: 'ipi-sent', patcher: p, targets: step.targets, sync: step.sync });
        break;
      }
    }
    patchers[p] = next;
    return { state: state(mem, harts, patchers, undefined), events };
  }
}

function endingKey(e: Ending): string {
  return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));
}

/** Data loads and stores of one instruction: memory is copied on its first store. */
class DataAccess implements DataPort {
  mem: Uint32Array;
  private copied = false;

  constructor(
    private readonly layout: MemoryLayout,
    mem: Uint32Array,
    private readonly harts: HartState[],
    private readonly events: MachineEvent[],
    private readonly hart: number,
    private readonly storeInto: (mem: Uint32Array, harts: HartState[], addr: bigint, size: number, value: bigint) => boolean,
  ) {
    this.mem = mem;
  }

  load(addr: bigint, size: number): bigint | { fault: string } {
    return this.layout.read(this.mem, addr, size) ?? { fault: 'load from unmapped address' };
  }

  reserve(addr: bigint, size: number): void {
    this.harts[this.hart] = edit(this.harts[this.hart], { reserved: { addr, size } });
  }

  release(addr: bigint, size: number): boolean {
    const r = this.harts[this.hart].reserved;
    this.harts[this.hart] = edit(this.harts[this.hart], { reserved: undefined });
    return r !== undefined && r.addr === addr && r.size === size;
  }

  store(addr: bigint, size: number, value: bigint): undefined | { fault: string } {
    if (!this.copied) {
      this.mem = this.mem.slice();
      this.copied = true;
    }
    if (!this.storeInto(this.mem, this.harts, addr, size, value)) return { fault: 'store to unmapped address' };
    this.events.push({ kind: 'store', hart: this.hart, addr, size, value });
    return undefined;
  }
}
