// A remote hart's steps: executing an instruction (its fetch, then its load and store),
// taking an IPI, returning from the handler. Each step is offered once per way its reads
// can be satisfied and its store placed: those are the model's choice points.

import { decode, type Decoded } from '../isa/index.ts';
import { appendStore, Draft, editHart, type Core, type Successor } from './core.ts';
import { idlePc, interruptSuccessors, isIdle, runnableAt, serviceStubAt, trapSuccessors } from './interrupts.ts';
import { lockFree, lockStep, raiseRequest, requestViews } from './services.ts';
import { fetchOptions, fetchPieces, latestInstruction, type FetchOption } from './fetch.ts';
import { execute, type DataPort, type ExecResult } from './semantics.ts';
import { latestValue } from './timeline.ts';
import { loadChoices } from './loads.ts';
import type { Ending, HartState, MachineState, ReadChoice, Speculation, Stub, Transition, TrapHandler, WriteChoice } from './types.ts';
import { afterFence, afterFenceI, afterFetch, afterRead, afterWrite, cohOf, watchOrdering, type ThreadMem } from './views.ts';

/** At most this many unconfirmed speculative fetches per hart (taint bits). */
export const MAX_SPECULATIONS = 4;

export interface StepOptions {
  /** A certification run: the thread alone, no speculation, no interrupts. */
  readonly certifying: boolean;
}

const max = (a: number, b: number) => (a > b ? a : b);

const LOADS = new Set(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu']);
const isAmo = (op: string) => op.startsWith('amo');
const isLr = (op: string) => op.startsWith('lr.');
const isSc = (op: string) => op.startsWith('sc.');
const BRANCHES = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);

/** The loads, store and reservation calls of one run of an instruction. */
class AccessPort implements DataPort {
  loadAt?: { addr: bigint; size: number };
  storeAt?: { addr: bigint; size: number; value: bigint };
  reserveAt?: { addr: bigint; size: number };
  scTried = false;

  constructor(
    private readonly core: Core,
    private readonly loadValue: bigint | undefined,
    private readonly scSucceeds: (addr: bigint, size: number) => boolean,
  ) {}

  load(addr: bigint, size: number): bigint | { fault: string } {
    if (this.core.layout.offset(addr, size) === undefined) return { fault: 'load from unmapped address' };
    this.loadAt = { addr, size };
    return this.loadValue ?? 0n;
  }

  store(addr: bigint, size: number, value: bigint): undefined | { fault: string } {
    if (this.core.layout.offset(addr, size) === undefined) return { fault: 'store to unmapped address' };
    this.storeAt = { addr, size, value };
    return undefined;
  }

  reserve(addr: bigint, size: number): void {
    this.reserveAt = { addr, size };
  }

  release(addr: bigint, size: number): boolean {
    this.scTried = true;
    return this.scSucceeds(addr, size);
  }
}

/** Every step hart `i` can take in `s`. */
export function hartSuccessors(core: Core, s: MachineState, i: number, opts: StepOptions, out: Successor[]): void {
  const h = s.harts[i];
  if (h.trap) {
    trapSuccessors(core, s, i, opts.certifying, out);
    return;
  }
  if (!opts.certifying) interruptSuccessors(core, s, i, out);
  if (isIdle(core, s, i)) return;
  if (h.waiting !== 0) return; // its code waits for acknowledgements (interrupts still come)
  const stub = serviceStubAt(core, h.pc);
  if (stub) {
    serviceSuccessors(core, s, i, stub, out);
    return;
  }
  if (h.mem.v.fFloorT) return; // its next fetch waits for a speculation to be confirmed
  const speculate = core.speculates && !opts.certifying && h.speculations.length < MAX_SPECULATIONS;
  const options = fetchOptions(core.setup, s.timeline, h.pc, h.mem.v.fFloor, speculate ? guesses(core, s, i) : undefined);
  if (!options) return;
  for (const o of options) execSuccessors(core, s, i, o, out);
}

/**
 * What hart i may guess a store will give a piece. A guess must be confirmed before the
 * hart takes its next interrupt, so a value only a patching hart's step can store, behind
 * a synchronous IPI that waits for this very hart, can never confirm it: not guessed.
 */
function guesses(core: Core, s: MachineState, i: number): (pieceStart: number) => bigint[] {
  const reachable = (source: string): boolean => {
    const m = /^p(\d+)\.(\d+)$/.exec(source);
    if (!m) return true;
    const p = Number(m[1]);
    const j = Number(m[2]);
    const ps = s.patchers[p];
    if (ps.step > j || ps.waiting & (1 << i)) return false;
    const steps = core.program.patchers[p].steps;
    for (let k = ps.step; k < j; k++) {
      const st = steps[k];
      // Steps that wait for this hart to take an interrupt, which it cannot while it guesses.
      if (st.kind === 'ipi' && st.sync && st.targets.includes(i)) return false;
      if (st.kind === 'sbi' && st.completion === 'completed' && st.targets.includes(i)) return false;
      if (st.kind === 'stop') return false;
    }
    return true;
  };
  return (pieceStart) => {
    const out: bigint[] = [];
    for (const [v, sources] of core.future.get(pieceStart) ?? []) if ([...sources].some(reachable)) out.push(v);
    return out;
  };
}

/** The fetch's post-view, the taint bits of its speculative pieces, and the speculations it leaves. */
function fetched(core: Core, h: HartState, o: FetchOption): { post: number; taint: number; speculations: Speculation[] } {
  let post = h.mem.v.fFloor;
  let taint = 0;
  // The hart's own list when the fetch guesses nothing: its state then keeps its cached key parts.
  let speculations = h.speculations as Speculation[];
  let pieces: ReturnType<typeof fetchPieces> | undefined;
  o.choices.forEach((c, k) => {
    if (c.kind === 'snapshot') {
      for (const src of c.sources) post = max(post, src);
      return;
    }
    if (speculations === h.speculations) speculations = [...h.speculations];
    const piece = (pieces ??= fetchPieces(core.setup, h.pc, o.length))[k];
    let bit = 1;
    while (speculations.some((sp) => sp.bit === bit)) bit <<= 1;
    speculations.push({ at: piece.at, size: piece.size, value: c.value, bit });
    taint |= bit;
  });
  return { post, taint, speculations };
}

function execSuccessors(core: Core, s: MachineState, i: number, o: FetchOption, out: Successor[]): void {
  const h = s.harts[i];
  const d = decode(o.bits);
  const f = fetched(core, h, o);
  const mem = afterFetch(h.mem, core.rules, f.post, f.taint);
  const probe = run(core, h, d, undefined);
  if (!probe.port.loadAt) {
    storeSuccessors({ core, s, i, o, d, f, mem, r: probe }, undefined, out);
    return;
  }
  // The load's pre-view: its address, fences and acquires before it, its own fetch (ir1).
  const v = mem.v;
  if (v.rNewT) return; // ordered after a speculative fetch not yet confirmed
  const aq = (d.aqrl & 2) !== 0;
  const rl = (d.aqrl & 1) !== 0;
  let vpre = max(max(h.regViews[d.rs1], v.rNew), f.post);
  watchOrdering(core.rules, v, 'fetchBeforeReads', vpre, v.rNewT);
  if (aq) vpre = max(vpre, v.rel); // RCsc: an acquire after a release (ppo 7)
  if (rl) vpre = max(vpre, max(v.rOld, v.wOld)); // an AMO with .rl is after everything before it
  const { addr, size } = probe.port.loadAt;
  const at = core.layout.offset(addr, size)!;
  for (const read of loadChoices(core, s, mem, at, size, vpre, isAmo(d.op))) {
    const r = run(core, h, d, read.value);
    storeSuccessors({ core, s, i, o, d, f, mem, r }, { choice: read, at, size, vpre }, out);
  }
}

interface Run {
  readonly result: ExecResult;
  readonly regs: bigint[];
  readonly port: AccessPort;
}

function run(core: Core, h: HartState, d: Decoded, loadValue: bigint | undefined): Run {
  const regs = h.regs.slice();
  const port = new AccessPort(core, loadValue, (addr, size) => {
    const r = h.reserved;
    return r !== undefined && core.layout.offset(addr, size) === r.at && size === r.size;
  });
  const result = execute({ d, pc: h.pc, regs, data: port });
  return { result, regs, port };
}

interface LoadDone {
  readonly choice: ReadChoice;
  readonly at: number;
  readonly size: number;
  readonly vpre: number;
}

/** One execution of an instruction in progress: the hart, how it was fetched, its views after the fetch, the run of its semantics. */
interface Exec {
  readonly core: Core;
  readonly s: MachineState;
  readonly i: number;
  readonly o: FetchOption;
  readonly d: Decoded;
  readonly f: { post: number; taint: number; speculations: Speculation[] };
  /** The hart's memory views after the fetch. */
  readonly mem: ThreadMem;
  readonly r: Run;
}

function storeSuccessors(x: Exec, load: LoadDone | undefined, out: Successor[]): void {
  const { core, s, i, d, f, mem, r } = x;
  const h = s.harts[i];
  const st = r.port.storeAt;
  if (!st || 'trap' in r.result || 'fault' in r.result) {
    out.push(finishExec(x, load, undefined));
    return;
  }
  const v = mem.v;
  if (v.wNewT) return; // ordered after a speculative fetch not yet confirmed
  const atomic = isAmo(d.op) || isSc(d.op);
  const rl = (d.aqrl & 1) !== 0;
  let vpre = max(max(h.regViews[d.rs1], h.regViews[d.rs2]), max(max(v.wNew, v.cap), f.post));
  watchOrdering(core.rules, v, 'fetchBeforeWrites', vpre, v.wNewT);
  if (rl) vpre = max(vpre, max(v.rOld, v.wOld));
  if (load) vpre = max(vpre, load.vpre);
  if (isSc(d.op) && h.reserved) vpre = max(vpre, h.reserved.view); // paired with its LR (ppo 8)
  const at = core.layout.offset(st.addr, st.size)!;
  const floor = max(vpre, cohOf(mem, at, st.size));
  const keeps = (p: number) => {
    const m = s.timeline[p - 1];
    return m.at === at && m.size === st.size && m.value === st.value && floor < p;
  };
  const paired = load?.choice.kind === 'snapshot' ? load.choice.beforePromise : undefined;
  let choices: WriteChoice[] = [{ kind: 'fresh' }];
  if (paired !== undefined) choices = keeps(paired) ? [{ kind: 'fulfil', time: paired }] : []; // an AMO that read just before its promise
  else if (core.model.stores === 'rvwmo' && !atomic) for (const p of mem.promises) if (keeps(p)) choices.push({ kind: 'fulfil', time: p });
  for (const c of choices) out.push(finishExec(x, load, { choice: c, at, size: st.size, value: st.value, vpre }));
}

interface StoreDone {
  readonly choice: WriteChoice;
  readonly at: number;
  readonly size: number;
  readonly value: bigint;
  readonly vpre: number;
}

function finishExec(x: Exec, load: LoadDone | undefined, store: StoreDone | undefined): Successor {
  const { core, s, i, o, d, f, r } = x;
  const h = s.harts[i];
  const draft = new Draft(s);
  const transition: Transition = {
    kind: 'exec',
    hart: i,
    fetch: o.choices,
    bits: o.bits,
    ...(load ? { load: load.choice } : {}),
    ...(store ? { store: store.choice } : {}),
  };
  const latest = o.stale ? latestInstruction(core.setup, s.timeline, h.pc) : undefined;
  draft.events.push({ kind: 'exec', hart: i, task: h.task, pc: h.pc, bits: o.bits, length: o.length, stale: o.stale, ...(latest === undefined ? {} : { latest }), ...(o.future ? { future: true } : {}), ...(o.torn ? { torn: true } : {}) });
  let mem = x.mem;
  const halt = (ending: Ending): Successor => {
    draft.setHart(i, editHart(h, { mem, speculations: f.speculations }));
    draft.halted = ending;
    draft.events.push({ kind: 'crash', ending });
    return draft.freeze(transition);
  };
  if ('trap' in r.result) {
    const cause = r.result.trap;
    // The first registered handler for this trap here (the table as it is now: patch steps register and unregister).
    const handler = core.program.traps?.find((t, k) => t.cause === cause && (t.at === undefined || t.at === h.pc) && (s.handlers & (1 << k)) !== 0);
    if (handler) return handled(x, handler, draft, transition);
    if (cause === 'illegal-instruction') return halt({ kind: 'illegal-instruction', hart: i, task: h.task, pc: h.pc, bits: o.bits });
    return halt({ kind: cause, hart: i, task: h.task, pc: h.pc });
  }
  if ('fault' in r.result) return halt({ kind: 'fault', hart: i, task: h.task, pc: h.pc, addr: r.result.addr, detail: r.result.fault });

  // The load.
  let reserved = h.reserved;
  let readPost = 0;
  if (load && load.choice.kind === 'snapshot') {
    const c = load.choice;
    let post = load.vpre;
    c.sources.forEach((t, k) => {
      const fw = mem.fwd.get(load.at + k);
      // A load forwarded from the hart's own store gets that store's address and data
      // views, not its time (ppo 12), unless an AMO or SC wrote it (ppo 3).
      post = max(post, fw && fw.t === t && !fw.xcl ? fw.view : t);
    });
    if (core.model.stores === 'sc') post = s.timeline.length;
    readPost = post;
    mem = afterRead(mem, load.at, load.size, post, h.regViews[d.rs1], (d.aqrl & 2) !== 0);
    const now = latestValue(s.timeline, core.layout, load.at, load.size);
    draft.events.push({ kind: 'load', hart: i, addr: core.layout.addressOf(load.at), size: load.size, value: c.value, stale: c.value !== now });
    if (isLr(d.op)) reserved = reservation(s, i, load.at, load.size, c.sources, post);
  }
  if (isSc(d.op)) reserved = undefined; // an SC ends the reservation, succeeding or not

  // Register views: what each destination's value syntactically depends on.
  const regViews = h.regViews.slice();
  if (d.rd !== 0) {
    if (LOADS.has(d.op) || isAmo(d.op) || isLr(d.op)) regViews[d.rd] = readPost;
    else if (isSc(d.op)) regViews[d.rd] = store ? s.timeline.length + 1 : max(f.post, h.reserved?.view ?? 0);
    else if (d.op === 'jal' || d.op === 'jalr') regViews[d.rd] = 0;
    else regViews[d.rd] = max(h.regViews[d.rs1], h.regViews[d.rs2]);
  }
  // Branch conditions and jump targets: later stores wait for them (ppo 11).
  if (BRANCHES.has(d.op)) mem = capped(mem, max(h.regViews[d.rs1], h.regViews[d.rs2]));
  if (d.op === 'jalr') mem = capped(mem, h.regViews[d.rs1]);
  let same = true;
  for (let k = 1; k < 32 && same; k++) same = r.regs[k] === h.regs[k] && regViews[k] === h.regViews[k];
  draft.setHart(i, editHart(h, { regs: same ? h.regs : r.regs, regViews: same ? h.regViews : regViews, mem, reserved, speculations: f.speculations }));

  // The store: appendStore may confirm speculations, this hart's own included, so the hart is re-read after it.
  if (store) {
    const atomic = isAmo(d.op) || isSc(d.op);
    let t: number;
    if (store.choice.kind === 'fresh') {
      t = appendStore(core, draft, i, store.at, store.size, store.value, 'any');
      draft.events.push({ kind: 'store', hart: i, addr: core.layout.addressOf(store.at), size: store.size, value: store.value, time: t });
    } else {
      t = store.choice.time;
      draft.events.push({ kind: 'fulfil', hart: i, time: t });
    }
    const cur = draft.harts[i];
    let m = afterWrite(cur.mem, store.at, store.size, t, h.regViews[d.rs1], h.regViews[d.rs2], atomic, (d.aqrl & 1) !== 0);
    if (isAmo(d.op)) {
      // An AMO is one memory operation, at its store's place: what is ordered after it
      // (an acquire, a dependency on its result) comes after that place, not just after
      // the store its load read.
      m = afterRead(m, store.at, store.size, t, h.regViews[d.rs1], (d.aqrl & 2) !== 0);
      if (d.rd !== 0) {
        const rv = cur.regViews.slice();
        rv[d.rd] = max(rv[d.rd], t);
        draft.setHart(i, editHart(cur, { mem: m, regViews: rv }));
      } else draft.setHart(i, editHart(cur, { mem: m }));
    } else draft.setHart(i, editHart(cur, { mem: m }));
  }

  // Fences.
  if (d.op === 'fence' || d.op === 'fence.i') {
    const cur = draft.harts[i];
    const m = d.op === 'fence' ? afterFence(cur.mem, d.pred, d.succ, d.fm === 8) : afterFenceI(cur.mem, core.rules);
    if (d.op === 'fence.i') draft.events.push({ kind: 'fence.i', hart: i, task: cur.task, cause: 'instruction' });
    if (m !== cur.mem) draft.setHart(i, editHart(cur, { mem: m }));
  }

  const next = land(core, i, h.pc, r.result.next, r.regs, draft, idlePc(core, h, i));
  const cur = draft.harts[i];
  if (typeof next === 'bigint') draft.setHart(i, editHart(cur, { pc: next }));
  else {
    draft.halted = next;
    draft.events.push({ kind: 'crash', ending: next });
  }
  return draft.freeze(transition);
}

/**
 * Later stores wait for `view` (a branch's condition, a jump's target: ppo 11). The same
 * object when that changes nothing: the hart's memory state, and its cached key, stay.
 */
function capped(mem: ThreadMem, view: number): ThreadMem {
  return view <= mem.v.cap ? mem : { ...mem, v: { ...mem.v, cap: view } };
}

/**
 * An LR's reservation: it holds only if no other hart has stored to those bytes since the
 * store the LR read (the atomicity axiom: nothing from another hart between them).
 */
function reservation(s: MachineState, i: number, at: number, size: number, sources: readonly number[], view: number): HartState['reserved'] {
  const since = Math.max(...sources);
  for (let t = since + 1; t <= s.timeline.length; t++) {
    const m = s.timeline[t - 1];
    if (m.actor !== i && m.at < at + size && at < m.at + m.size) return undefined;
  }
  return { at, size, time: since, view };
}

/**
 * Where control goes when a hart's pc becomes `to`: a stub records a call and returns
 * through its register; a service stub records the call and keeps the hart there until it
 * has performed the service (its own step: it may have to wait); anything but code, a stub
 * or the hart's idle point is a wild jump.
 */
function land(core: Core, i: number, from: bigint, to: bigint, regs: readonly bigint[], d: Draft, idleAt: bigint): bigint | Ending {
  const stub = core.program.stubs.find((x) => x.addr === to);
  const task = d.harts[i].task;
  let pc = to;
  if (stub) {
    pc = regs[stub.returnReg];
    d.events.push({ kind: 'call', hart: i, task, stub: stub.name, site: from, returnTo: pc });
    if (stub.service) return to;
    if (core.program.stubs.some((x) => x.addr === pc)) return { kind: 'wild-jump', hart: i, task, from: to, to: pc };
  }
  if (pc === idleAt || core.layout.isCode(pc)) return pc;
  return { kind: 'wild-jump', hart: i, task, from: stub ? to : from, to: pc };
}

/**
 * A hart at a service stub performs the service, as the patch step of that kind would
 * (services.ts), then returns through the stub's register: a request raised on the other
 * harts (waiting for their acknowledgements if it is synchronous), a lock taken once it
 * is free, or released. Its fetches are what anchor a request under the `transitive`
 * reading of FENCE.I: one whose anchor is a speculative fetch not yet confirmed waits.
 */
function serviceSuccessors(core: Core, s: MachineState, i: number, stub: Stub, out: Successor[]): void {
  const h = s.harts[i];
  const service = stub.service!;
  if (service.kind === 'lock' && !lockFree(s, service.lock)) return; // held: it waits (sleeps) here
  if ((service.kind === 'ipi' || service.kind === 'sbi') && h.mem.v.fFloorT) return;
  const d = new Draft(s);
  let mem = h.mem;
  let waiting = 0;
  if (service.kind === 'ipi' || service.kind === 'sbi') waiting = raiseRequest(core, d, i, -1, service, requestViews(core, mem, service, mem.v.fFloor));
  else mem = lockStep(core, d, i, service, mem);
  const to = h.regs[stub.returnReg];
  const cur = d.harts[i];
  d.setHart(i, editHart(cur, { mem, waiting, pc: to }));
  if (!runnableAt(core, to, idlePc(core, h, i)) || core.program.stubs.some((x) => x.addr === to && !x.service)) {
    const ending: Ending = { kind: 'wild-jump', hart: i, task: h.task, from: h.pc, to };
    d.halted = ending;
    d.events.push({ kind: 'crash', ending });
  }
  out.push(d.freeze({ kind: 'service', hart: i }));
}

/**
 * A trap the scenario handles (an EBREAK or illegal instruction, kprobes-style): the
 * handler runs FENCE.I if it says so, emulates instructions in place of the trapping one
 * (in sequence, as if they stood at that pc and the pcs after it: register effects and,
 * last, a jump; the compiler allows nothing else), and resumes after them, where the
 * jump goes, or elsewhere.
 */
function handled(x: Exec, handler: TrapHandler, draft: Draft, transition: Transition): Successor {
  const { core, s, i, o } = x;
  const h = s.harts[i];
  let mem = x.mem;
  let regs = h.regs;
  let regViews = h.regViews;
  let next = BigInt.asUintN(64, h.pc + BigInt(o.length));
  const emulated: Array<{ bits: number; pc: bigint }> = [];
  if (handler.emulate) {
    let pc = h.pc;
    for (const insn of handler.emulate) {
      const d = decode(insn.bits);
      const r = run(core, { ...h, pc, regs, regViews }, d, undefined);
      next = 'next' in r.result ? r.result.next : BigInt.asUintN(64, pc + BigInt(insn.length));
      regs = r.regs;
      // A jump's target and a branch's condition: later stores wait for them, as they would for the real instruction's (ppo 11).
      if (d.op === 'jalr' || BRANCHES.has(d.op)) mem = capped(mem, max(regViews[d.rs1], d.op === 'jalr' ? 0 : regViews[d.rs2]));
      if (d.rd !== 0) {
        const rv = regViews.slice();
        rv[d.rd] = d.op === 'jal' || d.op === 'jalr' ? 0 : max(regViews[d.rs1], regViews[d.rs2]);
        regViews = rv;
      }
      emulated.push({ bits: insn.bits, pc });
      pc = BigInt.asUintN(64, pc + BigInt(insn.length));
    }
  }
  if (handler.resume !== undefined) next = handler.resume;
  if (handler.fenceI) {
    mem = afterFenceI(mem, core.rules);
    draft.events.push({ kind: 'fence.i', hart: i, task: h.task, cause: 'handler' });
  }
  draft.events.push({ kind: 'handler', hart: i, name: handler.name, ...(emulated.length ? { emulated } : {}), resume: next });
  draft.setHart(i, editHart(h, { regs, regViews, mem, speculations: x.f.speculations }));
  const to = land(core, i, h.pc, next, regs, draft, idlePc(core, h, i));
  if (typeof to === 'bigint') draft.setHart(i, editHart(draft.harts[i], { pc: to }));
  else {
    draft.halted = to;
    draft.events.push({ kind: 'crash', ending: to });
  }
  return draft.freeze(transition);
}

