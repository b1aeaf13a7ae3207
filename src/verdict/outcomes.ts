// Distinct outcomes: the unit every count in the reports is in. A run is one interleaving
// of the harts' steps; how many interleavings end a given way says more about the search
// than about the protocol, and partial-order reduction, which explores one of many
// interleavings that commute, does not keep that number. It keeps every outcome: how the
// run ended, what each task showed, the final values observed. So claims, the table and
// herd's Positive/Negative count outcomes, as herd counts final states.

import type { Ended } from './claims.ts';
import type { Outcome } from './types.ts';

/** An ended run before it is given its outcome. */
export type Unnumbered = Omit<Ended, 'outcome'>;

const hex = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v);

/**
 * The ended runs, each numbered with its outcome, and the outcomes (in the order the
 * search met them, each with its first run's ending and tasks and its shortest run's
 * length). Two runs have the same outcome when they end alike, their tasks
 * showed the same (calls, signature, executed instructions, moves: everything a claim or
 * the table's classes can tell apart, so a claim holds of all of an outcome's runs or of
 * none) and the observed final values are equal.
 *
 * Harts of a symmetry group are interchangeable: an outcome and its twin with their parts
 * swapped are one, however many of the twins the search happened to keep (it keeps some
 * of each set of symmetric states, and which depends on the order it meets them in). So
 * their tasks count as a multiset (cpu1 calling the old target and cpu2 the new one is the
 * reverse's outcome), and a crash names its task and hart by what makes them themselves up
 * to swapping: their group and what the task showed (for the hart, its own task's).
 */
export function groupOutcomes(found: readonly Unnumbered[], groups: readonly number[][]): { outcomes: Outcome[]; ended: Ended[] } {
  const groupOf = new Map(groups.flatMap((g, k) => g.map((h) => [h, k] as const)));
  const ids = new Map<string, number>();
  const outcomes: Outcome[] = [];
  const ended = found.map((e): Ended => {
    const tasks = e.tasks.map((h) => JSON.stringify([h.calls.map((c) => `${c.stub}@${c.site.toString(16)}`), h.signature, h.executed, h.moves]));
    const parts = [...tasks.filter((_, i) => !groupOf.has(i)), ...groups.map((g) => g.map((i) => tasks[i]).sort())];
    const who = (i: number) => (groupOf.has(i) ? `group ${groupOf.get(i)}: ${tasks[i]}` : i);
    const ending = 'task' in e.ending ? { ...e.ending, task: who(e.ending.task), hart: e.ending.hart === e.ending.task ? 'its own' : who(e.ending.hart) } : e.ending;
    const key = JSON.stringify([ending, parts, e.final], hex);
    let outcome = ids.get(key);
    if (outcome === undefined) {
      outcome = outcomes.length;
      ids.set(key, outcome);
      outcomes.push({ ending: e.ending, tasks: e.tasks, depth: e.depth, final: e.final });
    } else if (e.depth < outcomes[outcome].depth) {
      // A breadth-first search meets the shortest first; a search that is not still gives the shortest.
      outcomes[outcome] = { ...outcomes[outcome], depth: e.depth };
    }
    return { ...e, outcome };
  });
  return { outcomes, ended };
}

/** How many distinct outcomes these runs have between them. */
export function countOutcomes(runs: Iterable<Ended>): number {
  const seen = new Set<number>();
  for (const e of runs) seen.add(e.outcome);
  return seen.size;
}
