// The patching hart's steps, the stubs, the trap handlers, and the named instructions
// they use (the trap-return fixups are in fixups.ts). Instructions are assembled where
// they are stored, so `j .+8` and `%lo(new_tramp - func)` mean what they mean at that
// address.

import { decode, registerNumber } from '../isa/index.ts';
import { child, closestHint, scalarText, seqItems, stringList, type Context, type Located } from './context.ts';
import type { InsnRef, PatchStep, PatcherSpec, RemoteHartSpec, SourcePos, Stub, TrapHandler } from './types.ts';

const FENCE_BITS: Record<string, number> = { i: 8, o: 4, r: 2, w: 1 };

export function fenceSet(letters: string): number {
  let set = 0;
  for (const ch of letters) set |= FENCE_BITS[ch] ?? 0;
  return set;
}

export function buildStubs(ctx: Context, regionAt: (addr: bigint) => string | undefined): Stub[] {
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
    out.push({ name: e.key, addr, returnReg });
  }
  return out;
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
  return { text, bits: insns[0].bits!, length: insns[0].size as 2 | 4 };
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
    step = { kind: 'store', addr, size: insn.length, value: BigInt(insn.bits), label: `store ${insn.text} at ${where}` };
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

/** What the steps of every patching hart share: the remote harts they target, the locks they name. */
interface StepScope {
  readonly harts: readonly RemoteHartSpec[];
  readonly inRegion: (addr: bigint, size: number) => boolean;
  readonly locks: string[];
}

/** One patch step as written (a nested stop_machine gives several). */
function buildSteps(ctx: Context, item: Located, scope: StepScope, out: { steps: PatchStep[]; positions: SourcePos[] }): void {
  const pos = item.src.of(item.node);
  const push = (step: PatchStep | undefined, at: SourcePos = pos) => {
    if (!step) return;
    out.steps.push(step);
    out.positions.push(at);
  };
  const text = scalarText(item);
  if (text !== undefined) {
    const fence = /^fence(?:\s+([iorw]+)\s*,\s*([iorw]+))?$/.exec(text);
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
  const ipi = child(item, 'ipi');
  if (ipi) {
    const targets = hartIndices(ctx, child(ipi, 'targets'), scope.harts);
    const sync = scalarText(child(ipi, 'sync')) !== 'false';
    const handler = scalarText(child(ipi, 'handler')) === 'bare' ? 'bare' : 'request';
    const who = stringList(child(ipi, 'targets')).map((t) => t.text).join(', ') || 'all';
    if (targets.length === 0) ctx.error(ipi, 'this IPI has no target: the scenario has no remote hart');
    return push({ kind: 'ipi', targets, action: 'fence.i', sync, handler, label: `${sync ? 'synchronous' : 'asynchronous'} remote fence.i by IPI (${who}${handler === 'bare' ? '; bare handler' : ''})` });
  }
  const sbi = child(item, 'sbi');
  if (sbi) {
    const targets = hartIndices(ctx, child(sbi, 'targets'), scope.harts);
    const completion = scalarText(child(sbi, 'completion')) === 'completed' ? 'completed' : 'sent';
    const ordered = scalarText(child(sbi, 'ordered')) === 'true';
    const who = stringList(child(sbi, 'targets')).map((t) => t.text).join(', ') || 'all';
    if (targets.length === 0) ctx.error(sbi, 'this SBI call has no target: the scenario has no remote hart');
    return push({ kind: 'sbi', targets, completion, ordered, label: `SBI remote fence.i (${who}; returns when ${completion}${ordered ? '; orders earlier stores' : ''})` });
  }
  const stop = child(item, 'stop_machine');
  if (stop) {
    push({ kind: 'stop', label: 'stop_machine: every other hart parks' });
    for (const inner of seqItems(stop)) {
      if (child(inner, 'stop_machine')) ctx.error(inner, 'stop_machine does not nest');
      else buildSteps(ctx, inner, scope, out);
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
  for (const kind of ['lock', 'unlock'] as const) {
    const at = child(item, kind);
    if (!at) continue;
    const name = scalarText(at) ?? '';
    let lock = scope.locks.indexOf(name);
    if (lock < 0) lock = scope.locks.push(name) - 1;
    return push({ kind, lock, label: `${kind} ${name}` });
  }
}

/**
 * The patching harts: `patch:` (one, named by `patcher:`, default cpu0) or `patchers:`
 * (a list of {name, steps}); locks they share are numbered in the order first named.
 */
export function buildPatchers(ctx: Context, harts: readonly RemoteHartSpec[], inRegion: (addr: bigint, size: number) => boolean): { patchers: PatcherSpec[]; locks: string[] } {
  const scope: StepScope = { harts, inRegion, locks: [] };
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
    if (harts.some((h) => h.name === l.name) || patchers.some((p) => p.name === l.name)) ctx.error(many ?? one!, `two harts are named "${l.name}"`);
    const out = { steps: [] as PatchStep[], positions: [] as SourcePos[] };
    for (const item of l.at ? seqItems(l.at) : []) buildSteps(ctx, item, scope, out);
    patchers.push({ name: l.name, steps: out.steps, positions: out.positions });
  }
  return { patchers, locks: scope.locks };
}

const ACCESSES = /^(l[bhwd]u?|s[bhwd]|lr\.|sc\.|amo)/;

/**
 * Handlers of EBREAK and illegal-instruction traps, kprobes-style: `{on: ebreak, at: func,
 * emulate: "auipc t0, ...", resume: next, fence.i: false}`.
 */
export function buildTraps(ctx: Context): TrapHandler[] {
  const list = ctx.get('traps');
  const out: TrapHandler[] = [];
  for (const item of list ? seqItems(list) : []) {
    const cause = scalarText(child(item, 'on')) === 'illegal' ? 'illegal-instruction' : 'breakpoint';
    const atAt = child(item, 'at');
    const at = atAt ? ctx.value(atAt) : undefined;
    if (atAt && at === undefined) continue;
    let emulate: TrapHandler['emulate'];
    const emulateAt = child(item, 'emulate');
    if (emulateAt) {
      if (at === undefined) {
        ctx.error(emulateAt, '"emulate" needs "at": the address the instruction is emulated at');
        continue;
      }
      const text = scalarText(emulateAt) ?? '';
      const insn = instructionAt(ctx, text, emulateAt, at);
      if (!insn) continue;
      if (ACCESSES.test(decode(insn.bits).op)) {
        ctx.error(emulateAt, `"${text}" loads or stores: a handler emulates only instructions without memory accesses`);
        continue;
      }
      emulate = { bits: insn.bits, length: insn.length, text };
    }
    const resumeAt = child(item, 'resume');
    let resume: bigint | undefined;
    if (resumeAt && scalarText(resumeAt) !== 'next') {
      resume = ctx.value(resumeAt);
      if (resume === undefined) continue;
    }
    const what = cause === 'breakpoint' ? 'EBREAK' : 'illegal instruction';
    out.push({
      name: scalarText(child(item, 'name')) ?? `${what} handler${atAt ? ` at ${scalarText(atAt)}` : ''}`,
      cause,
      ...(at !== undefined ? { at } : {}),
      ...(emulate ? { emulate } : {}),
      ...(resume !== undefined ? { resume } : {}),
      fenceI: scalarText(child(item, 'fence.i')) === 'true',
    });
  }
  return out;
}
