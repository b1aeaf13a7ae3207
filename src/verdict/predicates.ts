// Evaluating predicates on an ended run: over the whole run, or over one task's part of
// it (the table's classes).

import type { Ending } from '../machine/types.ts';
import type { Condition, FinalLocation, Predicate } from '../scenario/types.ts';
import type { TaskObservation } from './types.ts';

const NORMAL_ENDINGS = new Set(['complete', 'deadlock']);

/** Bits of TaskObservation.moves. */
export const PREEMPTED = 1;
export const MIGRATED = 2;

/** Index of the `executed` predicate objects, as the observer numbered them. */
export type ExecutedIndex = ReadonlyMap<Predicate, number>;

/** The value a register or memory location has where the predicate is evaluated. */
export type FinalValues = (loc: FinalLocation) => bigint;

/** Wild jumps count as control leaving for a target outside any allowed set. */
function leftFor(ending: Ending | undefined, task: number | undefined): boolean {
  return ending?.kind === 'wild-jump' && (task === undefined || ending.task === task);
}

function endingHolds(p: Extract<Predicate, { kind: 'ending' }>, ending: Ending | undefined, task: number | undefined): boolean {
  if (!ending) return false; // the run has not ended
  // A crash is the task's that was running where it happened, wherever that task started.
  const own = !('task' in ending) || task === undefined || ending.task === task;
  if (p.ending === 'crash') return !NORMAL_ENDINGS.has(ending.kind) && own;
  return ending.kind === p.ending && own;
}

/** herd's propositions over final values. */
export function conditionHolds(c: Condition, values: FinalValues): boolean {
  switch (c.kind) {
    case 'eq':
      return values(c.loc) === c.value;
    case 'not':
      return !conditionHolds(c.arg, values);
    case 'and':
      return c.args.every((a) => conditionHolds(a, values));
    case 'or':
      return c.args.some((a) => conditionHolds(a, values));
    case 'true':
      return true;
    case 'false':
      return false;
  }
}

/**
 * Does `p` hold of the run (so far, when `ending` is undefined)? With `task`, of that
 * task's part only: its calls, what it executed, a crash it caused; endings that belong
 * to no task (complete, deadlock) are the run's.
 */
export function holds(p: Predicate, ending: Ending | undefined, tasks: readonly TaskObservation[], index: ExecutedIndex, task?: number, values?: FinalValues): boolean {
  const scope = task === undefined ? tasks : [tasks[task]];
  switch (p.kind) {
    case 'ending':
      return endingHolds(p, ending, task);
    case 'calls':
      return scope.some((h) => h.calls.some((c) => p.targets.includes(c.stub)));
    case 'moved': {
      const bit = p.how === 'preempted' ? PREEMPTED : MIGRATED;
      return scope.some((h) => (h.moves & bit) !== 0);
    }
    case 'no-calls':
      return scope.every((h) => h.calls.length === 0);
    case 'call-outside':
      return leftFor(ending, task) || scope.some((h) => h.calls.some((c) => !p.allowed.includes(c.stub)));
    case 'executed': {
      const bit = 1 << index.get(p)!;
      return scope.some((h) => (h.executed & bit) !== 0);
    }
    case 'final':
      return values !== undefined && conditionHolds(p.condition, values);
    case 'not':
      return !holds(p.arg, ending, tasks, index, task, values);
    case 'all':
      return p.args.every((a) => holds(a, ending, tasks, index, task, values));
    case 'any':
      return p.args.some((a) => holds(a, ending, tasks, index, task, values));
  }
}
