// herd7's outcome block, so that people used to herd read a litmus result at a glance:
//
//   Test LB.FF Allowed
//   States 4
//   0:s0=1; 1:s0=1;
//   ...
//   Ok
//   Witnesses
//   Positive: 1 Negative: 3
//   Condition exists (0:s0=2 /\ 1:s0=2)
//   Observation LB.FF Sometimes 1 3
//
// herd counts candidate executions in Positive/Negative; patchlit counts distinct final
// states, as it counts outcomes everywhere (verdict/outcomes.ts): its runs are
// interleavings, far more numerous than herd's executions, and partial-order reduction
// does not keep their number.

import type { FinalLocation, Scenario } from '../scenario/types.ts';
import { observedLocations } from '../verdict/judge.ts';
import { conditionHolds } from '../verdict/predicates.ts';
import type { ConfigResult } from '../verdict/types.ts';
import { herdStates } from '../verdict/words.ts';

export { herdStates };

const TEST_KIND = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' } as const;

/** Whether the test's outcome is observed under this configuration: herd's Ok/No, and the kinds-file word. */
export function litmusVerdict(s: Scenario, c: ConfigResult): { ok: boolean; positive: number; negative: number; kind: 'Allow' | 'Forbid' } {
  const lit = s.litmus!;
  const locs = observedLocations(s);
  const states = distinctFinals(c);
  let positive = 0;
  for (const f of states) if (conditionHolds(lit.condition, (loc) => f[locs.findIndex((l) => sameLoc(l, loc))])) positive++;
  const negative = states.length - positive;
  const ok = lit.quantifier === 'exists' ? positive > 0 : lit.quantifier === '~exists' ? positive === 0 : negative === 0;
  // Kinds files say whether the proposition can be observed: Allow when some final state satisfies it.
  return { ok, positive, negative, kind: positive > 0 ? 'Allow' : 'Forbid' };
}

function sameLoc(a: FinalLocation, b: FinalLocation): boolean {
  return a.kind === 'reg' && b.kind === 'reg' ? a.hart === b.hart && a.reg === b.reg : a.kind === 'mem' && b.kind === 'mem' && a.addr === b.addr && a.size === b.size;
}

/** Distinct final states of completed runs. */
function distinctFinals(c: ConfigResult): Array<readonly bigint[]> {
  const seen = new Map<string, readonly bigint[]>();
  for (const o of c.outcomes) if (o.ending.kind === 'complete') seen.set(o.final.join(','), o.final);
  return [...seen.values()];
}

/** herd's outcome block for one litmus scenario under one configuration. */
export function herdBlock(s: Scenario, c: ConfigResult): string[] {
  const lit = s.litmus!;
  const fmt = herdStates(s)!;
  const states = distinctFinals(c).map(fmt).sort();
  const v = litmusVerdict(s, c);
  const observation = v.positive === 0 ? 'Never' : v.negative === 0 ? 'Always' : 'Sometimes';
  const out = [`Test ${lit.name} ${TEST_KIND[lit.quantifier]}`, `States ${states.length}`, ...states, v.ok ? 'Ok' : 'No', 'Witnesses', `Positive: ${v.positive} Negative: ${v.negative}`, `Condition ${lit.quantifier} ${lit.conditionText.trim()}`, `Observation ${lit.name} ${observation} ${v.positive} ${v.negative}`];
  if (!c.complete) out.splice(1, 0, `(incomplete: the search stopped before it had seen every outcome)`);
  return out;
}
