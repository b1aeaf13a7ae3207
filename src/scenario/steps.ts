// The patching hart's steps, the stubs, the trap handlers, and the named instructions
// they use (the trap-return fixups are in fixups.ts). Instructions are assembled where
// they are stored, so `j .+8` and `%lo(new_tramp - func)` mean what they mean at that
// address.

import { isSeq } from 'yaml';
import { ALU_IMM, ALU_REG, BRANCH_TAKEN, decode, registerNumber } from '../isa/index.ts';
import { child, closestHint, scalarText, seqItems, stringList, type Context, type Located } from './context.ts';
import type { EmulatedInsn, InsnRef, PatchStep, PatcherSpec, RemoteHartSpec, Service, SourcePos, Stub, TrapHandler } from './types.ts';

const FENCE_BITS: Record<string, number> = { i: 8, o: 4, r: 2, w: 1 };

export function fenceSet(letters: string): number {
  let set = 0;
  for (const ch of letters) set |= FENCE_BITS[ch] ?? 0;
  return set;
}

/** What stubs and patch steps share: the remote harts requests target, the locks they name (numbered in the order first named). */
export interface StepScope {
  readonly harts: readonly RemoteHartSpec[];
  readonly locks: string[];
}

/**
 * The stubs: routines not modelled. A stub with one of the keys `ipi`, `sbi`, `lock` or
 * `unlock` is a kernel service (flush_icache_all, sbi_remote_fence_i, mutex_lock): a
 * hart's code that calls it makes the request, or takes the lock, exactly as the patch
 * step of that kind does.
 */
export function buildStubs(ctx: Context, regionAt: (addr: bigint) => string | undefined, scope: StepScope): Stub[] {
  const out: Stub[] = [];
  for (const e of ctx.entries('stubs')) {
    const addr = ctx.symbols.get(e.key);
    if (addr === undefined) continue;
    const retAt = child(e, 'return');
    const retText = scalarText(retAt) ?? 'ra';
    const returnReg = registerNumber(retText);
    if (returnReg === undefined) {
      ctx.error(retAt ?? e, `"${retText}" is not a register`);
      continue;
    }
    const inside = regionAt(addr);
    if (inside) ctx.error({ node: e.keyNode, src: e.src }, `stub "${e.key}" (0x${addr.toString(16)}) lies inside ${inside}: a stub stands for code that is not modelled`);
    const services = SERVICE_KINDS.filter((k) => child(e, k));
    if (services.length > 1) ctx.error(child(e, services[1])!, `stub "${e.key}" does one thing: ${services.join(' or ')}`);
    const service = services.length ? (serviceOf(ctx, e, services[0], scope) as Service | undefined) : undefined;
    out.push({ name: e.key, addr, returnReg, ...(service ? { service } : {}) });
  }
  return out;
}

const SERVICE_KINDS = ['ipi', 'sbi', 'lock', 'unlock'] as const;

/** A request to other harts, or a lock taken or released: what an `ipi`, `sbi`, `lock` or `unlock` key says, in a patch step or a service stub. */
function serviceOf(ctx: Context, item: Located, kind: (typeof SERVICE_KINDS)[number], scope: StepScope): PatchStep | undefined {
  const at = child(item, kind)!;
  if (kind === 'lock' || kind === 'unlock') {
    const name = scalarText(at) ?? '';
    let lock = scope.locks.indexOf(name);
    if (lock < 0) lock = scope.locks.push(name) - 1;
    return { kind, lock, label: `${kind} ${name}` };
  }
  const targets = hartIndices(ctx, child(at, 'targets'), scope.harts);
  const who = stringList(child(at, 'targets')).map((t) => t.text).join(', ') || 'all';
  if (kind === 'ipi') {
    const sync = scalarText(child(at, 'sync')) !== 'false';
    const handler = scalarText(child(at, 'handler')) === 'bare' ? 'bare' : 'request';
    const fence = scalarText(child(at, 'fence')) !== 'false';
    const queue = scalarText(child(at, 'queue')) === 'relaxed' ? 'relaxed' : 'ordered';
    if (targets.length === 0) ctx.error(at, 'this IPI has no target: the scenario has no remote hart');
    const notes = [who, ...(handler === 'bare' ? ['bare handler'] : []), ...(fence ? [] : ['no fence w,o']), ...(queue === 'relaxed' ? ['relaxed queue'] : [])];
    return { kind: 'ipi', targets, action: 'fence.i', sync, handler, fence, queue, label: `${sync ? 'synchronous' : 'asynchronous'} remote fence.i by IPI (${notes.join('; ')})` };
  }
  const completion = scalarText(child(at, 'completion')) === 'completed' ? 'completed' : 'sent';
  const ordered = scalarText(child(at, 'ordered')) === 'true';
  if (targets.length === 0) ctx.error(at, 'this SBI call has no target: the scenario has no remote hart');
  return { kind: 'sbi', targets, completion, ordered, label: `SBI remote fence.i (${who}; returns when ${completion}${ordered ? '; orders earlier stores' : ''})` };
}

/** An instruction named in insns: or written out, assembled at `addr`. */
export function instructionAt(ctx: Context, text: string, at: Located, addr: bigint): InsnRef | undefined {
  const named = ctx.entries('insns').find((e) => e.key === text);
  const source = named ? (scalarText(named) ?? '') : text;
  const before = ctx.diagnostics.length;
  const r = ctx.assembleAt(named ?? at, source, addr);
  if (ctx.diagnostics.length > before) return undefined;
  const insns = r.items.filter((i) => i.kind === 'insn');
  if (insns.length !== 1 || r.items.length !== 1) {
    ctx.error(named ?? at, `"${source}" must be exactly one instruction (it assembles to ${insns.length})`);
    return undefined;
  }
  return { text, bits: insns[0].bits!, length: insns[0].size as 2 | 4, source };
}

function hartIndices(ctx: Context, at: Located | undefined, harts: readonly RemoteHartSpec[]): number[] {
  const names = stringList(at);
  if (names.length === 0 || (names.length === 1 && names[0].text === 'all')) return harts.map((_, i) => i);
  const out: number[] = [];
  for (const n of names) {
    const i = harts.findIndex((h) => h.name === n.text);
    if (i < 0) ctx.error(n.at, `no remote hart is named "${n.text}"`, closestHint(n.text, harts.map((h) => h.name)));
    else out.push(i);
  }
  return out;
}

function storeStep(ctx: Context, at: Located, inRegion: (addr: bigint, size: number) => boolean): PatchStep | undefined {
  const addrAt = child(at, 'at')!;
  const addr = ctx.value(addrAt);
  if (addr === undefined) return undefined;
  const insnAt = child(at, 'insn');
  const valueAt = child(at, 'value');
  const where = scalarText(addrAt) ?? `0x${addr.toString(16)}`;
  let step: PatchStep;
  if (insnAt) {
    if (valueAt) ctx.error(valueAt, 'a store takes "insn" or "value", not both');
    const insn = instructionAt(ctx, scalarText(insnAt) ?? '', insnAt, addr);
    if (!insn) return undefined;
    step = { kind: 'store', addr, size: insn.length, value: BigInt(insn.bits), label: `store ${insn.text} at ${where}`, insn: { name: insn.text, source: insn.source ?? insn.text } };
  } else if (valueAt) {
    const value = ctx.value(valueAt);
    if (value === undefined) return undefined;
    const size = ctx.integer(child(at, 'size'), 8) as 1 | 2 | 4 | 8;
    const bits = BigInt(size * 8);
    if (value >= 1n << bits || value < -(1n << (bits - 1n))) {
      ctx.error(valueAt, `value 0x${value.toString(16)} does not fit in ${size} bytes`);
      return undefined;
    }
    step = { kind: 'store', addr, size, value: BigInt.asUintN(size * 8, value), label: `store ${scalarText(valueAt)} (${size} bytes) at ${where}` };
  } else {
    ctx.error(at, 'a store needs "insn" (an instruction) or "value" (data)');
    return undefined;
  }
  if (addr % BigInt(step.size) !== 0n) {
    ctx.error(addrAt, `a ${step.size}-byte store at 0x${addr.toString(16)} is not naturally aligned`, 'RISC-V makes only naturally aligned stores single-copy atomic');
    return undefined;
  }
  if (!inRegion(addr, step.size)) {
    ctx.error(addrAt, `0x${addr.toString(16)} is in no code or data region`);
    return undefined;
  }
  return step;
}

/** What the steps of every patching hart share besides harts and locks: the regions and trap handlers they name. */
export interface PatchScope extends StepScope {
  readonly inRegion: (addr: bigint, size: number) => boolean;
  /** A code or data region by name: where it starts and how many bytes it has. */
  readonly region: (name: string) => { readonly base: bigint; readonly size: number } | undefined;
  readonly regionNames: readonly string[];
  readonly traps: readonly TrapHandler[];
}

/** One patch step as written (a nested stop_machine gives several); `inStop`: written inside a stop_machine. */
function buildSteps(ctx: Context, item: Located, scope: PatchScope, out: { steps: PatchStep[]; positions: SourcePos[] }, inStop = false): void {
  const pos = item.src.of(item.node);
  const push = (step: PatchStep | undefined, at: SourcePos = pos) => {
    if (!step) return;
    out.steps.push(step);
    out.positions.push(at);
  };
  const text = scalarText(item);
  if (text !== undefined) {
    const fence = /^fence(?:\s+([iorw]+)\s*,\s*([iorw]+))?$/.exec(text);
    if (text === 'synchronize_rcu_tasks') {
      // It sleeps until every task has scheduled: inside stop_machine nothing can, and the
      // kernel forbids sleeping there (the stopper runs with interrupts off).
      if (inStop) return ctx.error(item, 'synchronize_rcu_tasks cannot run inside stop_machine', 'it sleeps until every task has passed a quiescent state, and every other hart is parked there: put it after the stop_machine');
      push({ kind: 'rcu-tasks', label: 'synchronize_rcu_tasks: a grace period begins' });
      return push({ kind: 'rcu-tasks-wait', label: 'synchronize_rcu_tasks returns: the grace period has ended' });
    }
    if (text === 'fence.i') push({ kind: 'fence.i', label: 'fence.i' });
    else if (text === 'fence.tso') push({ kind: 'fence', pred: fenceSet('rw'), succ: fenceSet('rw'), tso: true, label: text });
    else if (fence) push({ kind: 'fence', pred: fenceSet(fence[1] ?? 'iorw'), succ: fenceSet(fence[2] ?? 'iorw'), label: text });
    return;
  }
  if (child(item, 'store')) return push(storeStep(ctx, child(item, 'store')!, scope.inRegion));
  if (child(item, 'fence')) {
    const [pred, succ] = (scalarText(child(item, 'fence')) ?? '').split(',').map((x) => x.trim());
    return push({ kind: 'fence', pred: fenceSet(pred), succ: fenceSet(succ), label: `fence ${pred},${succ}` });
  }
  const service = SERVICE_KINDS.find((k) => child(item, k));
  if (service) return push(serviceOf(ctx, item, service, scope));
  const stop = child(item, 'stop_machine');
  if (stop) {
    push({ kind: 'stop', label: 'stop_machine: every other hart parks' });
    for (const inner of seqItems(stop)) {
      if (child(inner, 'stop_machine')) ctx.error(inner, 'stop_machine does not nest');
      else buildSteps(ctx, inner, scope, out, true);
    }
    return push({ kind: 'restart', label: 'stop_machine ends: the others run FENCE.I and resume' });
  }
  const wait = child(item, 'wait');
  if (wait) {
    const addrAt = child(wait, 'at')!;
    const addr = ctx.value(addrAt);
    const value = ctx.value(child(wait, 'value')!);
    const size = ctx.integer(child(wait, 'size'), 8) as 1 | 2 | 4 | 8;
    if (addr === undefined || value === undefined) return;
    if (addr % BigInt(size) !== 0n) return ctx.error(addrAt, `a ${size}-byte load at 0x${addr.toString(16)} is not naturally aligned`);
    if (!scope.inRegion(addr, size)) return ctx.error(addrAt, `0x${addr.toString(16)} is in no code or data region`);
    return push({ kind: 'wait', addr, size, value: BigInt.asUintN(size * 8, value), label: `wait until ${scalarText(addrAt)} holds ${scalarText(child(wait, 'value'))}` });
  }
  const free = child(item, 'free');
  if (free) {
    for (const st of freeSteps(ctx, free, scope)) push(st);
    return;
  }
  for (const kind of ['register', 'unregister'] as const) {
    const at = child(item, kind);
    if (!at) continue;
    const name = scalarText(at) ?? '';
    const handler = scope.traps.findIndex((t) => t.named && t.name === name);
    if (handler < 0) {
      const named = scope.traps.filter((t) => t.named).map((t) => t.name);
      const unnamed = scope.traps.some((t) => !t.named);
      const hint = closestHint(name, named) ?? (unnamed ? 'a handler is registered by its name: give it one with "name:" under traps' : undefined);
      return ctx.error(at, `no trap handler is named "${name}"`, hint);
    }
    return push({ kind, handler, label: `${kind === 'register' ? 'registers' : 'unregisters'} ${name}` });
  }
}

/**
 * `free: REGION` or `free: {at, size}`: the memory is reused. Modelled as the patching hart
 * overwriting it with a poison that traps when executed (zeros: c.unimp, an illegal
 * instruction), by ordinary naturally aligned stores, 8 bytes wherever the address allows:
 * a hart still running the old code, or fetching it late, can meet it.
 */
function freeSteps(ctx: Context, at: Located, scope: PatchScope): PatchStep[] {
  let base: bigint | undefined;
  let size: number;
  let what: string;
  const name = scalarText(at);
  if (name !== undefined) {
    const r = scope.region(name);
    if (!r) {
      ctx.error(at, `no code or data region is named "${name}"`, closestHint(name, scope.regionNames) ?? 'free: {at: ADDR, size: N} frees bytes by address');
      return [];
    }
    [base, size, what] = [r.base, r.size, name];
  } else {
    const addrAt = child(at, 'at');
    if (!addrAt) {
      ctx.error(at, 'free needs a region name or {at, size}');
      return [];
    }
    base = ctx.value(addrAt);
    const sizeAt = child(at, 'size');
    size = ctx.integer(sizeAt, 0);
    if (base === undefined) return [];
    if (!Number.isInteger(size) || size < 1) {
      ctx.error(sizeAt ?? at, 'free needs "size": how many bytes are reused (a positive integer)');
      return [];
    }
    if (!scope.inRegion(base, size)) {
      ctx.error(addrAt, `${size} bytes at 0x${base.toString(16)} are not inside one code or data region`);
      return [];
    }
    what = `${scalarText(addrAt)} (${size} bytes)`;
  }
  const end = base + BigInt(size);
  const out: PatchStep[] = [];
  for (let a = base; a < end; ) {
    let n = 8n;
    while (a % n !== 0n || a + n > end) n /= 2n;
    out.push({ kind: 'store', addr: a, size: Number(n) as 1 | 2 | 4 | 8, value: 0n, freed: what, label: '' });
    a += n;
  }
  const label = (k: number) => {
    if (out.length === 1) return `frees ${what} (poisoned)`;
    const st = out[k] as Extract<PatchStep, { kind: 'store' }>;
    const from = Number(st.addr - base!);
    return `frees ${what} (poisoned): bytes ${from}-${from + st.size - 1} of ${size}`;
  };
  return out.map((st, k) => ({ ...st, label: label(k) }));
}

/**
 * The patching harts: `patch:` (one, named by `patcher:`, default cpu0) or `patchers:`
 * (a list of {name, steps}); locks they share are numbered in the order first named.
 */
export function buildPatchers(ctx: Context, scope: PatchScope): PatcherSpec[] {
  const patchers: PatcherSpec[] = [];
  const one = ctx.get('patch');
  const many = ctx.get('patchers');
  if (one && many) ctx.error(many, 'a scenario has either "patch" (one patching hart) or "patchers" (several), not both');
  const lists: Array<{ name: string; at: Located | undefined }> = many
    ? seqItems(many).map((p) => ({ name: scalarText(child(p, 'name')) ?? '', at: child(p, 'steps') }))
    : one
      ? [{ name: scalarText(ctx.get('patcher')) ?? 'cpu0', at: one }]
      : [];
  if (lists.length > 3) ctx.error(many!, 'at most 3 patching harts');
  for (const l of lists) {
    if (scope.harts.some((h) => h.name === l.name) || patchers.some((p) => p.name === l.name)) ctx.error(many ?? one!, `two harts are named "${l.name}"`);
    const out = { steps: [] as PatchStep[], positions: [] as SourcePos[] };
    for (const item of l.at ? seqItems(l.at) : []) buildSteps(ctx, item, scope, out);
    patchers.push({ name: l.name, steps: out.steps, positions: out.positions });
  }
  return patchers;
}

const ACCESSES = /^(l[bhwd]u?|s[bhwd]|lr\.|sc\.|amo)/;
/** What kprobes simulates on RISC-V (arch/riscv/kernel/probes/simulate-insn.c) and more: register-only instructions. */
const REGISTER_ONLY = new Set(['lui', 'auipc', ...Object.keys(ALU_IMM), ...Object.keys(ALU_REG)]);
/** Control transfers a handler may emulate, last: where they send the hart is where it resumes. */
const TRANSFERS = new Set(['jal', 'jalr', ...Object.keys(BRANCH_TAKEN)]);

/**
 * What a handler emulates (`emulate: INSN` or a list): each instruction assembled where it
 * is emulated, the trapping pc and the pcs after it, so `auipc t0, %hi(X - func)` then
 * `jalr t0, %lo(X - func)(t0)` make the far call the pair at func would. Only instructions
 * whose effect is on registers and the pc can be emulated; a jump or branch ends the list.
 */
function emulated(ctx: Context, at: Located, pc: bigint): EmulatedInsn[] | undefined {
  const items: Located[] = isSeq(at.node) ? seqItems(at) : [at];
  if (items.length === 0) {
    ctx.error(at, '"emulate" lists no instruction');
    return undefined;
  }
  const out: EmulatedInsn[] = [];
  let ok = true;
  for (const [k, item] of items.entries()) {
    const text = scalarText(item) ?? '';
    const insn = instructionAt(ctx, text, item, pc);
    if (!insn) {
      ok = false;
      continue;
    }
    const op = decode(insn.bits).op;
    if (ACCESSES.test(op)) {
      ctx.error(item, `"${text}" loads or stores: a handler emulates only instructions without memory accesses`, 'kprobes single-steps such an instruction out of line instead, which patchlit does not model: probe the instruction next to it, or emulate what it computes');
      ok = false;
    } else if (TRANSFERS.has(op)) {
      if (k < items.length - 1) {
        ctx.error(item, `"${text}" transfers control: only the last instruction emulated may`, 'the hart resumes where it jumps; the instructions after it would never run');
        ok = false;
      }
    } else if (!REGISTER_ONLY.has(op)) {
      ctx.error(item, `"${text}" is not an instruction a handler can emulate`, 'emulate register-only instructions (lui, auipc, arithmetic) and, last, a jump or branch');
      ok = false;
    }
    out.push({ bits: insn.bits, length: insn.length, text });
    pc += BigInt(insn.length);
  }
  return ok ? out : undefined;
}

/**
 * Handlers of EBREAK and illegal-instruction traps, kprobes-style: `{on: ebreak, at: func,
 * emulate: ["auipc t0, ...", "jalr t0, ...(t0)"], resume: next, fence.i: false, name:
 * kprobe, registered: false}`. A handler with errors is still listed, so that the steps
 * that register it by name find it and add no errors of their own.
 */
export function buildTraps(ctx: Context): TrapHandler[] {
  const list = ctx.get('traps');
  const out: TrapHandler[] = [];
  for (const item of list ? seqItems(list) : []) {
    const cause = scalarText(child(item, 'on')) === 'illegal' ? 'illegal-instruction' : 'breakpoint';
    const atAt = child(item, 'at');
    const at = atAt ? ctx.value(atAt) : undefined;
    let emulate: TrapHandler['emulate'];
    const emulateAt = child(item, 'emulate');
    if (emulateAt && !(atAt && at === undefined)) {
      if (at === undefined) ctx.error(emulateAt, '"emulate" needs "at": the address the instruction is emulated at');
      else emulate = emulated(ctx, emulateAt, at);
    }
    const resumeAt = child(item, 'resume');
    let resume: bigint | undefined;
    if (resumeAt && scalarText(resumeAt) !== 'next') resume = ctx.value(resumeAt);
    const what = cause === 'breakpoint' ? 'EBREAK' : 'illegal instruction';
    const nameAt = child(item, 'name');
    const name = scalarText(nameAt);
    if (name !== undefined && out.some((t) => t.named && t.name === name)) ctx.error(nameAt!, `two trap handlers are named "${name}"`, 'register and unregister steps name the handler they mean');
    out.push({
      name: name ?? `${what} handler${atAt ? ` at ${scalarText(atAt)}` : ''}`,
      cause,
      ...(at !== undefined ? { at } : {}),
      ...(emulate ? { emulate } : {}),
      ...(resume !== undefined ? { resume } : {}),
      fenceI: scalarText(child(item, 'fence.i')) === 'true',
      registered: scalarText(child(item, 'registered')) !== 'false',
      named: name !== undefined,
    });
  }
  return out;
}
