// The observer a scenario's claims and table need: it folds each step's events into what
// every task has shown (calls, signature letters, executed instructions and pairs), and
// nothing more, so that runs differing only in what nobody asked about still merge in the
// search. A task is a remote hart's driver or code; it is what claims speak of. It runs on
// the hart it is named after until it is preempted, and may then resume on another hart:
// what it does there is still its own (an AUIPC on one hart and a JALR on another, back to
// back in the task, are a pair), so everything here is kept per task, never per hart.

import type { Observer } from '../explore/types.ts';
import type { IntKey } from '../machine/int-tuples.ts';
import type { MachineEvent } from '../machine/types.ts';
import type { Predicate, Scenario } from '../scenario/types.ts';
import { MIGRATED, PREEMPTED } from './predicates.ts';
import type { TaskObservation } from './types.ts';

interface TaskObs extends TaskObservation {
  /** Cache: interned number of this observation (not part of it). */
  id?: number;
  /** Bit i: the last instruction this task executed was the first of executed-pair i. */
  readonly pending: number;
  /** The last executed pc, kept only where a letter's `after` needs it. */
  readonly lastPc: bigint | undefined;
  /** The hart it was last preempted on while it waits to be resumed (-1 otherwise), kept only where `migrated` is asked. */
  readonly leftHart: number;
}

/** Per task (by remote hart index; a spare hart's entry stays empty: it has no task). */
export interface Observation {
  readonly tasks: readonly TaskObs[];
  /** Bit j: the patch step that `after:`/`before:` reference j names has been made. */
  readonly steps: number;
}

type ExecutedPredicate = Extract<Predicate, { kind: 'executed' }>;

/** The predicates the claims and the table's classes are made of, `not`, `all` and `any` opened, in the order written. */
function leafPredicates(scenario: Scenario): Predicate[] {
  const out: Predicate[] = [];
  const walk = (p: Predicate) => {
    if (p.kind === 'not') walk(p.arg);
    else if (p.kind === 'all' || p.kind === 'any') p.args.forEach(walk);
    else out.push(p);
  };
  scenario.claims.forEach((c) => walk(c.predicate));
  scenario.table?.classes.forEach((c) => walk(c.predicate));
  return out;
}

/** Every `executed` predicate of the claims and the table's classes, numbered. */
export function executedPredicates(scenario: Scenario): ExecutedPredicate[] {
  const out = leafPredicates(scenario).filter((p): p is ExecutedPredicate => p.kind === 'executed');
  if (out.length > 31) throw new Error('at most 31 "executed" predicates per scenario');
  return out;
}

/** The ways of moving (`preempted`, `migrated`) that the claims and the table's classes ask about. */
function movePredicates(scenario: Scenario): Set<'preempted' | 'migrated'> {
  return new Set(leafPredicates(scenario).flatMap((p) => (p.kind === 'moved' ? [p.how] : [])));
}

export function scenarioObserver(scenario: Scenario, executed: readonly ExecutedPredicate[]): Observer<Observation, MachineEvent> {
  const table = scenario.table;
  const signed = new Set(table?.harts ?? []);
  const letters = [...(table?.alphabet ?? [])].sort((a, b) => Number(b.event.kind === 'exec' && b.event.after !== undefined) - Number(a.event.kind === 'exec' && a.event.after !== undefined));
  const fenceLetter = letters.find((l) => l.event.kind === 'fence.i')?.letter;
  const afterAddrs = new Set(letters.flatMap((l) => (l.event.kind === 'exec' && l.event.after !== undefined ? [l.event.after] : [])));

  const initialTask: TaskObs = { calls: [], signature: '', executed: 0, pending: 0, lastPc: undefined, moves: 0, leftHart: -1 };
  // How tasks move matters only where a predicate asks: otherwise it stays out of the state.
  const moves = movePredicates(scenario);
  const ids = new Map<string, number>();
  const taskId = (h: TaskObs): number => {
    if (h.id !== undefined) return h.id;
    const k = `${h.calls.map((c) => `${c.stub}@${c.site.toString(16)}`).join(',')}/${h.signature}/${h.executed}/${h.pending}/${h.lastPc?.toString(16) ?? ''}/${h.moves}.${h.leftHart}`;
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    h.id = id;
    return id;
  };

  // The patch steps `after:` and `before:` name, numbered: their bits in Observation.steps.
  const stepRefs: Array<{ patcher: number; step: number }> = [];
  const stepBit = (ref: { patcher: number; step: number } | undefined): number => {
    if (!ref) return 0;
    let j = stepRefs.findIndex((r) => r.patcher === ref.patcher && r.step === ref.step);
    if (j < 0) j = stepRefs.push({ patcher: ref.patcher, step: ref.step }) - 1;
    return 1 << j;
  };
  const afterBits = executed.map((p) => stepBit(p.after));
  const beforeBits = executed.map((p) => stepBit(p.before));
  if (stepRefs.length > 31) throw new Error('at most 31 patch steps named by after: and before:');
  // Whether predicate i may count an instruction now: the first once its `after` step was made, the last while its `before` step is not.
  const mayStart = (i: number, steps: number) => (steps & afterBits[i]) === afterBits[i] && (executed[i].insns.length > 1 || (steps & beforeBits[i]) === 0);
  const mayEnd = (i: number, steps: number) => (steps & beforeBits[i]) === 0;

  const onExec = (h: TaskObs, signs: boolean, pc: bigint, bits: number, steps: number): TaskObs => {
    let signature = h.signature;
    if (signs) {
      const letter = letters.find((l) => l.event.kind === 'exec' && l.event.at === pc && (l.event.after === undefined || l.event.after === h.lastPc));
      if (letter) signature += letter.letter;
    }
    let done = h.executed;
    let pending = 0;
    for (let i = 0; i < executed.length; i++) {
      const p = executed[i];
      const bit = 1 << i;
      const first = p.insns[0];
      const second = p.insns[1];
      if (second === undefined) {
        if (pc === p.at && bits === first.bits && mayStart(i, steps)) done |= bit;
        continue;
      }
      if (h.pending & bit && pc === p.at + BigInt(first.length) && bits === second.bits && mayEnd(i, steps)) done |= bit;
      if (pc === p.at && bits === first.bits && mayStart(i, steps)) pending |= bit;
    }
    const lastPc = afterAddrs.has(pc) ? pc : undefined;
    // Most instructions change nothing observed: keep the object, and with it the cached key.
    if (signature === h.signature && done === h.executed && pending === h.pending && lastPc === h.lastPc) return h;
    return { ...h, signature, executed: done, pending, lastPc, id: undefined };
  };

  // The pcs whose execution some letter or `executed` predicate may note, now or once
  // other actors have moved (`after:`/`before:` steps): elsewhere an instruction changes
  // a task's observation only through that task's own state (the pair it may be in the
  // middle of, the last pc a letter's `after` remembers), which no other actor touches.
  const watched = new Set<bigint>();
  for (const l of letters) if (l.event.kind === 'exec') watched.add(l.event.at);
  for (const a of afterAddrs) watched.add(a);
  for (const p of executed) {
    watched.add(p.at);
    watched.add(p.at + BigInt(p.insns[0].length));
  }

  const observer: Observer<Observation, MachineEvent> = {
    initial: { tasks: scenario.system.harts.map(() => initialTask), steps: 0 },
    observe(o: Observation, events: readonly MachineEvent[]): Observation {
      let tasks: TaskObs[] | undefined;
      let steps = o.steps;
      for (const e of events) {
        if (e.kind === 'patch-step' && stepRefs.length) {
          const j = stepRefs.findIndex((r) => r.patcher === e.patcher && r.step === e.step);
          if (j >= 0) steps |= 1 << j;
          continue;
        }
        if ((e.kind === 'preempted' || e.kind === 'resumed') && moves.size) {
          const h = (tasks ?? o.tasks)[e.task];
          const next: TaskObs =
            e.kind === 'preempted'
              ? { ...h, moves: h.moves | PREEMPTED, leftHart: moves.has('migrated') ? e.hart : -1, id: undefined }
              : { ...h, moves: h.moves | (moves.has('migrated') && e.hart !== h.leftHart ? MIGRATED : 0), leftHart: -1, id: undefined };
          (tasks ??= o.tasks.slice())[e.task] = next;
          continue;
        }
        if (e.kind !== 'exec' && e.kind !== 'call' && e.kind !== 'fence.i') continue;
        // A FENCE.I on a hart that runs no task (a spare, idle) belongs to nobody's signature.
        if (e.task < 0) continue;
        const h = (tasks ?? o.tasks)[e.task];
        let next = h;
        if (e.kind === 'exec') next = onExec(h, signed.has(e.task), e.pc, e.bits, steps);
        else if (e.kind === 'call') next = { ...h, calls: [...h.calls, { stub: e.stub, site: e.site }], id: undefined };
        else if (fenceLetter && signed.has(e.task)) next = { ...h, signature: h.signature + fenceLetter, id: undefined };
        if (next !== h) (tasks ??= o.tasks.slice())[e.task] = next;
      }
      return tasks || steps !== o.steps ? { tasks: tasks ?? o.tasks, steps } : o;
    },
    keyInto(o: Observation, out: IntKey): void {
      for (const h of o.tasks) out.push(taskId(h));
      out.push(o.steps);
    },
    sharedKey(o: Observation): number {
      return o.steps;
    },
    actorKeys(o: Observation, out: number[] = []): number[] {
      out.length = o.tasks.length;
      for (let i = 0; i < o.tasks.length; i++) out[i] = taskId(o.tasks[i]);
      return out;
    },
    invisible(o: Observation, events: readonly MachineEvent[]): boolean {
      return events.every((e) => e.kind !== 'exec' || !watched.has(e.pc)) && observer.observe(o, events) === o;
    },
  };
  return observer;
}
