// The Ziccif note's safe harbour for modifying code that other harts may be executing
// without FENCE.I (src/ziccif.adoc, "The instruction-fetch atomicity rule supports
// concurrent code modification"): every store into code, by a patch step or by a remote
// hart's own code, is checked against its rules, and each violation becomes a warning
// naming the rule, whatever the verdict.
// The rules, as the note gives them:
//   1. modification stores must be single-copy atomic, hence naturally aligned;
//   2. the modified instruction must not span an aligned M-byte boundary (M = 4), unless it
//      is replaced with a shorter unconditional control transfer (c.ebreak, c.j) that does
//      not itself span one;
//   3. stores must alter a complete instruction or complete instructions (modulo the
//      exception of rule 2: the first part may become such a transfer);
//   4. modifications must not combine smaller instructions into a larger one.

import { decode, instructionLength } from '../isa/index.ts';
import { hartCodeStores } from './hart-stores.ts';
import type { Diagnostic, ListingLine, Region, SourcePos, SystemSpec } from './types.ts';

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

/** A store into code to check: a patch step, or a store instruction of a hart's own code. */
interface CodeStore {
  readonly addr: bigint;
  readonly size: number;
  /** Undefined: not known before running (a hart's code stores what it loaded). */
  readonly value: bigint | undefined;
  /** How warnings name it: the step as written, or the instruction and what it stores where. */
  readonly label: string;
  readonly pos: SourcePos;
}

/**
 * Warnings for every store into code that leaves the safe harbour: the patching harts'
 * steps, and the stores a remote hart's own code makes (hart-stores.ts finds them).
 * Each is checked against the code as the same hart's earlier stores left it (a `free`'s
 * poison is not a patch, and is not checked). Stores made
 * inside stop_machine are not: every other hart is parked there, so nothing executes the
 * code while it changes, and each runs FENCE.I before it resumes.
 */
export function safeHarbour(system: Pick<SystemSpec, 'patchers' | 'regions' | 'harts' | 'stubs'>, listing: readonly ListingLine[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of system.patchers) {
    const code = images(system.regions, listing);
    let stopped = false;
    p.steps.forEach((step, k) => {
      if (step.kind === 'stop' || step.kind === 'restart') stopped = step.kind === 'stop';
      // A free's poison is memory reused, not a patch: lint-free.ts looks at what comes before it.
      if (step.kind !== 'store' || step.freed !== undefined) return;
      check(code, { ...step, pos: p.positions[k] }, stopped ? [] : out);
    });
  }
  const seen = new Set(out.map(key));
  for (const h of system.harts) {
    if (h.spare) continue;
    for (const path of hartCodeStores(h, system.regions, system.stubs)) {
      const code = images(system.regions, listing);
      const found: Diagnostic[] = [];
      for (const st of path) {
        const line = listing.find((l) => l.addr === st.pc && l.bits !== undefined);
        if (!line) continue; // code it ran into that nobody wrote as an instruction: the listing check's business
        const what = st.value === undefined ? `${st.size} bytes` : `0x${st.value.toString(16).padStart(st.size * 2, '0')} (${st.size} bytes)`;
        check(code, { ...st, label: `${line.source.trim().replace(/\s+/g, ' ')} storing ${what} at ${hex(st.addr)}`, pos: line.pos }, found);
      }
      // Identical harts, and paths that share a store, would say the same thing again.
      for (const d of found) if (!seen.has(key(d)) && seen.add(key(d))) out.push(d);
    }
  }
  return out;
}

const key = (d: Diagnostic) => `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.message}`;

/** Checks one store against the code as it stands, then puts it there. */
function check(code: CodeImage[], st: CodeStore, out: Diagnostic[]): void {
  const img = code.find((c) => st.addr >= c.region.base && st.addr < c.region.base + BigInt(c.region.bytes.length));
  if (!img) return;
  const from = Number(st.addr - img.region.base);
  const to = from + st.size;
  if ([...Array(st.size).keys()].every((i) => img.data.has(from + i))) return; // data kept in code
  const warn = (rule: number, message: string) => out.push({ pos: st.pos, message: `${st.label}: outside the Ziccif safe harbour (rule ${rule}): ${message}` });
  if (st.addr % BigInt(st.size) !== 0n) warn(1, `a ${st.size}-byte store at an address not a multiple of ${st.size} is not single-copy atomic`);
  const before = covering(img, from, to);
  if (st.value === undefined) {
    // What the code holds there afterwards is not known: no instruction is assumed to start in it.
    out.push({ pos: st.pos, message: `${st.label}: the Ziccif safe harbour cannot be checked: what it stores is known only when it runs (it comes from memory)` });
    for (const b of before) img.insns.delete(b.off);
    return;
  }
  const value = st.value;
  // The new instructions, decoded from the stored bytes as they fall.
  for (let i = 0; i < st.size; i++) img.bytes[from + i] = Number((value >> BigInt(8 * i)) & 0xffn);
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
}

function hex(a: bigint): string {
  return `0x${a.toString(16)}`;
}
