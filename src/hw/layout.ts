// Where a scenario's code, data and stubs go in the machine's RAM. Every address moves by
// the same amount, so the scenario's relative layout is kept and every PC-relative
// encoding (AUIPC, JAL, JALR, branches) stays what it was, byte for byte: a kernel
// address like 0xffffffff8001f840 runs at 0x81xxxxxx (on QEMU's virt machine, whose RAM
// starts at 0x80000000) with the same low 21 bits. A board's RAM starts elsewhere
// (0x40000000 on a JH7110, 0 on an SG2042): the RAM base moves everything with it.

import type { Scenario } from '../scenario/types.ts';
import type { Placement } from './types.ts';

/** RAM of QEMU's virt machine starts here. */
export const QEMU_RAM_BASE = 0x8000_0000n;
/** The firmware (if any) and the runtime (code, stacks, tables) take the first 16 MiB of RAM; the scenario's pieces come after. */
export const RUNTIME_BYTES = 16n << 20n;
/** The scenario's pieces are kept in a span of at most this much (QEMU allocates RAM lazily; it needs its device tree below 3 GiB). */
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

/** The placement in RAM from `ramBase`, or why there is none: a layout that spans more RAM than emit uses. */
export function place(s: Scenario, ramBase = QEMU_RAM_BASE): Placement | string {
  const ps = pieces(s);
  if (!ps.length) return 'a scenario with no code';
  const min = ps.reduce((m, p) => (p.start < m ? p.start : m), ps[0].start);
  const max = ps.reduce((m, p) => (p.end > m ? p.end : m), ps[0].end);
  if (max - min > MAX_SPAN) return `code, data and stubs spread over more than ${MAX_SPAN >> 30n} GiB (0x${min.toString(16)}..0x${max.toString(16)})`;
  const imageBase = ramBase + RUNTIME_BYTES;
  const start = imageBase + (min & LOW_BITS);
  const delta = (start - min) & MASK64;
  const top = start + (max - min);
  // Values from the page of the first piece to the end of the last are addresses (a page's
  // base below the first piece too); each lands in RAM above the runtime.
  return { delta, ramBase, imageBase, low: min & ~PAGE_BITS, high: max, memoryMiB: Number((top - ramBase + MIB - 1n) / MIB) + HEADROOM_MIB };
}

/** A scenario address where the machine has it. */
export function moved(p: Placement, addr: bigint): bigint {
  return (addr + p.delta) & MASK64;
}

/**
 * A 64-bit value as the machine needs it: one that is the address of a scenario symbol, or
 * lies among the scenario's pieces (a page's base, a pointer into a table), is a pointer,
 * and moves with the code it points to. The runtime moves a value back the same way
 * (runtime.c unmoved) before it prints it.
 */
export function movedValue(p: Placement, s: Scenario, value: bigint): bigint {
  // A litmus test's instr:"..." is an encoding, whatever its value.
  if (s.litmus?.valueNames.get(value)?.startsWith('instr:')) return value;
  if (value >= p.low && value <= p.high) return moved(p, value);
  for (const addr of s.symbols.values()) if (addr === value) return moved(p, value);
  return value;
}
