// Where a scenario's code, data and stubs go in the machine's RAM. Every address of a
// cluster (pieces within 2 GiB of each other) moves by the same amount, so its relative
// layout is kept and every PC-relative encoding (AUIPC, JAL, JALR, branches) stays what it
// was, byte for byte: a kernel address like 0xffffffff8001f840 runs at 0x81xxxxxx (on
// QEMU's virt machine, whose RAM starts at 0x80000000) with the same low 21 bits. A board's RAM starts elsewhere
// (0x40000000 on a JH7110, 0 on an SG2042): the RAM base moves everything with it.

import type { Scenario } from '../scenario/types.ts';
import type { Cluster, Placement } from './types.ts';

/** RAM of QEMU's virt machine starts here. */
export const QEMU_RAM_BASE = 0x8000_0000n;
/** The firmware (if any) and the runtime (code, stacks, tables) take the first 16 MiB of RAM; the scenario's pieces come after. */
export const RUNTIME_BYTES = 16n << 20n;
/** A cluster spans at most this much, and so do all of them once moved (QEMU allocates RAM lazily; it needs its device tree below 3 GiB). */
export const MAX_SPAN = 2n << 30n;
/** RAM left above the scenario's pieces: QEMU puts the device tree at the end of RAM (below 3 GiB). */
const HEADROOM_MIB = 16;
const MASK64 = (1n << 64n) - 1n;
const LOW_BITS = (1n << 21n) - 1n;
const PAGE_BITS = 0xfffn;
const MIB = 1n << 20n;

/** The bytes the machine writes at scenario addresses: regions, stubs and idle points (a 2-byte breakpoint each). */
export function pieces(s: Scenario): Array<{ start: bigint; end: bigint }> {
  const sys = s.system;
  return [
    ...sys.regions.map((r) => ({ start: r.base, end: r.base + BigInt(r.bytes.length) })),
    ...sys.stubs.map((x) => ({ start: x.addr, end: x.addr + 2n })),
    ...sys.harts.map((h) => ({ start: h.idleAt, end: h.idleAt + 2n })),
  ];
}

/**
 * The pieces in clusters: a new one where the next piece starts more than 2 GiB past the
 * last, which no PC-relative encoding reaches (a kernel's text and a module's data far
 * below it reference each other through pointers, which move with what they point to).
 */
function clustersOf(ps: ReadonlyArray<{ start: bigint; end: bigint }>): Array<{ min: bigint; max: bigint }> {
  const sorted = [...ps].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Array<{ min: bigint; max: bigint }> = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.start - last.max <= MAX_SPAN) last.max = p.end > last.max ? p.end : last.max;
    else out.push({ min: p.start, max: p.end });
  }
  return out;
}

/**
 * The placement in RAM from `ramBase`, or why there is none: the clusters one after the
 * other above the runtime, each moved by one amount that keeps its low 21 bits.
 */
export function place(s: Scenario, ramBase = QEMU_RAM_BASE): Placement | string {
  const ps = pieces(s);
  if (!ps.length) return 'a scenario with no code';
  const imageBase = ramBase + RUNTIME_BYTES;
  const clusters: Cluster[] = [];
  let top = imageBase;
  // Symbols that name no piece (an ops structure the code only points to) widen the
  // clusters too, so that a pointer to one is moved, and moved back when printed.
  const symbols = [...s.symbols.values()].map((a) => ({ start: a, end: a }));
  for (const { min, max } of clustersOf([...ps, ...symbols])) {
    if (max - min > MAX_SPAN) return `code, data and stubs spread over more than ${MAX_SPAN >> 30n} GiB (0x${min.toString(16)}..0x${max.toString(16)})`;
    const start = ((top + LOW_BITS) & ~LOW_BITS) + (min & LOW_BITS);
    // Values from the page of the cluster's first piece to the end of its last are
    // addresses (a page's base below the first piece too); each lands above the last cluster.
    clusters.push({ low: min & ~PAGE_BITS, high: max, delta: (start - min) & MASK64 });
    top = start + (max - min);
  }
  if (top - imageBase > MAX_SPAN) return `code, data and stubs that need more than ${MAX_SPAN >> 30n} GiB of RAM once moved`;
  return { clusters, ramBase, imageBase, memoryMiB: Number((top - ramBase + MIB - 1n) / MIB) + HEADROOM_MIB };
}

/** The cluster a scenario address lies in, or the first (an address among none of them). */
function clusterOf(p: Placement, addr: bigint): Cluster {
  return p.clusters.find((c) => addr >= c.low && addr <= c.high) ?? p.clusters[0];
}

/** A scenario address where the machine has it. */
export function moved(p: Placement, addr: bigint): bigint {
  return (addr + clusterOf(p, addr).delta) & MASK64;
}

/**
 * A 64-bit value as the machine needs it: one that is the address of a scenario symbol, or
 * lies in a cluster of its pieces (a page's base, a pointer into a table), is a pointer,
 * and moves with the code it points to. The runtime moves a value back the same way
 * (runtime.c unmoved) before it prints it.
 */
export function movedValue(p: Placement, s: Scenario, value: bigint): bigint {
  // A litmus test's instr:"..." is an encoding, whatever its value.
  if (s.litmus?.valueNames.get(value)?.startsWith('instr:')) return value;
  if (p.clusters.some((c) => value >= c.low && value <= c.high)) return moved(p, value);
  for (const addr of s.symbols.values()) if (addr === value) return moved(p, value);
  return value;
}
