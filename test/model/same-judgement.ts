// What must not change when the search takes fewer interleavings (partial-order
// reduction): the judgement of a scenario, as a list of differences between two of them,
// each naming the scenario, the configuration and the check, so that a failure says
// exactly what differs. Run counts are left out: they count interleavings, which is what
// the reduction changes. Shortest runs are not: a breadth-first search that keeps a
// representative of every behaviour finds each at the same depth.

import type { FetchConfigName } from '../../src/scenario/index.ts';
import type { ConfigResult, Outcome, Run, ScenarioResult, TableResult } from '../../src/verdict/index.ts';

export interface Difference {
  readonly scenario: string;
  /** The fetch configuration, where the difference is in one. */
  readonly config?: FetchConfigName;
  /** The check: `claim 2 (never: crash)` (as written), `row 0f4 -- old`, `outcomes`, `records 1 (outcomes)`. */
  readonly check?: string;
  readonly what: string;
  /** Each side's value, as text. */
  readonly a: string;
  readonly b: string;
}

export function differenceText(d: Difference, names: readonly [string, string] = ['a', 'b']): string {
  const where = [d.scenario, d.config, d.check].filter(Boolean).join(' / ');
  return `${where}: ${d.what}: ${names[0]} ${d.a}, ${names[1]} ${d.b}`;
}

const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x instanceof Map ? [...x] : x)) ?? 'undefined';

/** A run as compared: whether there is one, a lasso or not, and its length (a lasso's cycle is whichever the search met first: only its presence counts). */
function runShape(r: Run | undefined): string {
  if (!r) return 'none';
  return r.loopFrom === undefined ? `a run of ${r.steps.length} steps` : 'a lasso';
}

/**
 * An outcome as compared (the depth of its shortest run apart): its ending, each task's
 * calls, signature, executed predicates and moves, its final values. Tasks of a symmetry
 * group are interchangeable: their parts are sorted, as the outcomes' grouping sorts them.
 */
function outcomeKey(o: Outcome, groups: readonly (readonly number[])[]): string {
  const tasks = o.tasks.map((t) => show({ calls: t.calls.map((c) => `${c.stub}@${c.site.toString(16)}`), signature: t.signature, executed: t.executed, moves: t.moves }));
  for (const g of groups) {
    const sorted = g.map((h) => tasks[h]).sort();
    g.forEach((h, i) => (tasks[h] = sorted[i]));
  }
  return `${show(o.ending)} tasks ${tasks.join(' ')} final ${show(o.final)}`;
}

/** Class names with outcomes in them (how many is compared elsewhere: the outcomes themselves). */
const seenClasses = (classes: Readonly<Record<string, number>>) =>
  Object.keys(classes)
    .filter((k) => classes[k] > 0)
    .sort()
    .join(',');

function tableDiffs(a: TableResult | undefined, b: TableResult | undefined, push: Push): void {
  if (!a || !b) {
    if (!a !== !b) push('table', 'a table result', !!a, !!b);
    return;
  }
  const sigs = (t: TableResult) =>
    [...t.signatures]
      .map(([sig, s]) => `${sig} -- ${seenClasses(s.classes)}${s.claimed ? ` (claimed ${s.claimed})` : ''}, shortest ${runShape(s.example)}`)
      .sort();
  setDiffs(sigs(a), sigs(b), (x, y) => push('table', 'signature seen', x, y));
  push('table', 'unlisted signatures', [...a.unlisted].sort(), [...b.unlisted].sort());
  pairwise(a.rows, b.rows, (r) => `row ${r.row.signature} -- ${r.row.text}`, push, {
    verdict: (r) => r.verdict,
    status: (r) => r.status,
    parts: (r) => r.parts.map((p) => `${p.signature} expect ${p.expect}: ${p.verdict}, ${p.observed > 0n ? 'seen' : 'not seen'} ${seenClasses(p.classes)}`),
  });
}

type Push = (check: string | undefined, what: string, x: unknown, y: unknown) => void;

/** Two lists' items paired by position (the same checks, in the same order), each compared field by field. */
function pairwise<T>(as: readonly T[], bs: readonly T[], check: (x: T, i: number) => string | undefined, push: Push, fields: Record<string, (x: T) => unknown>): void {
  as.forEach((x, i) => {
    const y = bs[i] as T | undefined;
    for (const [what, field] of Object.entries(fields)) push(check(x, i), what, field(x), y === undefined ? undefined : field(y));
  });
}

/** Lines only in one of two sorted lists, each reported once. */
function setDiffs(a: readonly string[], b: readonly string[], report: (onlyA: string, onlyB: string) => void): void {
  const inB = new Set(b);
  const inA = new Set(a);
  for (const x of a) if (!inB.has(x)) report(x, 'absent');
  for (const y of b) if (!inA.has(y)) report('absent', y);
}

function configDiffs(a: ConfigResult, b: ConfigResult, groups: readonly (readonly number[])[], push: Push): void {
  pairwise([a], [b], () => undefined, push, { complete: (c) => c.complete, verdict: (c) => c.verdict, 'claims judged': (c) => c.claims.length });
  pairwise(a.claims, b.claims, (c, i) => `claim ${i + 1} (${c.claim.text})`, push, {
    verdict: (c) => c.verdict,
    status: (c) => c.status,
    counterexample: (c) => runShape(c.counterexample),
    witness: (c) => runShape(c.witness),
  });
  const depths = (c: ConfigResult) => new Map(c.outcomes.map((o) => [outcomeKey(o, groups), o.depth]));
  const [da, db] = [depths(a), depths(b)];
  setDiffs([...da.keys()].sort(), [...db.keys()].sort(), (x, y) => push('outcomes', 'outcome', x, y));
  for (const [key, depth] of da) if (db.has(key)) push('outcomes', `shortest run to ${key}`, `${depth} steps`, `${db.get(key)} steps`);
  tableDiffs(a.table, b.table, push);
}

/**
 * Every difference between two judgements of the same scenario (`a` and `b`, say with and
 * without the reduction) that a report or a verdict could show: per configuration, its
 * completeness and verdict; each claim's verdict, status, and counterexample or witness
 * (present or not, and its length); the distinct outcomes with their shortest depths; the
 * table's signatures (with the classes seen, and the shortest run's length) and rows; and
 * per scenario the verdict, status, symmetry groups, rule explanations and the recorded
 * observations' checks. Empty when the two are the same.
 */
export function judgementDifferences(a: ScenarioResult, b: ScenarioResult): Difference[] {
  const out: Difference[] = [];
  const scenario = a.scenario.name;
  const pusher =
    (config?: FetchConfigName) =>
    (check: string | undefined, what: string, x: unknown, y: unknown): void => {
      const [sa, sb] = [typeof x === 'string' ? x : show(x), typeof y === 'string' ? y : show(y)];
      if (sa !== sb) out.push({ scenario, ...(config ? { config } : {}), ...(check ? { check } : {}), what, a: sa, b: sb });
    };
  pairwise([a], [b], () => undefined, pusher(), {
    configurations: (r) => r.configs.map((c) => c.model),
    verdict: (r) => r.verdict,
    status: (r) => r.status,
    'symmetry groups': (r) => r.symmetry,
    explanations: (r) => r.explanations,
  });
  pairwise(a.records, b.records, (r, i) => `records ${i + 1} (${r.recorded.kind})`, pusher(), { matches: (r) => r.matches, 'observed lines': (r) => r.observed });
  a.configs.forEach((ca, k) => {
    const cb = b.configs[k];
    if (cb && cb.model.fetch === ca.model.fetch) configDiffs(ca, cb, a.symmetry, pusher(ca.model.fetch));
  });
  return out;
}
