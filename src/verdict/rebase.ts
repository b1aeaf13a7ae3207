// A judgement carried over to the same scenario read again from a rewritten text: after
// `--update` rewrites a notebook's recordings, its report must show the notebook as it now
// is, with the recordings matching, without judging it again (the runs are the same: only
// the recorded lines, and the positions after them, changed).

import type { Scenario } from '../scenario/types.ts';
import { scenarioStatus } from './expect.ts';
import { checkRecords } from './records.ts';
import type { ScenarioResult } from './types.ts';

/** `r` as the judgement of `scenario`, the same scenario re-read: claims and rows in the same order, recordings re-checked. */
export function rebaseResult(r: ScenarioResult, scenario: Scenario): ScenarioResult {
  const claimAt = new Map(r.scenario.claims.map((c, i) => [c, scenario.claims[i]]));
  const rowAt = new Map((r.scenario.table?.rows ?? []).map((row, i) => [row, scenario.table!.rows[i]]));
  const configs = r.configs.map((c) => ({
    ...c,
    claims: c.claims.map((x) => ({ ...x, claim: claimAt.get(x.claim) ?? x.claim })),
    ...(c.table ? { table: { ...c.table, rows: c.table.rows.map((x) => ({ ...x, row: rowAt.get(x.row) ?? x.row })) } } : {}),
  }));
  const records = checkRecords(scenario, configs, r.symmetry);
  return { ...r, scenario, configs, records, status: scenarioStatus(scenario, configs, records) };
}
