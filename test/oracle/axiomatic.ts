// An independent, herd7-style axiomatic checker for small multi-hart RISC-V programs,
// used by tests as an oracle for the operational engine. It enumerates candidate
// executions (per-hart paths under guessed fetch and load values, then rf and co) and
// keeps those consistent with RVWMO extended with instruction-fetch events:
//
//   sc-per-location  acyclic(po-loc | rf | co | fr) over explicit events
//   atomicity        empty(rmw & (fre;coe))
//   main             acyclic(co | rfe | fr | ppo | irf | ifr | ir1 | ir3 | extra(config))
//
// where irf is rf into fetches, ifr = irf^-1;co, ir1 = [I];iico;[M & Exp] and
// ir3 = [M & Exp];po;[FENCE.I];po;[I]. The configurations' extras are in events.ts.

import { registerName } from '../../src/isa/index.ts';
import type { Condition, FinalLocation, SystemSpec } from '../../src/scenario/types.ts';
import { buildRelations, ORACLE_CONFIGS, type OracleConfig, type Relations } from './events.ts';
import { acyclic, emptyEdges, type Edges } from './graph.ts';
import { Locations, Unsupported, type Loc } from './locations.ts';
import { hartPaths, type Path } from './paths.ts';

export { ORACLE_CONFIGS, Unsupported, type OracleConfig };

export interface FinalState {
  /** Every hart's 32 registers at the end (x0 included), as unsigned 64-bit values. */
  readonly regs: bigint[][];
  /** Final memory: little-endian bytes at addr (the co-last write of each location over the initial bytes). */
  readonly mem: (addr: bigint, size: number) => bigint;
}

export interface OracleLimits {
  /** Candidate executions (path combination × rf × co) examined before giving up. */
  readonly maxCandidates?: number;
  /** Instructions one hart may execute on a path. */
  readonly maxSteps?: number;
  /** Paths one hart may have. */
  readonly maxPaths?: number;
}

export interface OracleStats {
  /** Rounds of the value fixpoint. */
  rounds: number;
  /** Path combinations, and those with some rf at all. */
  combinations: number;
  /** rf × co candidates that passed sc-per-location and atomicity. */
  candidates: number;
  /** Of those, how many each configuration keeps. */
  consistent: Record<OracleConfig, number>;
}

export interface OracleResult {
  readonly finals: ReadonlyMap<OracleConfig, FinalState[]>;
  readonly stats: OracleStats;
}

/** The distinct final states of the consistent executions of `system` under `config`. */
export function axiomaticFinals(system: SystemSpec, config: OracleConfig, limits?: { maxCandidates?: number }): FinalState[] {
  return axiomaticExplore(system, [config], limits).finals.get(config)!;
}

/** The same for several configurations at once: candidates are generated once and judged under each. */
export function axiomaticExplore(system: SystemSpec, configs: readonly OracleConfig[] = ORACLE_CONFIGS, limits: OracleLimits = {}): OracleResult {
  if (system.patchers.length) throw new Unsupported('patchers (the oracle takes litmus-style harts only)');
  const maxCandidates = limits.maxCandidates ?? 5_000_000;
  const opts = { maxSteps: limits.maxSteps ?? 256, maxPaths: limits.maxPaths ?? 10_000 };
  const locs = new Locations(system.regions);

  // The values each location can hold: its initial value and whatever some store writes
  // there on some path, to a fixpoint (fetch and load guesses draw from these).
  const written = new Map<number, bigint[]>();
  const values = (l: Loc): readonly bigint[] => [l.init, ...(written.get(l.id) ?? []).filter((v) => v !== l.init)];
  let paths: Path[][] = [];
  let rounds = 0;
  for (;;) {
    if (++rounds > 16) throw new Unsupported('written values do not reach a fixpoint in 16 rounds');
    paths = system.harts.map((h) => hartPaths(h, locs, values, opts));
    let changed = false;
    for (const hp of paths) {
      for (const p of hp) {
        for (const s of p.steps) {
          for (const a of s.accesses) {
            if (a.kind !== 'W') continue;
            const vs = written.get(a.loc.id) ?? [];
            if (!vs.includes(a.value)) {
              vs.push(a.value);
              written.set(a.loc.id, vs);
              changed = true;
            }
          }
        }
      }
    }
    if (!changed) break;
  }
  const writtenLocs = [...written.keys()].sort((a, b) => a - b);

  const stats: OracleStats = {
    rounds,
    combinations: 0,
    candidates: 0,
    consistent: Object.fromEntries(ORACLE_CONFIGS.map((c) => [c, 0])) as Record<OracleConfig, number>,
  };
  const finals = new Map<OracleConfig, Map<string, FinalState>>(configs.map((c) => [c, new Map()]));
  let examined = 0;
  const budget = (n: number) => {
    examined += n;
    if (examined > maxCandidates) throw new Unsupported(`more than ${maxCandidates} candidate executions`);
  };

  for (const combo of cartesian(paths)) {
    stats.combinations++;
    const rel = buildRelations(combo, locs);
    const perLoc = locationChoices(rel, budget);
    if (!perLoc) continue;
    const n = rel.events.length;
    const staticRels = new Map<OracleConfig, Edges[]>(configs.map((c) => [c, [rel.base, rel.extra.get(c)!]]));
    const regsKey = combo.map((p) => p.regs.join(',')).join('|');
    for (const choice of cartesian(perLoc)) {
      budget(1);
      stats.candidates++;
      const rf = new Int32Array(n).fill(-1);
      const coNext = new Int32Array(n).fill(-1);
      const dyn = emptyEdges(n);
      const last = new Map<number, bigint>();
      for (const c of choice) {
        for (const [r, w] of c.rf) rf[r] = w;
        for (let i = 0; i + 1 < c.co.length; i++) {
          coNext[c.co[i]] = c.co[i + 1];
          dyn[c.co[i]].push(c.co[i + 1]); // co (its transitive reduction: same cycles)
        }
        const lastW = rel.events[c.co[c.co.length - 1]];
        last.set(lastW.loc.id, lastW.value);
      }
      dynamicEdges(rel, rf, coNext, dyn);
      let key: string | undefined;
      for (const config of configs) {
        if (!acyclic(n, [...staticRels.get(config)!, dyn])) continue;
        stats.consistent[config]++;
        key ??= `${regsKey}#${writtenLocs.map((id) => last.get(id) ?? locs.all[id].init).join(',')}`;
        const m = finals.get(config)!;
        if (!m.has(key)) m.set(key, { regs: combo.map((p) => p.regs.slice()), mem: locs.reader(last) });
      }
    }
  }
  return { finals: new Map([...finals].map(([c, m]) => [c, [...m.values()]])), stats };
}

/** One location's share of a candidate: rf into its reads, and its co (initial write first). */
interface LocChoice {
  readonly rf: ReadonlyArray<readonly [number, number]>;
  readonly co: readonly number[];
}

/**
 * Per location, every (rf, co) that passes sc-per-location and atomicity, both of which
 * only relate events of one location. Undefined when some read has no write to read from.
 */
function locationChoices(rel: Relations, budget: (n: number) => void): LocChoice[][] | undefined {
  const ev = rel.events;
  const out: LocChoice[][] = [];
  for (const [, { init, writes, reads }] of rel.byLoc) {
    const options = reads.map((r) =>
      writes.filter((w) => ev[w].value === ev[r].value && !(ev[w].hart === ev[r].hart && ev[w].step === ev[r].step)),
    );
    if (options.some((o) => o.length === 0)) return undefined;
    const explicit = [init, ...writes.slice(1), ...reads.filter((r) => ev[r].kind === 'R')];
    const rmw = rel.rmw.filter(([r]) => ev[r].loc === ev[init].loc);
    const choices: LocChoice[] = [];
    for (const perm of permutations(writes.slice(1))) {
      const co = [init, ...perm];
      const pos = new Map(co.map((w, i) => [w, i]));
      for (const pick of cartesian(options)) {
        budget(1);
        const rfOf = new Map(reads.map((r, i) => [r, pick[i]]));
        if (!coherent(rel, explicit, co, pos, rfOf)) continue;
        if (!atomic(rel, rmw, co, pos, rfOf)) continue;
        choices.push({ rf: reads.map((r, i) => [r, pick[i]] as const), co });
      }
    }
    if (!choices.length) return undefined;
    out.push(choices);
  }
  return out;
}

/** sc-per-location: acyclic(po-loc | rf | co | fr) over one location's explicit events. */
function coherent(rel: Relations, nodes: readonly number[], co: readonly number[], pos: ReadonlyMap<number, number>, rfOf: ReadonlyMap<number, number>): boolean {
  const n = rel.events.length;
  const e = emptyEdges(n);
  for (let i = 0; i + 1 < co.length; i++) e[co[i]].push(co[i + 1]);
  for (const v of nodes) {
    if (rel.events[v].kind !== 'R') continue;
    const w = rfOf.get(v)!;
    e[w].push(v);
    const next = co[pos.get(w)! + 1];
    if (next !== undefined) e[v].push(next);
  }
  return acyclic(n, [rel.poLoc, e], nodes);
}

/** atomicity: no write of another hart comes, in co, between what an rmw's read reads and its write. */
function atomic(rel: Relations, rmw: Relations['rmw'], co: readonly number[], pos: ReadonlyMap<number, number>, rfOf: ReadonlyMap<number, number>): boolean {
  for (const [r, w] of rmw) {
    const from = pos.get(rfOf.get(r)!)!;
    const to = pos.get(w)!;
    for (let i = from + 1; i < to; i++) if (rel.events[co[i]].hart !== rel.events[r].hart) return false;
  }
  return true;
}

/** The parts of ob that depend on rf and co: rfe, irf, fr (fetches' ifr included), rules 2, 3 and 12. */
function dynamicEdges(rel: Relations, rf: Int32Array, coNext: Int32Array, dyn: Edges): void {
  const ev = rel.events;
  for (let r = 0; r < ev.length; r++) {
    const w = rf[r];
    if (w < 0) continue;
    const er = ev[r];
    const ew = ev[w];
    // rfe for explicit reads (initial writes are external to every hart); irf for every fetch.
    if (er.kind === 'I' || ew.hart !== er.hart) dyn[w].push(r);
    // fr and ifr: to the co-successor of the write read from (the rest follows along co).
    if (coNext[w] >= 0) dyn[r].push(coNext[w]);
    if (er.kind === 'R' && ew.hart === er.hart) {
      // Rule 3: [AMO|SC];rfi;[R].
      if (ew.access?.atomic) dyn[w].push(r);
    }
  }
  // Rule 2: [R];po-loc-no-w;[R] minus rsw (the two reads read from the same write).
  for (const [a, b] of rel.r2) if (rf[a] !== rf[b]) dyn[a].push(b);
  // Rule 12: [M];(addr|data);[W];rfi;[R].
  for (const [a, w] of rel.depToW) {
    for (const r of rel.byLoc.get(ev[w].loc.id)!.reads) if (ev[r].kind === 'R' && rf[r] === w && ev[r].hart === ev[w].hart) dyn[a].push(r);
  }
}

function* cartesian<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = new Array<number>(lists.length).fill(0);
  for (;;) {
    yield lists.map((l, i) => l[idx[i]]);
    let k = lists.length - 1;
    while (k >= 0 && ++idx[k] === lists[k].length) idx[k--] = 0;
    if (k < 0) return;
  }
}

function* permutations<T>(xs: readonly T[]): Generator<T[]> {
  if (xs.length <= 1) {
    yield xs.slice();
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i], ...p];
  }
}

/** A final state over some locations, canonically: `0:s0=2; 1:s0=1; x=1;` (signed decimal, as herd prints). */
export function project(f: FinalState, locs: readonly FinalLocation[]): string {
  return locs
    .map((l) => {
      if (l.kind === 'reg') return `${l.hart}:${registerName(l.reg)}=${BigInt.asIntN(64, f.regs[l.hart][l.reg])};`;
      return `${l.name}=${BigInt.asIntN(l.size * 8, f.mem(l.addr, l.size))};`;
    })
    .join(' ');
}

/** The value a final location holds, unsigned (registers: 64 bits; memory: its size). */
export function finalValue(f: FinalState, l: FinalLocation): bigint {
  return l.kind === 'reg' ? BigInt.asUintN(64, f.regs[l.hart][l.reg]) : f.mem(l.addr, l.size);
}

/** Whether a herd-style condition holds of a final state (values compared unsigned, at the location's width). */
export function holds(c: Condition, f: FinalState): boolean {
  switch (c.kind) {
    case 'eq':
      return finalValue(f, c.loc) === BigInt.asUintN(c.loc.kind === 'reg' ? 64 : c.loc.size * 8, c.value);
    case 'not':
      return !holds(c.arg, f);
    case 'and':
      return c.args.every((a) => holds(a, f));
    case 'or':
      return c.args.some((a) => holds(a, f));
    case 'true':
      return true;
    case 'false':
      return false;
  }
}
