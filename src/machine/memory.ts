// Where memory is: every region's bytes laid end to end in one byte space, so that the
// timeline (timeline.ts) can name a byte by a small number. Addresses stay bigints outside
// (kernel text lives above 2^63); inside the machine a byte is its offset.

import type { Region } from './types.ts';

interface Placed {
  readonly region: Region;
  readonly base: bigint;
  readonly end: bigint;
  /** Offset of the region's first byte. */
  readonly first: number;
}

export class MemoryLayout {
  private readonly placed: Placed[] = [];
  /** Bytes in all. */
  readonly size: number;
  /** Every byte's initial value, by offset. */
  readonly initial: Uint8Array;

  /**
   * `line`: the largest aligned block a read takes at once (a fetch piece: up to a
   * `line 4096`). Offsets keep each address's place in its aligned block (at least 64
   * bytes), and two regions share a block of offsets only when they share a block of
   * addresses: a piece read by its offset then holds exactly the bytes it holds by
   * address, and the bytes past the last region, to the end of its block, are there
   * (zero) for a piece that covers them.
   */
  constructor(regions: readonly Region[], line = 64) {
    const block = Math.max(64, line);
    const blockOf = (addr: bigint) => addr / BigInt(block);
    let size = 0;
    for (const region of [...regions].sort((a, b) => (a.base < b.base ? -1 : 1))) {
      const end = region.base + BigInt(region.bytes.length);
      const prev = this.placed[this.placed.length - 1];
      if (prev && region.base < prev.end) throw new Error(`regions ${prev.region.name} and ${region.name} overlap`);
      if (prev && blockOf(region.base) !== blockOf(prev.end - 1n)) size = roundUp(size, block);
      size += Number(region.base % BigInt(block)) - (size % block);
      this.placed.push({ region, base: region.base, end, first: size });
      size += region.bytes.length;
    }
    this.size = roundUp(size, block);
    this.initial = new Uint8Array(this.size);
    for (const p of this.placed) this.initial.set(p.region.bytes, p.first);
  }

  private find(addr: bigint): Placed | undefined {
    for (const p of this.placed) if (addr >= p.base && addr < p.end) return p;
    return undefined;
  }

  /** The offset of `size` bytes at `addr`, when they lie in one region. */
  offset(addr: bigint, size: number): number | undefined {
    const p = this.find(addr);
    if (!p || addr + BigInt(size) > p.end) return undefined;
    return p.first + Number(addr - p.base);
  }

  addressOf(offset: number): bigint {
    for (const p of this.placed) if (offset >= p.first && offset < p.first + p.region.bytes.length) return p.base + BigInt(offset - p.first);
    throw new Error(`no byte at offset ${offset}`);
  }

  regionAt(addr: bigint): Region | undefined {
    return this.find(addr)?.region;
  }

  isCode(addr: bigint): boolean {
    return this.find(addr)?.region.kind === 'code';
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
