// Memory: every region's bytes as 32-bit words laid end to end in one array, so that a
// machine state holds memory as a single Uint32Array shared until a store copies it.
// Words, not bytes, because Ziccif's fetch pieces are aligned 4-byte words on RV64.

import type { Region } from './types.ts';

interface Placed {
  readonly region: Region;
  /** Address of the region's first word (base rounded down to 4). */
  readonly first: bigint;
  /** One past the region's last byte, rounded up to 4. */
  readonly end: bigint;
  /** Index of the region's first word in the memory array. */
  readonly wordBase: number;
}

export interface WordChange {
  readonly index: number;
  readonly old: number;
  readonly now: number;
}

export class MemoryLayout {
  private readonly placed: Placed[] = [];
  readonly wordCount: number;
  private readonly initial: Uint32Array;

  constructor(regions: readonly Region[]) {
    let words = 0;
    for (const region of [...regions].sort((a, b) => (a.base < b.base ? -1 : 1))) {
      const first = region.base & ~3n;
      const end = (region.base + BigInt(region.bytes.length) + 3n) & ~3n;
      const prev = this.placed[this.placed.length - 1];
      if (prev && first < prev.end) throw new Error(`regions ${prev.region.name} and ${region.name} overlap`);
      this.placed.push({ region, first, end, wordBase: words });
      words += Number((end - first) / 4n);
    }
    this.wordCount = words;
    this.initial = new Uint32Array(words);
    for (const p of this.placed) {
      const bytes = p.region.bytes;
      const skew = Number(p.region.base - p.first);
      for (let i = 0; i < bytes.length; i++) {
        const at = skew + i;
        const w = p.wordBase + (at >> 2);
        this.initial[w] = (this.initial[w] | (bytes[i] << (8 * (at & 3)))) >>> 0;
      }
    }
  }

  initialWords(): Uint32Array {
    return this.initial.slice();
  }

  /** The region holding `addr`, and where. */
  locate(addr: bigint): { placed: Placed; index: number } | undefined {
    for (const p of this.placed) {
      if (addr >= p.first && addr < p.end) return { placed: p, index: p.wordBase + Number((addr - p.first) >> 2n) };
    }
    return undefined;
  }

  regionAt(addr: bigint): Region | undefined {
    const r = this.locate(addr)?.placed.region;
    if (!r) return undefined;
    return addr >= r.base && addr < r.base + BigInt(r.bytes.length) ? r : undefined;
  }

  isCode(addr: bigint): boolean {
    return this.regionAt(addr)?.kind === 'code';
  }

  /** Little-endian read of `size` bytes at `addr` (any alignment, within one region). */
  read(mem: Uint32Array, addr: bigint, size: number): bigint | undefined {
    const loc = this.locate(addr);
    if (!loc || this.locate(addr + BigInt(size - 1))?.placed !== loc.placed) return undefined;
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) {
      const at = Number(addr - loc.placed.first) + i;
      const byte = (mem[loc.placed.wordBase + (at >> 2)] >>> (8 * (at & 3))) & 0xff;
      v = (v << 8n) | BigInt(byte);
    }
    return v;
  }

  /** Writes into `mem` (the caller's copy) and says which words changed. */
  write(mem: Uint32Array, addr: bigint, size: number, value: bigint): WordChange[] | undefined {
    const loc = this.locate(addr);
    if (!loc || this.locate(addr + BigInt(size - 1))?.placed !== loc.placed) return undefined;
    const before = new Map<number, number>();
    for (let i = 0; i < size; i++) {
      const at = Number(addr - loc.placed.first) + i;
      const index = loc.placed.wordBase + (at >> 2);
      if (!before.has(index)) before.set(index, mem[index]);
      const shift = 8 * (at & 3);
      const byte = Number((value >> BigInt(8 * i)) & 0xffn);
      mem[index] = ((mem[index] & ~(0xff << shift)) | (byte << shift)) >>> 0;
    }
    const changes: WordChange[] = [];
    for (const [index, old] of before) if (mem[index] !== old) changes.push({ index, old, now: mem[index] });
    return changes;
  }
}
