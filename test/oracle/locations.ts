// Memory locations of the axiomatic oracle: each is an aligned address with one fixed
// access size. Code is cut into 4-byte words (what a fetch reads); a data location is
// sized by the first access that touches it. Accesses that overlap a location without
// matching it exactly (mixed sizes) are outside what the oracle models.

import type { Region } from '../../src/scenario/types.ts';

export class Unsupported extends Error {
  constructor(message: string) {
    super(`unsupported: ${message}`);
  }
}

export interface Loc {
  readonly id: number;
  readonly addr: bigint;
  readonly size: number;
  readonly code: boolean;
  /** Little-endian value of the bytes the regions give it initially. */
  readonly init: bigint;
}

export class Locations {
  readonly all: Loc[] = [];
  private readonly byAddr = new Map<bigint, Loc>();

  constructor(private readonly regions: readonly Region[]) {}

  /** The region holding all of [addr, addr + size), if one does. */
  regionOf(addr: bigint, size: number): Region | undefined {
    return this.regions.find((r) => addr >= r.base && addr + BigInt(size) <= r.base + BigInt(r.bytes.length));
  }

  isCode(addr: bigint): boolean {
    return this.regionOf(addr, 1)?.kind === 'code';
  }

  /** Initial little-endian value of bytes [addr, addr + size), all inside one region. */
  private initial(r: Region, addr: bigint, size: number): bigint {
    const off = Number(addr - r.base);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.bytes[off + i]);
    return v;
  }

  /**
   * The location an access of `size` bytes at `addr` touches; undefined when the bytes
   * are not all mapped (the access faults). Throws Unsupported on a partial overlap.
   */
  get(addr: bigint, size: number): Loc | undefined {
    const known = this.byAddr.get(addr);
    if (known && known.size === size) return known;
    const r = this.regionOf(addr, size);
    if (!r) return undefined;
    if (addr % BigInt(size) !== 0n) throw new Unsupported(`misaligned ${size}-byte access at 0x${addr.toString(16)}`);
    if (r.kind === 'code' && size !== 4) throw new Unsupported(`${size}-byte access to code at 0x${addr.toString(16)}`);
    const end = addr + BigInt(size);
    for (const l of this.all) {
      if (l.addr < end && addr < l.addr + BigInt(l.size)) {
        throw new Unsupported(`access of ${size} bytes at 0x${addr.toString(16)} overlaps a ${l.size}-byte location at 0x${l.addr.toString(16)}`);
      }
    }
    const loc: Loc = { id: this.all.length, addr, size, code: r.kind === 'code', init: this.initial(r, addr, size) };
    this.all.push(loc);
    this.byAddr.set(addr, loc);
    return loc;
  }

  /** Final memory as bytes: the regions' initial bytes with the given location values laid over. */
  reader(values: ReadonlyMap<number, bigint>): (addr: bigint, size: number) => bigint {
    const overlay = new Map<bigint, number>();
    for (const [id, v] of values) {
      const l = this.all[id];
      for (let i = 0; i < l.size; i++) overlay.set(l.addr + BigInt(i), Number((v >> BigInt(8 * i)) & 0xffn));
    }
    return (addr, size) => {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) {
        const a = addr + BigInt(i);
        let b = overlay.get(a);
        if (b === undefined) {
          const r = this.regionOf(a, 1);
          b = r ? r.bytes[Number(a - r.base)] : 0;
        }
        v = (v << 8n) | BigInt(b);
      }
      return v;
    };
  }
}
