// What a remote hart's own code stores into code, found before running: its code is
// followed from where the hart starts to where it idles, every register it sets from
// constants (`la`, `lla`, `li`, `lui`, `addi`, shifts ...) kept, what it loads unknown (other
// harts may have changed it), both ways taken at a branch that depends on something
// unknown. A store whose address is known and falls in a code region is one to check
// against the Ziccif safe harbour (lint.ts), with its value where that is known too.
// Statically, so that the warning is the same whatever the search explores, `patchlit
// check` gives it, and a store in a run the model rules out (an unkept promise, an
// unconfirmed speculation) never makes one.

import { ALU_IMM, ALU_REG, BRANCH_TAKEN, decode, instructionLength, upper } from '../isa/index.ts';
import type { Region, RemoteHartSpec, Stub } from './types.ts';

/** A store a hart's code makes into code (or, for `hartOrderings`, anywhere its address is known). */
export interface HartStore {
  /** The store instruction's address. */
  readonly pc: bigint;
  readonly addr: bigint;
  readonly size: 1 | 2 | 4 | 8;
  /** What it stores; undefined when that is not known before running (it was loaded, say). */
  readonly value: bigint | undefined;
}

/** Instructions followed per hart, all paths together: enough for any code a scenario holds, and an end to loops whose exit depends on memory. */
const MAX_STEPS = 20_000;

const M64 = (1n << 64n) - 1n;
const STORES: Record<string, 1 | 2 | 4 | 8> = { sb: 1, sh: 2, sw: 4, sd: 8, 'sc.w': 4, 'sc.d': 8, 'amoswap.w': 4, 'amoswap.d': 8 };
const LOADS = /^(l[bhwd]u?|lr\.[wd])$/;
/** Stores whose value is not rs2 as it stands (the AMOs that combine it with memory). */
const COMBINING = /^amo(?!swap)/;

type Regs = ReadonlyArray<bigint | undefined>;

/** What a path met that orders memory accesses, for the lints that follow ordering (lint-fence-i.ts). */
export type HartOrdering =
  /** A store; `addr` undefined where it is not known before running (computed from a load: a fixmap window). */
  | { readonly kind: 'store'; readonly pc: bigint; readonly addr: bigint | undefined; readonly size: 1 | 2 | 4 | 8; readonly value: bigint | undefined }
  | { readonly kind: 'fence'; readonly pc: bigint; readonly pred: number; readonly succ: number; readonly tso: boolean }
  | { readonly kind: 'fence.i'; readonly pc: bigint }
  /** A call of a stub (a kernel service, or any routine, which orders nothing here), made by the jump at `pc`. */
  | { readonly kind: 'call'; readonly pc: bigint; readonly stub: Stub };

/**
 * What a walk folds along each path: a state that starts as `initial`, `next` for each
 * ordering event, and a key of it (paths reaching one pc with the same registers and key
 * are the same path from there: that ends loops).
 */
interface Fold<T> {
  readonly initial: T;
  next(t: T, e: HartOrdering, storesIntoCode: boolean): T;
  key(t: T): string;
}

interface Path<T> {
  readonly pc: bigint;
  readonly regs: Regs;
  readonly state: T;
  /** The instruction that led here (the jump, where pc is a stub). */
  readonly from: bigint;
}

/** Follows every path of the hart's code from its start to its idle point, folding each; the states the paths end in. */
function walkHart<T>(hart: RemoteHartSpec, regions: readonly Region[], stubs: readonly Stub[], fold: Fold<T>): T[] {
  const code = regions.filter((r) => r.kind === 'code');
  const regionAt = (addr: bigint) => code.find((r) => addr >= r.base && addr < r.base + BigInt(r.bytes.length));
  const inCode = (addr: bigint) => regionAt(addr) !== undefined;
  const regs: Array<bigint | undefined> = new Array<bigint | undefined>(32).fill(0n);
  for (const [r, v] of hart.regs ?? []) if (r !== 0) regs[r] = v;

  const ends: T[] = [];
  const seen = new Set<string>();
  const stack: Array<Path<T>> = [{ pc: hart.start, regs, state: fold.initial, from: hart.start }];
  let steps = 0;
  while (stack.length) {
    let p: Path<T> | undefined = stack.pop()!;
    while (p) {
      const key = `${p.pc}|${p.regs.join(',')}|${fold.key(p.state)}`;
      if (steps++ >= MAX_STEPS || seen.has(key) || p.pc === hart.idleAt) {
        ends.push(p.state);
        break;
      }
      seen.add(key);
      const next: Array<Path<T>> = step(p, regionAt, stubs, (t: T, e: HartOrdering) => fold.next(t, e, e.kind === 'store' && e.addr !== undefined && inCode(e.addr)));
      if (next.length === 0) ends.push(p.state);
      stack.push(...next.slice(1)); // the first path goes on, the others wait
      p = next[0];
    }
  }
  return ends;
}

/**
 * The stores into code on each path through the hart's code, in program order (a path's
 * stores are checked against the code as its own earlier ones left it). Paths that store
 * the same sequence are given once.
 */
export function hartCodeStores(hart: RemoteHartSpec, regions: readonly Region[], stubs: readonly Stub[]): HartStore[][] {
  const ends = walkHart<readonly HartStore[]>(hart, regions, stubs, {
    initial: [],
    next: (t, e, intoCode) => (e.kind === 'store' && intoCode ? [...t, { pc: e.pc, addr: e.addr!, size: e.size, value: e.value }] : t),
    key: storesKey,
  });
  const found = new Map<string, HartStore[]>();
  for (const stores of ends) if (stores.length) found.set(storesKey(stores), [...stores]);
  return [...found.values()];
}

/**
 * Any fold over the ordering events of the hart's code, path by path: the lints that
 * follow how a hart's stores are ordered before what it does next use this.
 */
export function foldHartOrderings<T>(hart: RemoteHartSpec, regions: readonly Region[], stubs: readonly Stub[], initial: T, next: (t: T, e: HartOrdering) => T, key: (t: T) => string): T[] {
  return walkHart(hart, regions, stubs, { initial, next: (t, e) => next(t, e), key });
}

function storesKey(stores: readonly HartStore[]): string {
  return stores.map((s) => `${s.pc}:${s.addr}:${s.size}:${s.value ?? '?'}`).join(';');
}

/** Where a path goes from its pc: one path, two at an unknown branch, none where it ends (a trap, a jump to somewhere unknown). */
function step<T>(p: Path<T>, regionAt: (addr: bigint) => Region | undefined, stubs: readonly Stub[], fold: (t: T, e: HartOrdering) => T): Path<T>[] {
  const stub = stubs.find((s) => s.addr === p.pc);
  if (stub) {
    const back = p.regs[stub.returnReg];
    return back === undefined ? [] : [{ ...p, pc: back, from: p.pc, state: fold(p.state, { kind: 'call', pc: p.from, stub }) }];
  }
  const region = regionAt(p.pc);
  if (!region) return [];
  const off = Number(p.pc - region.base);
  const at = (k: number) => region.bytes[off + k] ?? 0;
  const parcel = at(0) | (at(1) << 8);
  const length = instructionLength(parcel) === 2 ? 2 : 4;
  const d = decode(length === 2 ? parcel : (parcel | (at(2) << 16) | (at(3) << 24)) >>> 0);
  const pc = p.pc;
  const after = pc + BigInt(d.length);
  const rs1 = p.regs[d.rs1];
  const rs2 = p.regs[d.rs2];
  const regs = p.regs.slice();
  const set = (v: bigint | undefined) => {
    if (d.rd !== 0) regs[d.rd] = v === undefined ? undefined : v & M64;
  };
  const go = (to: bigint, state = p.state): Path<T> => ({ pc: to, regs, state, from: pc });

  const size = STORES[d.op];
  if (size !== undefined) {
    const offset = d.op.startsWith('s') && !d.op.startsWith('sc') ? BigInt(d.imm) : 0n;
    const addr = rs1 === undefined ? undefined : (rs1 + offset) & M64;
    const value = rs2 === undefined ? undefined : BigInt.asUintN(size * 8, rs2);
    const state = fold(p.state, { kind: 'store', pc, addr, size, value });
    if (d.op.startsWith('sc') || d.op.startsWith('amo')) set(undefined); // SC's success, the AMO's old value: memory decides
    return [go(after, state)];
  }
  if (COMBINING.test(d.op) || LOADS.test(d.op)) {
    set(undefined);
    return [go(after)];
  }
  if (d.op === 'lui' || d.op === 'auipc') {
    set((d.op === 'auipc' ? pc : 0n) + upper(d.imm));
    return [go(after)];
  }
  if (d.op in ALU_IMM) {
    set(rs1 === undefined ? undefined : ALU_IMM[d.op](rs1, BigInt(d.imm)));
    return [go(after)];
  }
  if (d.op in ALU_REG) {
    set(rs1 === undefined || rs2 === undefined ? undefined : ALU_REG[d.op](rs1, rs2));
    return [go(after)];
  }
  if (d.op === 'jal' || d.op === 'jalr') {
    const to = d.op === 'jal' ? pc + BigInt(d.imm) : rs1 === undefined ? undefined : (rs1 + BigInt(d.imm)) & ~1n;
    set(after);
    return to === undefined ? [] : [go(to & M64)];
  }
  if (d.op in BRANCH_TAKEN) {
    const taken = go((pc + BigInt(d.imm)) & M64);
    const fallThrough = go(after);
    if (rs1 === undefined || rs2 === undefined) return [fallThrough, taken];
    return [BRANCH_TAKEN[d.op](rs1, rs2) ? taken : fallThrough];
  }
  if (d.op === 'fence') return [go(after, fold(p.state, { kind: 'fence', pc, pred: d.pred, succ: d.succ, tso: d.fm === 8 }))];
  if (d.op === 'fence.i') return [go(after, fold(p.state, { kind: 'fence.i', pc }))];
  return []; // a trap (ECALL, EBREAK, an illegal or unmodelled instruction): the path ends here
}
