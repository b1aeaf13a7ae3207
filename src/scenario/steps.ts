// The patching hart's steps, the stubs, the trap-return fixups, and the named
// instructions they use. Instructions are assembled where they are stored, so `j .+8`
// and `%lo(new_tramp - func)` mean what they mean at that address.

import { compilePattern, registerNumber } from '../isa/index.ts';
import { child, closestHint, scalarText, seqItems, stringList, type Context, type Located } from './context.ts';
import type { InsnRef, PatchStep, PatcherSpec, RemoteHartSpec, SourcePos, Stub, TrapReturnFixup } from './types.ts';

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

export function buildPatcher(
  ctx: Context,
  harts: readonly RemoteHartSpec[],
  inRegion: (addr: bigint, size: number) => boolean,
): PatcherSpec {
  const name = scalarText(ctx.get('patcher')) ?? 'cpu0';
  const steps: PatchStep[] = [];
  const positions: SourcePos[] = [];
  const patch = ctx.get('patch');
  for (const item of patch ? seqItems(patch) : []) {
    const text = scalarText(item);
    let step: PatchStep | undefined;
    if (text !== undefined) {
      const fence = /^fence(?:\s+([iorw]+)\s*,\s*([iorw]+))?$/.exec(text);
      if (text === 'fence.i') step = { kind: 'fence.i', label: 'fence.i' };
      else if (fence) step = { kind: 'fence', pred: fenceSet(fence[1] ?? 'iorw'), succ: fenceSet(fence[2] ?? 'iorw'), label: text };
    } else if (child(item, 'store')) {
      step = storeStep(ctx, child(item, 'store')!, inRegion);
    } else if (child(item, 'fence')) {
      const [pred, succ] = (scalarText(child(item, 'fence')) ?? '').split(',').map((s) => s.trim());
      step = { kind: 'fence', pred: fenceSet(pred), succ: fenceSet(succ), label: `fence ${pred},${succ}` };
    } else if (child(item, 'ipi')) {
      const ipi = child(item, 'ipi')!;
      const targets = hartIndices(ctx, child(ipi, 'targets'), harts);
      const sync = scalarText(child(ipi, 'sync')) !== 'false';
      const who = stringList(child(ipi, 'targets')).map((t) => t.text).join(', ') || 'all';
      step = { kind: 'ipi', targets, action: 'fence.i', sync, label: `${sync ? 'synchronous' : 'asynchronous'} remote fence.i (${who})` };
      if (targets.length === 0) ctx.error(ipi, 'this IPI has no target: the scenario has no remote hart');
    }
    if (step) {
      steps.push(step);
      positions.push(item.src.of(item.node));
    }
  }
  return { name, steps, positions };
}

export function buildFixups(ctx: Context): TrapReturnFixup[] {
  const list = ctx.get('trap-return');
  const out: TrapReturnFixup[] = [];
  for (const item of list ? seqItems(list) : []) {
    const whenAt = child(item, 'when')!;
    const when = scalarText(whenAt) ?? '';
    const pattern = compilePattern(when);
    if ('error' in pattern) {
      ctx.error(item.src.inScalar(whenAt.node, 1, pattern.col), pattern.error);
      continue;
    }
    const resume = /^sepc(?:\s*([-+])\s*(\d+))?$/.exec(scalarText(child(item, 'resume')) ?? 'sepc')!;
    const adjust = resume[2] ? BigInt(resume[2]) * (resume[1] === '-' ? -1n : 1n) : 0n;
    out.push({ name: scalarText(child(item, 'name')) ?? when, mask: pattern.mask, match: pattern.match, adjust });
  }
  return out;
}
