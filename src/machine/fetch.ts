// Instruction fetch: which bytes a hart may read when it fetches at pc. A fetch reads the
// instruction's bytes in atomic pieces (Ziccif: the aligned 4-byte word holding them, so a
// 32-bit instruction at pc % 4 == 2 is two reads and can tear; `parcel`: every 16-bit
// parcel on its own; `line N`: aligned N-byte lines). Each piece is a snapshot of the
// timeline no older than the hart's fetch floor (timeline.ts) or, where the configuration
// lets fetches run ahead, a store still to come (a speculation, confirmed or refuted later).
//
// Fetches never see the hart's own stores before other harts can (no store-buffer
// forwarding): the ifetch suite's irf relation, and Ziccid's "fetches do not observe the
// local hart's stores before other harts' fetches can".

import { decode, instructionLength } from '../isa/index.ts';
import type { MemoryLayout } from './memory.ts';
import { latestValue, overlapsMsg, snapshots, type Timeline } from './timeline.ts';
import type { ReadChoice } from './types.ts';

export interface FetchSetup {
  readonly layout: MemoryLayout;
  /** Bytes per atomic piece (a power of two). */
  readonly piece: number;
  /** Every fetch reads memory as it is now (the `coherent` configuration). */
  readonly coherent: boolean;
}

/** The values a hart may guess some store will give a piece later (a speculative fetch). */
export type Guesses = (pieceStart: number) => Iterable<bigint>;

/** One way a fetch at pc can go: the instruction read, and how each piece was read. */
export interface FetchOption {
  readonly bits: number;
  readonly length: 2 | 4;
  readonly choices: readonly ReadChoice[];
  /** Some piece read older code than memory holds now. */
  readonly stale: boolean;
  /** Some piece read a store that is not in memory yet. */
  readonly future: boolean;
  /**
   * Read in two pieces that memory never held together: each parcel is from a moment the
   * other was already overwritten or not yet written (a tear, not merely old code).
   */
  readonly torn: boolean;
}

/** A read of bytes [addr, addr + size) that lies in one atomic piece. */
interface PieceRead {
  readonly at: number;
  readonly size: number;
  readonly pieceStart: number;
}

function pieceRead(setup: FetchSetup, addr: bigint, size: number): PieceRead | undefined {
  const at = setup.layout.offset(addr, size);
  if (at === undefined) return undefined;
  return { at, size, pieceStart: at - (at % setup.piece) };
}

/** Bytes of a piece value (little-endian, piece-sized) as seen by a read of `r`. */
function project(value: bigint, r: PieceRead): bigint {
  const shift = BigInt(8 * (r.at - r.pieceStart));
  return (value >> shift) & ((1n << BigInt(8 * r.size)) - 1n);
}

/** Every way to read `r`: snapshots no older than `floor`, then (if allowed) values still to come. */
function readPiece(setup: FetchSetup, tl: Timeline, r: PieceRead, floor: number, guesses: Guesses | undefined): ReadChoice[] {
  const out: ReadChoice[] = [];
  if (setup.coherent) {
    const now = snapshots(tl, setup.layout, r.at, r.size, { floor: () => tl.length });
    return now.map((s) => ({ kind: 'snapshot', time: s.time, sources: s.sources, value: s.value }));
  }
  const seen = new Set<bigint>();
  for (const s of snapshots(tl, setup.layout, r.at, r.size, { floor: () => floor })) {
    out.push({ kind: 'snapshot', time: s.time, sources: s.sources, value: s.value });
    seen.add(s.value);
  }
  if (!guesses) return out;
  for (const v of guesses(r.pieceStart)) {
    const p = project(v, r);
    if (seen.has(p)) continue; // reading it now is never weaker than waiting for it
    seen.add(p);
    out.push({ kind: 'future', value: p });
  }
  return out;
}

/** Instructions that a fetch may run ahead with: those with no load or store of their own (ir1 would make them wait). */
function mayRunAhead(bits: number): boolean {
  const d = decode(bits);
  return !ACCESSING.has(d.op) && d.op !== 'illegal' && d.op !== 'ebreak' && d.op !== 'ecall';
}

const ACCESSING = new Set([
  'lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', 'sb', 'sh', 'sw', 'sd',
  ...['w', 'd'].flatMap((w) => ['lr', 'sc', 'amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'].map((o) => `${o}.${w}`)),
]);

/**
 * The distinct ways a hart may fetch at `pc` with fetch floor `floor`; `undefined` when pc
 * is not in code. With `guesses`, pieces may also read stores still to come.
 */
export function fetchOptions(setup: FetchSetup, tl: Timeline, pc: bigint, floor: number, guesses: Guesses | undefined): FetchOption[] | undefined {
  if (!setup.layout.isCode(pc)) return undefined;
  const first2 = pieceRead(setup, pc, 2);
  if (!first2) return undefined;
  const out: FetchOption[] = [];
  const latest2 = latestValue(tl, setup.layout, first2.at, 2);
  // A compressed instruction: two bytes in one piece.
  for (const c of readPiece(setup, tl, first2, floor, guesses)) {
    const parcel = Number(c.value);
    if (instructionLength(parcel) !== 2) continue;
    out.push(option(parcel, 2, [c], c.kind === 'snapshot' ? c.value !== latest2 : false));
  }
  // A 32-bit instruction: one read if its four bytes share a piece, two if it straddles.
  const samePiece = (first2.at % setup.piece) + 4 <= setup.piece;
  if (samePiece) {
    const whole = pieceRead(setup, pc, 4);
    if (whole) {
      const latest = latestValue(tl, setup.layout, whole.at, 4);
      for (const c of readPiece(setup, tl, whole, floor, guesses)) {
        const bits = Number(c.value);
        if (instructionLength(bits & 0xffff) === 2) continue;
        out.push(option(bits, 4, [c], c.kind === 'snapshot' ? c.value !== latest : false));
      }
    }
  } else {
    const second = pieceRead(setup, BigInt.asUintN(64, pc + 2n), 2);
    const lows = readPiece(setup, tl, first2, floor, guesses).filter((c) => instructionLength(Number(c.value)) !== 2);
    if (second && lows.length) {
      const latestHigh = latestValue(tl, setup.layout, second.at, 2);
      const highs = readPiece(setup, tl, second, floor, guesses);
      for (const lo of lows) {
        for (const hi of highs) {
          const bits = ((Number(hi.value) << 16) | Number(lo.value)) >>> 0;
          const stale = (lo.kind === 'snapshot' && lo.value !== latest2) || (hi.kind === 'snapshot' && hi.value !== latestHigh);
          out.push(option(bits, 4, [lo, hi], stale, stale && neverTogether(tl, [first2, second], [lo, hi])));
        }
      }
    }
  }
  // A speculative fetch only for an instruction that has no access of its own, and only
  // one distinct option per instruction read the same way.
  return dedupe(out.filter((o) => !o.future || mayRunAhead(o.bits)));
}

function option(bits: number, length: 2 | 4, choices: ReadChoice[], stale: boolean, torn = false): FetchOption {
  return { bits: bits >>> 0, length, choices, stale, future: choices.some((c) => c.kind === 'future'), torn };
}

/**
 * Whether two pieces' snapshots were never memory's contents at one moment: a snapshot
 * taken at time t holds until the next store overlapping its bytes, so the two held
 * together only if their intervals meet. (Pieces read ahead of their store are not torn
 * but speculative, told apart by `future`.)
 */
function neverTogether(tl: Timeline, reads: readonly PieceRead[], choices: readonly ReadChoice[]): boolean {
  let from = 0;
  let until = tl.length + 1;
  for (let k = 0; k < reads.length; k++) {
    const c = choices[k];
    if (c.kind !== 'snapshot') return false;
    from = Math.max(from, c.time);
    let next = c.time + 1;
    while (next <= tl.length && !overlapsMsg(tl[next - 1], reads[k].at, reads[k].size)) next++;
    until = Math.min(until, next);
  }
  return from >= until;
}

function dedupe(options: FetchOption[]): FetchOption[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    const k = o.choices.map((c) => (c.kind === 'snapshot' ? `s${c.sources.join('.')}` : `f${c.value}`)).join('|');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The byte ranges a fetch at pc of an instruction of `length` reads, piece by piece (for speculations). */
export function fetchPieces(setup: FetchSetup, pc: bigint, length: 2 | 4): Array<{ at: number; size: number }> {
  if (length === 2) return [pieceRead(setup, pc, 2)!];
  const first = pieceRead(setup, pc, 2)!;
  if ((first.at % setup.piece) + 4 <= setup.piece) return [pieceRead(setup, pc, 4)!];
  return [first, pieceRead(setup, BigInt.asUintN(64, pc + 2n), 2)!];
}

/** The instruction memory as it is now would give at pc (for reports of stale fetches). */
export function latestInstruction(setup: FetchSetup, tl: Timeline, pc: bigint): number | undefined {
  const lo = setup.layout.offset(pc, 2);
  if (lo === undefined) return undefined;
  const parcel = Number(latestValue(tl, setup.layout, lo, 2));
  if (instructionLength(parcel) === 2) return parcel;
  const hi = setup.layout.offset(BigInt.asUintN(64, pc + 2n), 2);
  if (hi === undefined) return undefined;
  return ((Number(latestValue(tl, setup.layout, hi, 2)) << 16) | parcel) >>> 0;
}
