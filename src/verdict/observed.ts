// Which final locations a scenario's claims read (its litmus test's observed ones first):
// apart from judge.ts so that the words for a run (words.ts) and herd7's outcome block need
// not load the search to list them.

import type { FinalLocation, Predicate, Scenario } from '../scenario/types.ts';

/** The locations whose final values the scenario looks at: its litmus test's, then its `final:` predicates'. */
export function observedLocations(scenario: Scenario): FinalLocation[] {
  const out: FinalLocation[] = [...(scenario.litmus?.observed ?? [])];
  const same = (a: FinalLocation, b: FinalLocation) => (a.kind === 'reg' && b.kind === 'reg' ? a.hart === b.hart && a.reg === b.reg : a.kind === 'mem' && b.kind === 'mem' && a.addr === b.addr && a.size === b.size);
  const walkCond = (c: Extract<Predicate, { kind: 'final' }>['condition']): void => {
    if (c.kind === 'eq' && !out.some((l) => same(l, c.loc))) out.push(c.loc);
    else if (c.kind === 'not') walkCond(c.arg);
    else if (c.kind === 'and' || c.kind === 'or') c.args.forEach(walkCond);
  };
  const walk = (p: Predicate): void => {
    if (p.kind === 'final') walkCond(p.condition);
    else if (p.kind === 'not') walk(p.arg);
    else if (p.kind === 'all' || p.kind === 'any') p.args.forEach(walk);
  };
  scenario.claims.forEach((c) => walk(c.predicate));
  return out;
}
