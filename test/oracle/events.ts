// One combination of hart paths as events, and the relations that follow from the paths
// alone (program order, dependencies, fences): RVWMO's preserved program order and the
// fetch rules ir1 / ir3 and each configuration's extra rule. What depends on rf and co
// is added per candidate by axiomatic.ts.

import { addEdge, emptyEdges, type Edges } from './graph.ts';
import type { Loc, Locations } from './locations.ts';
import type { Access, Path } from './paths.ts';

export type OracleConfig = 'ziccif-only' | 'ziccid' | 'ir-decode-w' | 'ir-decode' | 'ir3-fetch';
export const ORACLE_CONFIGS: readonly OracleConfig[] = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch'];

export interface Ev {
  readonly id: number;
  /** I: an instruction fetch; R, W: explicit accesses; W with hart -1: an initial write. */
  readonly kind: 'I' | 'R' | 'W';
  readonly hart: number;
  /** Index of the instruction in its hart's path (program order); -1 for initial writes. */
  readonly step: number;
  readonly loc: Loc;
  readonly value: bigint;
  readonly access?: Access;
}

export interface Relations {
  readonly events: readonly Ev[];
  /** Per location id: its initial write, its writes (initial first), its reads (explicit and fetches). */
  readonly byLoc: ReadonlyMap<number, { init: number; writes: number[]; reads: number[] }>;
  /** Explicit same-location program order, for sc-per-location (within one location). */
  readonly poLoc: Edges;
  /** rmw pairs [read, write]. */
  readonly rmw: ReadonlyArray<readonly [number, number]>;
  /** ppo without the rules that need rf, plus ir1 and ir3: every configuration's static part. */
  readonly base: Edges;
  /** Each configuration's own extra edges. */
  readonly extra: ReadonlyMap<OracleConfig, Edges>;
  /** Rule 2 candidates ([R];po-loc-no-w;[R]): kept when the two reads read from different writes. */
  readonly r2: ReadonlyArray<readonly [number, number]>;
  /** [M];(addr|data);[W] pairs, for rule 12 (…;rfi;[R]). */
  readonly depToW: ReadonlyArray<readonly [number, number]>;
}

export function buildRelations(paths: readonly Path[], locs: Locations): Relations {
  const events: Ev[] = [];
  const byLoc = new Map<number, { init: number; writes: number[]; reads: number[] }>();
  const locEntry = (loc: Loc) => {
    let e = byLoc.get(loc.id);
    if (!e) {
      const init = events.length;
      events.push({ id: init, kind: 'W', hart: -1, step: -1, loc, value: loc.init });
      e = { init, writes: [init], reads: [] };
      byLoc.set(loc.id, e);
    }
    return e;
  };
  // Per hart, per step: its fetch event and its explicit events.
  const fetchOf: number[][] = [];
  const explicitOf: number[][][] = [];
  paths.forEach((p, h) => {
    fetchOf.push([]);
    explicitOf.push([]);
    p.steps.forEach((s, i) => {
      const word = locs.get(s.pc, 4)!;
      const fe = locEntry(word);
      const f = events.length;
      events.push({ id: f, kind: 'I', hart: h, step: i, loc: word, value: s.fetched });
      fe.reads.push(f);
      fetchOf[h].push(f);
      const ex: number[] = [];
      for (const a of s.accesses) {
        const le = locEntry(a.loc);
        const id = events.length;
        events.push({ id, kind: a.kind, hart: h, step: i, loc: a.loc, value: a.value, access: a });
        (a.kind === 'R' ? le.reads : le.writes).push(id);
        ex.push(id);
      }
      explicitOf[h].push(ex);
    });
  });

  const n = events.length;
  const poLoc = emptyEdges(n);
  const base = emptyEdges(n);
  const extra = new Map<OracleConfig, Edges>(ORACLE_CONFIGS.map((c) => [c, emptyEdges(n)]));
  const rmw: Array<[number, number]> = [];
  const r2: Array<[number, number]> = [];
  const depToW: Array<[number, number]> = [];
  const ex = (id: number) => events[id];
  const readOf = (h: number, step: number) => explicitOf[h][step].find((id) => ex(id).kind === 'R');

  paths.forEach((p, h) => {
    const steps = p.steps;
    const all = explicitOf[h].flat();
    const writes = all.filter((id) => ex(id).kind === 'W');
    // Rule 1 (M po-loc W), rule 2 candidates, po-loc; rules 5, 6, 7.
    for (const a of all) {
      const ea = ex(a);
      for (const b of all) {
        const eb = ex(b);
        if (ea.step >= eb.step) continue;
        const sameLoc = ea.loc === eb.loc;
        if (sameLoc) {
          addEdge(poLoc, a, b);
          if (eb.kind === 'W') addEdge(base, a, b); // r1
          if (ea.kind === 'R' && eb.kind === 'R') {
            const wBetween = writes.some((w) => ex(w).loc === ea.loc && ex(w).step > ea.step && ex(w).step < eb.step);
            if (!wBetween) r2.push([a, b]);
          }
        }
        if (ea.access!.aq) addEdge(base, a, b); // r5
        if (eb.access!.rl) addEdge(base, a, b); // r6
        const rcsc = (e: Ev) => (e.access!.aq || e.access!.rl) && e.access!.atomic;
        if (rcsc(ea) && rcsc(eb)) addEdge(base, a, b); // r7
      }
    }
    steps.forEach((s, j) => {
      // Rule 4: fences order explicit accesses only (R: bit 1, W: bit 0 of pred and succ).
      if (s.fence) {
        const { pred, succ, tso } = s.fence;
        const before = all.filter((id) => ex(id).step < j);
        const after = all.filter((id) => ex(id).step > j);
        for (const a of before) {
          for (const b of after) {
            const ka = ex(a).kind;
            const kb = ex(b).kind;
            const ok = tso
              ? (ka === 'W' && kb === 'W') || ka === 'R'
              : ((ka === 'R' && pred & 2) || (ka === 'W' && pred & 1)) && ((kb === 'R' && succ & 2) || (kb === 'W' && succ & 1));
            if (ok) addEdge(base, a, b);
          }
        }
      }
      // Rule 8: rmw.
      if (s.rmw) {
        const r = readOf(h, s.rmw.readStep);
        const w = explicitOf[h][j].find((id) => ex(id).kind === 'W');
        if (r !== undefined && w !== undefined) {
          rmw.push([r, w]);
          addEdge(base, r, w);
        }
      }
      // Rules 9, 10, 12 (its static half), 13: syntactic dependencies from earlier loads.
      for (let k = 0; k < j; k++) {
        const src = readOf(h, k);
        if (src === undefined) continue;
        const kbit = 1n << BigInt(k);
        const addr = (s.addrDeps & kbit) !== 0n;
        const data = (s.dataDeps & kbit) !== 0n;
        for (const b of explicitOf[h][j]) {
          const kb = ex(b).kind;
          if (addr) addEdge(base, src, b); // r9
          if (data && kb === 'W') addEdge(base, src, b); // r10
          if ((addr || data) && kb === 'W') depToW.push([src, b]);
        }
        if (addr && explicitOf[h][j].length) {
          for (const w of writes) if (ex(w).step > j) addEdge(base, src, w); // r13
        }
        // Rule 11: control dependency through a branch or jalr, to every later write.
        if ((s.ctrlDeps & kbit) !== 0n) {
          for (const w of writes) if (ex(w).step > j) addEdge(base, src, w);
        }
      }
      // ir1: a fetch precedes its own instruction's explicit accesses.
      for (const b of explicitOf[h][j]) addEdge(base, fetchOf[h][j], b);
      // ir3: FENCE.I orders earlier explicit accesses before later fetches.
      if (s.fenceI) {
        for (const a of all) {
          if (ex(a).step >= j) continue;
          for (let i = j + 1; i < steps.length; i++) addEdge(base, a, fetchOf[h][i]);
        }
      }
    });
    // The configurations' extra rules.
    const zic = extra.get('ziccid')!;
    const decW = extra.get('ir-decode-w')!;
    const dec = extra.get('ir-decode')!;
    const ir3f = extra.get('ir3-fetch')!;
    const fenceISteps = steps.flatMap((s, j) => (s.fenceI ? [j] : []));
    for (let i = 0; i < steps.length; i++) {
      const fi = fetchOf[h][i];
      for (let j = i + 1; j < steps.length; j++) {
        addEdge(zic, fi, fetchOf[h][j]);
        for (const b of explicitOf[h][j]) {
          addEdge(dec, fi, b);
          if (ex(b).kind === 'W') addEdge(decW, fi, b);
        }
        // [I];po;[FENCE.I];po;[I], the FENCE.I's own fetch included: some fence.i in [i, j).
        if (fenceISteps.some((f) => f >= i && f < j)) addEdge(ir3f, fi, fetchOf[h][j]);
      }
    }
  });

  return { events, byLoc, poLoc, rmw, base, extra, r2, depToW };
}
