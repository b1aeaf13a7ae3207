// A configuration whose search the time budget cut off. How far a search gets in so many
// seconds is the machine's speed and load, not the scenario's: the states it reached, the
// outcomes and runs it saw by then, even whether it found a counterexample in time, would
// make two runs of one input give two reports. So its result says only that it is
// incomplete, for time: every check undecided, no outcome, no run. The figures the search
// reached stay in `stats` for the terminal (the progress line, the "over its time budget"
// message); reports leave them out. A search cut by --max-states is another matter: it
// stops at the same state every time, and reports what it saw.

import type { ExploreStats } from '../explore/types.ts';
import type { FutureValues } from '../machine/core.ts';
import type { MachineModel } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { ConfigResult } from './types.ts';

export function cutOffByTime(scenario: Scenario, model: MachineModel, stats: Omit<ExploreStats, 'executions'>, rounds: number, guesses: FutureValues): ConfigResult {
  const table = scenario.table && {
    rows: scenario.table.rows.map((row) => {
      const expected = row.claim.kind === 'class' ? [{ signature: row.signature, expect: row.claim.class }] : [{ signature: row.signature, expect: 'impossible' }, ...row.claim.wouldBe.map((w) => ({ signature: w.signature, expect: w.class }))];
      return { row, verdict: 'incomplete' as const, status: 'incomplete' as const, parts: expected.map((p) => ({ ...p, verdict: 'incomplete' as const, observed: 0, classes: {} })) };
    }),
    signatures: new Map(),
    unlisted: [],
  };
  return {
    model,
    verdict: 'incomplete',
    claims: scenario.claims.map((claim) => ({ claim, verdict: 'incomplete', status: 'incomplete', satisfied: 0 })),
    ...(table ? { table } : {}),
    outcomes: [],
    stats,
    complete: false,
    stopped: 'time',
    rounds,
    guesses,
  };
}
