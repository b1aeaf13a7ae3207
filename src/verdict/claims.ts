// Judging claims and the author's table from the runs that ended (and, for `eventually`,
// from the cycles a run can stay in forever: liveness.ts).

import type { Ending } from '../machine/types.ts';
import type { Claim, SignatureTable } from '../scenario/types.ts';
import { holds, type ExecutedIndex, type FinalValues } from './predicates.ts';
import { statusOf } from './expect.ts';
import { countOutcomes } from './outcomes.ts';
import type { ClaimResult, TaskObservation, RowPart, RowResult, Run, SignatureResult, TableResult, Verdict } from './types.ts';

/** A run that ended as an execution of the model: its ending, what each hart showed, its outcome. */
export interface Ended {
  readonly index: number;
  readonly ending: Ending;
  /** What each task showed, by remote hart index. */
  readonly tasks: readonly TaskObservation[];
  /** The distinct outcome it is one run of (outcomes.ts): what the counts count. */
  readonly outcome: number;
  readonly depth: number;
  /** Final register and memory values. */
  readonly values: FinalValues;
  /**
   * The run never ends: this is where it goes round for ever (explore.ts findLoops).
   * `eventually` leaves these to the lasso search, which judges infinite runs as they go.
   */
  readonly loops?: true;
  /** The final values of the scenario's observed locations. */
  readonly final: readonly bigint[];
}

const WORST: Verdict[] = ['fail', 'incomplete', 'pass'];
function worst(vs: readonly Verdict[]): Verdict {
  return WORST.find((v) => vs.includes(v)) ?? 'pass';
}

/**
 * One claim. `lasso` finds an infinite fair run that never satisfies the predicate (for
 * `eventually`): a counterexample as much as a finite run that ends without it.
 */
export function judgeClaim(claim: Claim, ended: readonly Ended[], index: ExecutedIndex, complete: boolean, replay: (e: Ended) => Run, lasso?: () => Run | undefined): Omit<ClaimResult, 'status'> {
  // Every run loops forever: `never` and `always` would hold of the outcomes because there
  // are none. A claim that cannot fail is not a pass; `sometimes` fails as it always has,
  // and `eventually` judges the infinite runs themselves.
  if (complete && !ended.length && (claim.quantifier === 'never' || claim.quantifier === 'always')) return { claim, verdict: 'fail', satisfied: 0, noRunEnds: true };
  const sat = ended.filter((e) => holds(claim.predicate, e.ending, e.tasks, index, undefined, e.values));
  const satisfied = countOutcomes(sat);
  switch (claim.quantifier) {
    case 'never':
      if (sat.length) return { claim, verdict: 'fail', satisfied, counterexample: replay(sat[0]) };
      return { claim, verdict: complete ? 'pass' : 'incomplete', satisfied };
    case 'always': {
      const broken = ended.find((e) => !holds(claim.predicate, e.ending, e.tasks, index, undefined, e.values));
      if (broken) return { claim, verdict: 'fail', satisfied, counterexample: replay(broken) };
      return { claim, verdict: complete ? 'pass' : 'incomplete', satisfied };
    }
    case 'sometimes':
      if (sat.length) return { claim, verdict: 'pass', satisfied, witness: replay(sat[0]) };
      return { claim, verdict: complete ? 'fail' : 'incomplete', satisfied };
    case 'eventually': {
      const broken = ended.find((e) => !e.loops && !holds(claim.predicate, e.ending, e.tasks, index, undefined, e.values));
      if (broken) return { claim, verdict: 'fail', satisfied, counterexample: replay(broken) };
      const forever = complete ? lasso?.() : undefined;
      if (forever) return { claim, verdict: 'fail', satisfied, counterexample: forever };
      return { claim, verdict: complete ? 'pass' : 'incomplete', satisfied };
    }
  }
}

export function judgeTable(table: SignatureTable, ended: readonly Ended[], index: ExecutedIndex, complete: boolean, replay: (e: Ended) => Run, expectFail = false): TableResult {
  // Per signature, the outcomes showing it, in all and by class: an outcome where two
  // harts show it counts once (once in each class they fall in).
  const acc = new Map<string, { outcomes: Set<number>; classes: Map<string, Set<number>>; hart: number; example: Ended }>();
  for (const e of ended) {
    for (const h of table.harts) {
      const sig = e.tasks[h].signature;
      const cls = table.classes.find((c) => holds(c.predicate, e.ending, e.tasks, index, h, e.values))?.name ?? 'unclassified';
      const a = acc.get(sig) ?? { outcomes: new Set(), classes: new Map(), hart: h, example: e };
      a.outcomes.add(e.outcome);
      a.classes.set(cls, (a.classes.get(cls) ?? new Set()).add(e.outcome));
      acc.set(sig, a);
    }
  }
  const counts = (a: { outcomes: Set<number>; classes: Map<string, Set<number>> }) => ({
    count: a.outcomes.size,
    classes: Object.fromEntries([...a.classes].map(([c, set]) => [c, set.size])),
  });
  const claimedBy = new Map<string, string>();
  const mentioned = new Set<string>();
  for (const r of table.rows) {
    claimedBy.set(r.signature, r.claim.kind === 'class' ? r.claim.class : 'impossible');
    mentioned.add(r.signature);
    if (r.claim.kind === 'impossible') r.claim.wouldBe.forEach((w) => mentioned.add(w.signature));
  }
  const part = (signature: string, expect: string): RowPart => {
    const seen = acc.get(signature);
    const { count: observed, classes } = seen ? counts(seen) : { count: 0, classes: {} };
    let verdict: Verdict;
    if (expect === 'impossible') verdict = observed ? 'fail' : complete ? 'pass' : 'incomplete';
    else if (!observed) verdict = complete ? 'fail' : 'incomplete';
    else verdict = Object.keys(classes).every((c) => c === expect) ? 'pass' : 'fail';
    return { signature, expect, verdict, observed, classes };
  };
  const rows: RowResult[] = table.rows.map((row) => {
    const parts =
      row.claim.kind === 'class'
        ? [part(row.signature, row.claim.class)]
        : [part(row.signature, 'impossible'), ...row.claim.wouldBe.map((w) => part(w.signature, w.class))];
    // A row claimed impossible holds of no outcome at all, as a `never` would: where no run ends, it fails.
    if (complete && !ended.length && row.claim.kind === 'impossible') return { row, verdict: 'fail', status: 'fail', parts, noRunEnds: true };
    const verdict = worst(parts.map((p) => p.verdict));
    return { row, verdict, status: statusOf(verdict, { check: row.xfail !== undefined, scenario: expectFail }), parts };
  });
  const signatures = new Map<string, SignatureResult>();
  for (const [sig, a] of acc) {
    const claimed = claimedBy.get(sig);
    signatures.set(sig, { ...counts(a), hart: a.hart, example: replay(a.example), ...(claimed ? { claimed } : {}) });
  }
  const unlisted = [...acc.keys()].filter((s) => !mentioned.has(s)).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return { rows, signatures, unlisted };
}
