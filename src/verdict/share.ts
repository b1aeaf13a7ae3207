// Configurations sharing a search. Four of the suite's configurations add to the base only
// rules that join a fetch's time into a view (ir-decode-w, ir-decode, ir3f: model.ts
// WATCHABLE_RULES), and on most scenarios the views they raise are never used above what
// the base has: a hart that does no explicit load or store after a fetch, or whose FENCE.I
// or acknowledgement is already ordered after its fetches by what it loaded, runs the same
// steps under all four. A search under the base that watches those rules notes, at each
// place such a view is used (a load's or store's pre-view, a release passed on, a
// FENCE.I's fetch floor), whether the rule would have made it larger (machine/views.ts
// watchOrdering). Where no rule of a configuration ever would, in any state the search
// reached or any step it computed (hypothetical ones
// included: the reduction's and the promise certifications'), every step of the search
// is the step that configuration takes from the same state, so by induction from the
// same initial state both searches reach the same states by the same steps: the same
// runs, outcomes, counterexamples and verdicts, judged with that configuration's own
// expectations. Where one would, that configuration gets a search of its own (as it
// would without sharing). The reduced-versus-plain test (test/model/reduction.test.ts)
// judges every scenario both ways: the plain judgement searches each configuration alone.

import { FETCH_CONFIGS, ridingRules } from '../machine/model.ts';
import type { FetchConfigName } from '../scenario/types.ts';

/**
 * The configurations (by index) grouped into units of work: each unit a lead, whose
 * search the others of the unit may share, then those others. A configuration leads if
 * no other of the list has a subset of its rules differing only in watchable ones; the
 * others ride on the first lead they can (if a configuration could ride on one that rides
 * itself, it can ride on that one's lead: watchable differences add up).
 */
export function shareSearches(names: readonly FetchConfigName[]): number[][] {
  // (A name that is no configuration shares nothing: its unit fails as it would alone.)
  const rules = names.map((n) => FETCH_CONFIGS[n]?.rules);
  const ridesOn = (k: number, j: number) => j !== k && names[j] !== names[k] && rules[j] !== undefined && rules[k] !== undefined && ridingRules(rules[j], rules[k]) !== undefined;
  const leads = names.flatMap((_, k) => (names.some((_, j) => ridesOn(k, j)) ? [] : [k]));
  const units = leads.map((k) => [k]);
  names.forEach((_, k) => {
    if (leads.includes(k)) return;
    units[leads.findIndex((j) => ridesOn(k, j))].push(k);
  });
  return units;
}
