// The ways a data load can be satisfied: the snapshots of the timeline a thread's views
// allow it (timeline.ts, views.ts), under RVWMO or sequential consistency; an AMO's load
// comes with the store right after it, at the end of the timeline or just before a
// promise of that store.

import type { Core } from './core.ts';
import { lastWrite as lastWriteAt, snapshots, valueFrom } from './timeline.ts';
import type { MachineState, ReadChoice } from './types.ts';
import type { ThreadMem } from './views.ts';

const max = (a: number, b: number) => (a > b ? a : b);

/** The ways a data load of [at, at+size) with pre-view `vpre` can be satisfied. */
export function loadChoices(core: Core, s: MachineState, mem: ThreadMem, at: number, size: number, vpre: number, atomic = false): ReadChoice[] {
  const tl = s.timeline;
  const promised = new Set(mem.promises);
  if (core.model.stores === 'sc' || atomic) {
    // Under SC every load reads memory as it is now. An AMO's read and write are adjacent
    // in the timeline: it reads memory as it is now and stores at the end, or, to keep a
    // promise of its store, reads memory as it was just before the promised place.
    const now = snapshots(tl, core.layout, at, size, { floor: () => tl.length });
    const out: ReadChoice[] = now.map((x) => ({ kind: 'snapshot', time: x.time, sources: x.sources, value: x.value }));
    if (!atomic || core.model.stores === 'sc') return out;
    for (const p of mem.promises) {
      const m = tl[p - 1];
      if (m.at !== at || m.size !== size) continue;
      const sources = Array.from({ length: size }, (_, k) => lastWriteAt(tl, at + k, p - 1));
      if (sources.some((t) => promised.has(t))) continue; // its own earlier promise: coherence forbids
      if (sources.some((t, k) => lastWriteAt(tl, at + k, max(vpre, mem.coh.get(at + k) ?? 0)) > t)) continue; // its floor is past that
      out.push({ kind: 'snapshot', time: Math.max(0, ...sources), sources, value: valueFrom(tl, core.layout, at, sources), beforePromise: p });
    }
    return out;
  }
  const own = (k: number) => {
    const f = mem.fwd.get(at + k);
    return f && !promised.has(f.t) ? f.t : 0;
  };
  return snapshots(tl, core.layout, at, size, { floor: (k) => max(vpre, mem.coh.get(at + k) ?? 0), own })
    .filter((x) => !x.sources.some((t) => promised.has(t))) // its own promise is a later store: coherence forbids
    .map((x) => ({ kind: 'snapshot', time: x.time, sources: x.sources, value: x.value }));
}

