// Shared by the tests: scenarios from YAML text, and what running them gives.

import { compileLitmus, readNotebook, ScenarioError, type FetchConfigName, type Scenario } from '../src/scenario/index.ts';
import type { FinalLocation } from '../src/scenario/types.ts';
import { judgeScenario, observedLocations, type ConfigResult, type ScenarioResult } from '../src/verdict/index.ts';
import { executedPredicates } from '../src/verdict/observer.ts';
import { holds } from '../src/verdict/predicates.ts';
import type { Outcome } from '../src/verdict/types.ts';
import type { Machine } from '../src/machine/index.ts';
import type { MachineEvent, MachineState } from '../src/machine/types.ts';

export function scenario(yaml: string, file = 'test.yaml'): Scenario {
  try {
    return readNotebook(file, yaml).entries[0].scenario;
  } catch (e) {
    if (e instanceof ScenarioError) throw new Error(e.message);
    throw e;
  }
}

/** The diagnostics a bad scenario gets, as "line:col: message" strings. */
export function errors(text: string, file = 'bad.yaml'): string[] {
  try {
    readNotebook(file, text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
    throw e;
  }
  return [];
}

export function run(yaml: string, options: Parameters<typeof judgeScenario>[1] = {}): ScenarioResult {
  return judgeScenario(scenario(yaml), options);
}

/** Every way of permuting the members of each group among themselves, as a map of indices. */
function permutations(groups: readonly (readonly number[])[]): Array<Map<number, number>> {
  const perms = (xs: readonly number[]): number[][] => (xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));
  let out: Array<Map<number, number>> = [new Map()];
  for (const g of groups) out = out.flatMap((m) => perms(g).map((p) => new Map([...m, ...g.map((h, k) => [h, p[k]] as const)])));
  return out;
}

/**
 * An outcome's identity up to permuting the harts of `groups` (their tasks, and the hart
 * and task an ending names), written here apart from the judge's (verdict/outcomes.ts) so
 * that tests count outcomes their own way: the least key over every permutation.
 */
export function outcomeUpTo(o: Outcome, groups: readonly (readonly number[])[]): string {
  const task = (i: number) => JSON.stringify([o.tasks[i].calls.map((c) => `${c.stub}@${c.site}`), o.tasks[i].signature, o.tasks[i].executed, o.tasks[i].moves]);
  const keys = permutations(groups).map((perm) => {
    const to = (i: number) => perm.get(i) ?? i;
    const tasks: string[] = [];
    o.tasks.forEach((_, i) => (tasks[to(i)] = task(i)));
    const ending = { ...o.ending, ...('task' in o.ending ? { task: to(o.ending.task), hart: to(o.ending.hart) } : {}) };
    return [JSON.stringify(ending, (_k, v) => (typeof v === 'bigint' ? String(v) : v)), ...tasks, o.final.join(',')].join('#');
  });
  return keys.sort()[0];
}

/** Distinct outcomes of `c` up to permuting the tasks of `groups`. */
export function outcomesUpTo(c: ConfigResult, groups: readonly (readonly number[])[]): number {
  return new Set(c.outcomes.map((o) => outcomeUpTo(o, groups))).size;
}

/** Claim `k`'s count recomputed from the outcomes: those its predicate holds in, up to permuting the tasks of `groups`. */
export function satisfiedUpTo(r: ScenarioResult, c: ConfigResult, k: number, groups: readonly (readonly number[])[]): number {
  const index = new Map(executedPredicates(r.scenario).map((p, i) => [p, i] as const));
  const where = (l: FinalLocation) => (l.kind === 'reg' ? `${l.hart}:${l.reg}` : `${l.addr}/${l.size}`);
  const locs = observedLocations(r.scenario).map(where);
  const seen = new Set<string>();
  for (const o of c.outcomes) {
    const values = (loc: FinalLocation) => o.final[locs.indexOf(where(loc))];
    if (holds(r.scenario.claims[k].predicate, o.ending, o.tasks, index, undefined, values)) seen.add(outcomeUpTo(o, groups));
  }
  return seen.size;
}

/** The result under one configuration (the first judged, or the one named). */
export function under(r: ScenarioResult, config?: FetchConfigName): ConfigResult {
  const c = config ? r.configs.find((x) => x.model.fetch === config) : r.configs[0];
  if (!c) throw new Error(`not judged under ${config}`);
  return c;
}

/** The endings and each task's calls of every outcome (under one configuration), as short strings, sorted. */
export function outcomes(r: ScenarioResult, config?: FetchConfigName): string[] {
  const tasks = r.scenario.system.harts.flatMap((h, i) => (h.spare ? [] : [i]));
  return under(r, config)
    .outcomes.map((o) => `${o.ending.kind}: ${tasks.map((i) => o.tasks[i].calls.map((c) => c.stub).join('+') || '-').join(' ')}`)
    .sort();
}

/** A litmus test from its text. */
export function litmus(text: string, file = 'test.litmus'): Scenario {
  try {
    return compileLitmus(file, text);
  } catch (e) {
    if (e instanceof ScenarioError) throw new Error(e.message);
    throw e;
  }
}

/** Whether a litmus test's condition is observed (some final state satisfies it) under each configuration named. */
export function allowed(test: Scenario, configs: readonly FetchConfigName[], stores: 'rvwmo' | 'sc' = 'rvwmo'): Record<string, boolean> {
  const s: Scenario = { ...test, system: { ...test.system, model: { ...test.system.model, stores } } };
  const r = judgeScenario(s, { configs });
  return Object.fromEntries(r.configs.map((c) => [c.model.fetch, c.claims[0].verdict === (test.litmus!.quantifier === 'exists' ? 'pass' : 'fail')]));
}

/** A function `func` whose first word a patcher replaces; a remote hart calls it. */
export const PATCH_ONE_WORD = `
name: one-word
symbols:
  old_target: 0x80000800
  new_target: 0x80000900
stubs:
  old_target: { return: ra }
  new_target: { return: ra }
code:
  func:
    at: 0x80000000
    asm: |
      j old_target
insns:
  NEW: j new_target
patch:
  - store: { at: func, insn: NEW }
harts:
  - calls: func
`;

/**
 * Two harts take a spin lock with amoswap.w.aq in a retry loop, bump a counter, release
 * with a fence and a plain store (issue 12). Under RVWMO every failed swap is one more
 * store in the timeline, so states never repeat, and each step of a spinning hart needs
 * certification searches that run to their limit: without a deadline inside them, a
 * search told to stop after seconds ran for hours.
 */
export const SPIN_LOCK = `
name: spin-lock
model: { fetch: ziccif-only, stores: rvwmo }
data:
  lock: { at: 0x80002000, asm: ".word 0" }
  counter: { at: 0x80002040, asm: ".word 0" }
code:
  locker:
    at: 0x80001000
    asm: |
      li t1, 1
      retry:
      amoswap.w.aq t0, t1, (s0)
      bnez t0, retry
      lw t2, 0(s1)
      addi t2, t2, 1
      sw t2, 0(s1)
      fence rw,w
      sw zero, 0(s0)
      done:
      nop
harts:
  - run: locker
    until: done
    regs: { s0: lock, s1: counter }
  - run: locker
    until: done
    regs: { s0: lock, s1: counter }
claims:
  - never: crash
  - always: { final: "counter=2" }
`;

/** A function whose entry is an AUIPC+JALR pair calling t_old (scenario head: no patch, no harts). */
export function pairSite(name: string, tNew: string): string {
  return `
name: ${name}
symbols:
  t_old: 0x80010000
  t_new: ${tNew}
stubs:
  t_old: { return: t0 }
  t_new: { return: t0 }
code:
  func:
    at: 0x80000000
    asm: |
      auipc t0, %hi(t_old - func)
      jalr t0, %lo(t_old - func)(t0)
      ret
`;
}

/** A table for PATCH_ONE_WORD: letters f (FENCE.I) and 0 (runs func), classes by call; rows to add. */
export function oneWordTable(rows: string): string {
  return `table:
  alphabet:
    f: fence.i
    "0": { exec: func }
  classes:
    new: { calls: new_target }
    old: { calls: old_target }
  rows: |
${rows}`;
}

/** Every event of every transition between reachable states of a machine (each state explored once): for small scenarios. */
export function reachableEvents(m: Machine): MachineEvent[] {
  const seen = new Set<string>();
  const out: MachineEvent[] = [];
  const queue: MachineState[] = [m.initial()];
  while (queue.length) {
    for (const n of m.successors(queue.pop()!)) {
      out.push(...n.events);
      const k = m.key(n.state);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(n.state);
      }
    }
  }
  return out;
}

/**
 * A JUnit report with its wall times (every `time` attribute) set to 0: the one part of
 * any report that differs from run to run (report/junit.ts), left out where reports are
 * compared byte for byte.
 */
export function junitWithoutTimes(xml: string): string {
  return xml.replace(/ time="\d+\.\d{3}"/g, ' time="0"');
}
