// Recorded observations, kept in the notebook the way snapshot tests keep theirs:
// `outcomes:` lists the scenario's distinct outcomes, the table's `observed:` every
// signature seen with its classes, one line each. A run writes what it saw as the same
// lines and compares: a change is a failure (its message the diff), and `--update`
// writes the new lines back. Lines carry no run counts, which say more about the
// search than about the protocol, and are sorted, so a recording changes only when what
// can happen changes.

import type { FetchConfigName, Scenario } from '../scenario/types.ts';
import type { ConfigResult, Outcome, RecordCheck } from './types.ts';
import { endingText, herdStates, Names, taskIndices } from './words.ts';

/** Each task's calls as one line; tasks of a symmetry group are interchangeable, so their parts are sorted. */
export function outcomeLine(o: Outcome, s: Scenario, names: Names, groups: readonly (readonly number[])[]): string {
  const calls = o.tasks.map((h) => (h.calls.length ? h.calls.map((c) => c.stub).join(', ') : 'no calls'));
  for (const g of groups) {
    const sorted = g.map((h) => calls[h]).sort();
    g.forEach((h, i) => (calls[h] = sorted[i]));
  }
  const finals = herdStates(s);
  const parts = [endingText(o.ending, names), ...taskIndices(s).map((i) => `${names.hart(i)}: ${calls[i]}`)];
  if (finals) parts.push(finals(o.final));
  return parts.join('; ');
}

/** Lines seen under each configuration, merged: a line not seen under all of them names those it was seen under. */
function merge(perConfig: ReadonlyArray<{ fetch: FetchConfigName; lines: ReadonlySet<string> }>): string[] {
  const all = new Set(perConfig.flatMap((c) => [...c.lines]));
  return [...all].sort().map((line) => {
    const under = perConfig.filter((c) => c.lines.has(line)).map((c) => c.fetch);
    return under.length === perConfig.length ? line : `${line} [${under.join(', ')}]`;
  });
}

/** The `outcomes:` lines this run saw. */
export function outcomeLines(s: Scenario, configs: readonly ConfigResult[], groups: readonly (readonly number[])[]): string[] {
  const names = new Names(s);
  return merge(configs.map((c) => ({ fetch: c.model.fetch, lines: new Set(c.outcomes.map((o) => outcomeLine(o, s, names, groups))) })));
}

/** The table's `observed:` lines: each signature seen, in the author's row style, with the classes its runs fall in. */
export function observedLines(configs: readonly ConfigResult[]): string[] {
  return merge(
    configs.map((c) => ({
      fetch: c.model.fetch,
      lines: new Set([...(c.table?.signatures ?? new Map())].map(([sig, r]) => `${sig} -- ${Object.keys(r.classes).sort().join(', ')}`)),
    })),
  );
}

/** Lines compare without regard to spacing. */
const norm = (l: string) => l.trim().replace(/\s+/g, ' ');

/** The recorded lines as they compare: spacing normalised, each once, sorted. */
function recordedLines(lines: readonly string[]): string[] {
  return [...new Set(lines.map(norm))].sort();
}

/**
 * A recording against what was seen, diff-style, every line of either once and sorted:
 * `-` only recorded, `+` only observed, ` ` both.
 */
export function recordDiff(check: RecordCheck): Array<{ readonly mark: '-' | '+' | ' '; readonly line: string }> {
  const want = new Set(recordedLines(check.recorded.lines));
  const got = new Set(check.observed.map(norm));
  return [...new Set([...want, ...got])].sort().map((line) => ({ mark: want.has(line) ? (got.has(line) ? ' ' : '-') : '+', line }));
}

export function checkRecords(scenario: Scenario, configs: readonly ConfigResult[], groups: readonly (readonly number[])[]): RecordCheck[] {
  return (scenario.recorded ?? []).map((recorded) => {
    const observed = recorded.kind === 'outcomes' ? outcomeLines(scenario, configs, groups) : observedLines(configs);
    const want = recordedLines(recorded.lines);
    const got = observed.map(norm);
    // A search that ran out of budget saw only some of the runs: it cannot tell a change.
    const complete = configs.every((c) => c.complete);
    const matches = !complete || (want.length === got.length && want.every((l, i) => l === got[i]));
    return { recorded, observed, matches };
  });
}
