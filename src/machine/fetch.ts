// Instruction fetch: which bytes a hart may read when it fetches at pc. The fetch model
// is kept apart from the rest of the machine (as herd7 keeps its models apart from its
// engine): the machine asks it for candidate values and tells it about stores and FENCE.I.
//
// Memory is a timeline: every store that reaches memory is a step, and a fetch by a hart
// may read memory as it was at any step since that hart's last FENCE.I (Zifencei gives
// no more). Of the timeline we keep exactly what a fetch can still read: per hart and
// memory word, the values the word has held since the hart's last FENCE.I, other than
// the current one. That projection is canonical (two histories a fetch cannot tell apart
// give the same state), which keeps the state space small.
//
// Fetch atomicity is Ziccif's on RV64 (M = 4): the aligned 4-byte word holding pc is
// read atomically; a 32-bit instruction starting at pc % 4 == 2 needs a second word,
// read separately, so it can tear.

import type { MemoryLayout } from './memory.ts';
import type { FetchModelName, HartState } from './types.ts';

export interface FetchModel {
  readonly name: FetchModelName;
  /** The values word `index` may have for this hart's fetch: the current one first. */
  candidates(hart: HartState, mem: Uint32Array, index: number): readonly number[];
  /** The hart's fetch window after a store changed word `index` from `old` to `now`. */
  afterStore(stale: HartState['stale'], index: number, old: number, now: number): HartState['stale'];
}

const EMPTY: HartState['stale'] = new Map();

/** Zifencei's guarantee and nothing more: the default, because a verdict must hold on every conforming hart. */
const windowModel: FetchModel = {
  name: 'window',
  candidates(hart, mem, index) {
    const older = hart.stale.get(index);
    return older ? [mem[index], ...older] : [mem[index]];
  },
  afterStore(stale, index, old, now) {
    const prev = stale.get(index) ?? [];
    const next = [...new Set([...prev, old])].filter((v) => v !== now).sort((a, b) => a - b);
    const m = new Map(stale);
    if (next.length) m.set(index, next);
    else m.delete(index);
    return m;
  },
};

/** Every fetch sees memory as it is now: the idealised reading, to show what it misses. */
const coherentModel: FetchModel = {
  name: 'coherent',
  candidates(_hart, mem, index) {
    return [mem[index]];
  },
  afterStore(stale) {
    return stale;
  },
};

export const FETCH_MODELS: Readonly<Record<FetchModelName, FetchModel>> = {
  window: windowModel,
  coherent: coherentModel,
};

/** What a hart's FENCE.I leaves of its window: nothing, the floor is now. */
export function fenceIWindow(): HartState['stale'] {
  return EMPTY;
}

export interface FetchChoice {
  /** The instruction bits (16 or 32 of them). */
  readonly bits: number;
  /** Read from an older memory state than the current one. */
  readonly stale: boolean;
}

/**
 * The distinct instructions a hart may fetch at pc. `undefined` when pc is not in code
 * (or a 32-bit instruction would run past the end of its region).
 */
export function fetchChoices(model: FetchModel, layout: MemoryLayout, hart: HartState, mem: Uint32Array, pc: bigint): FetchChoice[] | undefined {
  const loc = layout.locate(pc);
  if (!loc || !layout.isCode(pc)) return undefined;
  const first = model.candidates(hart, mem, loc.index);
  const upperHalf = (pc & 2n) !== 0n;
  if (first.length === 1 && !upperHalf) {
    // The common case: one memory state to read, an aligned word.
    const w = first[0];
    return [{ bits: (w & 3) !== 3 ? w & 0xffff : w >>> 0, stale: false }];
  }
  const out: FetchChoice[] = [];
  // Distinct instructions only; "stale" only if no reading of the current memory gives them.
  const add = (bits: number, stale: boolean) => {
    const b = bits >>> 0;
    const at = out.findIndex((c) => c.bits === b);
    if (at < 0) out.push({ bits: b, stale });
    else if (out[at].stale && !stale) out[at] = { bits: b, stale: false };
  };
  for (let i = 0; i < first.length; i++) {
    const parcel = upperHalf ? first[i] >>> 16 : first[i] & 0xffff;
    if ((parcel & 3) !== 3) {
      add(parcel, i > 0);
    } else if (!upperHalf) {
      add(first[i], i > 0);
    } else {
      // A 32-bit instruction straddling two words: the second word is a separate atomic read.
      const next = pc + 2n;
      const loc2 = layout.locate(next);
      if (!loc2 || !layout.isCode(next)) return undefined;
      const second = model.candidates(hart, mem, loc2.index);
      for (let j = 0; j < second.length; j++) add(((second[j] & 0xffff) << 16) | parcel, i > 0 || j > 0);
    }
  }
  return out;
}
