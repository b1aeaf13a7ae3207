// The Ziccif note's safe harbour for modifying code that other harts may be executing
// without FENCE.I (src/ziccif.adoc, "The instruction-fetch atomicity rule supports
// concurrent code modification"): every patch step that stores into code is checked against
// its rules, and each violation becomes a warning naming the rule, whatever the verdict.
// The rules, as the note gives them:
//   1. modification stores must be single-copy atomic, hence naturally aligned;
//   2. the modified instruction must not span an aligned M-byte boundary (M = 4), unless it
//      is replaced with a shorter unconditional control transfer (c.ebreak, c.j) that does
//      not itself span one;
//   3. stores must alter a complete instruction or complete instructions (modulo the
//      exception of rule 2: the first part may become such a transfer);
//   4. modifications must not combine smaller instructions into a larger one.

import { decode, instructionLength } from '../isa/index.ts';
import type { Diagnostic, ListingLine, PatcherSpec, Region } from './types.ts';

const M = 4n;

/** Unconditional control transfers shorter than a 32-bit instruction: what may replace the start of one that spans M bytes. */
const SHORT_TRANSFERS = new Set(['c.j', 'c.jr', 'c.ebreak', 'c.jalr']);

interface CodeImage {
  readonly region: Region;
  readonly bytes: Uint8Array;
  /** Instruction starts and lengths, by offset in the region; data items are absent. */
  readonly insns: Map<number, 2 | 4>;
  /** Offsets holding data (a .word in code, say): stores there are not code patches. */
  readonly data: Set<number>;
}

function images(regions: readonly Region[], listing: readonly ListingLine[]): CodeImage[] {
  return regions
    .filter((r) => r.kind === 'code')
    .map((region) => {
      const insns = new Map<number, 2 | 4>();
      const data = new Set<number>();
      for (const l of listing) {
        if (l.region !== region.name) continue;
        const off = Number(l.addr - region.base);
        if (l.bits !== undefined) insns.set(off, l.size as 2 | 4);
        else for (let k = 0; k < l.size; k++) data.add(off + k);
      }
      return { region, bytes: region.bytes.slice(), insns, data };
    });
}

/** The instructions that start in [from, to), and the one that covers `from` if it starts before. */
function covering(img: CodeImage, from: number, to: number): Array<{ off: number; len: 2 | 4 }> {
  const out: Array<{ off: number; len: 2 | 4 }> = [];
  for (const [off, len] of img.insns) if (off < to && off + len > from) out.push({ off, len });
  return out.sort((a, b) => a.off - b.off);
}

const spans = (addr: bigint, len: number) => addr / M !== (addr + BigInt(len) - 1n) / M;

/** Warnings for every patch step that leaves the safe harbour. */
export function safeHarbour(patchers: readonly PatcherSpec[], regions: readonly Region[], listing: readonly ListingLine[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Each patching hart's stores are checked against the code as its own earlier stores left it.
  for (const p of patchers) {
    const code = images(regions, listing);
    p.steps.forEach((step, k) => {
      if (step.kind !== 'store') return;
      const img = code.find((c) => step.addr >= c.region.base && step.addr < c.region.base + BigInt(c.region.bytes.length));
      if (!img) return;
      const from = Number(step.addr - img.region.base);
      const to = from + step.size;
      if ([...Array(step.size).keys()].every((i) => img.data.has(from + i))) return; // data kept in code
      const warn = (rule: number, message: string) => out.push({ pos: p.positions[k], message: `${step.label}: outside the Ziccif safe harbour (rule ${rule}): ${message}` });
      if (step.addr % BigInt(step.size) !== 0n) warn(1, `a ${step.size}-byte store at an address not a multiple of ${step.size} is not single-copy atomic`);
      // The new instructions, decoded from the stored bytes as they fall.
      const before = covering(img, from, to);
      for (let i = 0; i < step.size; i++) img.bytes[from + i] = Number((step.value >> BigInt(8 * i)) & 0xffn);
      const fresh: Array<{ off: number; len: 2 | 4; name: string }> = [];
      for (let off = from; off < to; ) {
        const parcel = img.bytes[off] | (img.bytes[off + 1] << 8);
        const len = instructionLength(parcel) === 2 ? 2 : 4;
        const word = parcel | ((img.bytes[off + 2] ?? 0) << 8 * 2) | ((img.bytes[off + 3] ?? 0) << 8 * 3);
        fresh.push({ off, len, name: decode(len === 2 ? parcel : word >>> 0).name });
        off += len;
      }
      const base = img.region.base;
      const transfer = fresh.length > 0 && SHORT_TRANSFERS.has(fresh[0].name) && !spans(base + BigInt(fresh[0].off), 2);
      // Rule 3: whole instructions, old and new (the first part of one may become a short transfer).
      const partialOld = before.filter((b) => b.off < from || b.off + b.len > to);
      const partialNew = fresh.filter((f) => f.off + f.len > to);
      if ((partialOld.length && !(transfer && partialOld.every((b) => b.off === from))) || partialNew.length) {
        warn(3, 'the store changes part of an instruction: stores must alter whole instructions');
      }
      // Rule 4: a new instruction covering several old ones combines them.
      for (const f of fresh) {
        if (before.filter((b) => b.off >= f.off && b.off < f.off + f.len).length > 1) warn(4, `${f.name} at ${hex(base + BigInt(f.off))} combines smaller instructions into a larger one`);
      }
      // Rule 2: nothing modified may span an M-byte boundary, unless replaced by a shorter transfer.
      // One warning per place: an old instruction that spans, with the new one there if it spans too.
      const newSpanning = fresh.filter((f) => spans(base + BigInt(f.off), f.len));
      const oldSpanning = before.filter((b) => spans(base + BigInt(b.off), b.len) && !(transfer && b.off === from));
      for (const b of oldSpanning) {
        const also = newSpanning.find((f) => f.off === b.off);
        warn(2, `the instruction at ${hex(base + BigInt(b.off))} spans an aligned 4-byte boundary and is not replaced by a shorter unconditional transfer (c.j, c.ebreak)${also ? `; the new ${also.name} there spans it too` : ''}`);
      }
      for (const f of newSpanning) if (!oldSpanning.some((b) => b.off === f.off)) warn(2, `the new ${f.name} at ${hex(base + BigInt(f.off))} spans an aligned 4-byte boundary`);
      // The code now holds the new instructions where the store fell.
      for (const b of before) img.insns.delete(b.off);
      for (const f of fresh) img.insns.set(f.off, f.len);
    });
  }
  return out;
}

function hex(a: bigint): string {
  return `0x${a.toString(16)}`;
}
