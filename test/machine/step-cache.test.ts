// The step cache (machine/step-cache.ts, issue 13 item 4) is exact: in every state of the
// scenarios below, a machine with it offers the same steps as one without, in the same
// order, with the same transitions and events, to states with the same keys; and whole
// judgements come out the same. The cache is warmed the way a search warms it (by the
// search itself, over canonical states), so most of the steps compared come from it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine, seedFuture, type MachineModel, type MachineOptions, type MachineState, type Successor } from '../../src/machine/index.ts';
import type { StepCache, StepCacheKeys } from '../../src/machine/step-cache.ts';
import { readNotebook, type Scenario } from '../../src/scenario/index.ts';
import { judgeScenario, observedLocations, planScenario, type ScenarioResult } from '../../src/verdict/index.ts';

/**
 * The seed's scenarios, and two identical harts that may be preempted at a timer interrupt
 * and resumed on either hart (so a hart runs a task of its symmetry class other than its own).
 */
const SEED = 'scenarios/seed/three-step.md';
const MIGRATING = `
\`\`\`patchlit
name: migrating
extends: three-step
harts:
  - count: 2
    calls: func
    timer: { count: 1 }
    preempt: true
table: null
\`\`\`
`;

/** Notebooks whose scenarios are compared: the seed, and the model's mechanisms (interrupts, preemption, services, RVWMO stores, speculation, handlers, grace periods). */
const NOTEBOOKS = [
  SEED,
  'scenarios/model/interrupts.md',
  'scenarios/model/preemption.md',
  'scenarios/model/services.md',
  'scenarios/model/fences.md',
  'scenarios/model/fetch-configurations.md',
  'scenarios/model/kprobes.md',
  'scenarios/model/rcu-tasks.md',
];

/** States compared per scenario and configuration, at most (the searches are breadth-first from the start). */
const STATES = 4000;

/** The notebook's scenarios (with `migrating` after the seed's, unless `own`). */
function scenarios(file: string, own = false): Scenario[] {
  const text = readFileSync(file, 'utf8') + (file === SEED && !own ? MIGRATING : '');
  return readNotebook(file, text).entries.map((e) => e.scenario);
}

/** The machine the judge builds for a scenario under a model (first round), with or without the cache. */
function machineFor(sc: Scenario, model: MachineModel, groups: number[][], stepCache: boolean): Machine {
  const observedHarts = new Set(observedLocations(sc).flatMap((l) => (l.kind === 'reg' ? [l.hart] : [])));
  const taskClasses = sc.system.harts.map((_, i) => groups.find((g) => g.includes(i))?.[0] ?? i);
  const options: MachineOptions = { future: seedFuture(sc.system, model), observedHarts, taskClasses, stepCache };
  return new Machine(sc.system, model, options);
}

/**
 * The same state with hart states that carry no key parts cached by a machine: states given
 * to the machine without the cache (whose interned numbers differ), and its successors
 * keyed by the machine with it as if new.
 */
function fresh(s: MachineState): MachineState {
  return { ...s, harts: s.harts.map((h) => ({ ...h, id: undefined, regsId: undefined, restId: undefined })) };
}

const text = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

interface Compared {
  states: number;
  steps: number;
  hits: number;
  /** The first differences found (what, where). */
  differences: string[];
}

/**
 * Searches `cached` breadth-first (as the explorer does: keyed states, canonical hart
 * states), and compares each state's steps with those `plain` gives for the same state.
 */
function compare(cached: Machine, plain: Machine, limit = STATES): Compared {
  const out: Compared = { states: 0, steps: 0, hits: 0, differences: [] };
  const differ = (what: string, at: number) => out.differences.length < 5 && out.differences.push(`${what} (state ${at})`);
  const seen = new Set<string>();
  const start = cached.initial();
  seen.add(cached.key(start));
  const queue: MachineState[] = [cached.canonical(start)];
  for (let head = 0; head < queue.length && out.states < limit; head++) {
    const s = queue[head];
    out.states++;
    const mine: Successor[] = cached.successors(s);
    const theirs: Successor[] = plain.successors(fresh(s));
    if (mine.length !== theirs.length) {
      differ(`${mine.length} steps, not ${theirs.length}`, head);
      continue;
    }
    for (let k = 0; k < mine.length; k++) {
      out.steps++;
      const a = mine[k];
      const b = theirs[k];
      if (text(a.transition) !== text(b.transition)) differ(`step ${k}: transition ${text(a.transition)}, not ${text(b.transition)}`, head);
      if (text(a.events) !== text(b.events)) differ(`step ${k}: events ${text(a.events)}, not ${text(b.events)}`, head);
      const key = cached.key(a.state);
      if (key !== cached.key(fresh(b.state))) differ(`step ${k}: successor key differs`, head);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(cached.canonical(a.state));
      }
    }
  }
  out.hits = cacheOf(cached).hits;
  return out;
}

function cacheOf(m: Machine): StepCache {
  return m['hartSteps'];
}

/** Every scenario of the notebook under each of its configurations, compared state by state. */
function compareNotebook(file: string): { hits: number; states: number } {
  let hits = 0;
  let states = 0;
  for (const sc of scenarios(file)) {
    const plan = planScenario(sc);
    for (const model of plan.models) {
      const r = compare(machineFor(sc, model, plan.groups, true), machineFor(sc, model, plan.groups, false));
      expect(r.differences, `${sc.name} under ${model.fetch}`).toEqual([]);
      hits += r.hits;
      states += r.states;
    }
  }
  return { hits, states };
}

/** What a judgement says, without its timings. */
function judgement(r: ScenarioResult): string {
  return text(
    r.configs.map((c) => ({
      model: c.model,
      verdict: c.verdict,
      claims: c.claims,
      table: c.table,
      outcomes: c.outcomes,
      stats: { ...c.stats, seconds: 0 },
      complete: c.complete,
      stopped: c.stopped,
      rounds: c.rounds,
    })),
  );
}

describe('the step cache', () => {
  for (const file of NOTEBOOKS) {
    it(`${file}: every state's steps are those of a machine without it`, () => {
      const { hits, states } = compareNotebook(file);
      expect(states).toBeGreaterThan(0);
      // The seed's harts run plain code: many of their steps come from the cache.
      if (file.includes('seed')) expect(hits).toBeGreaterThan(states / 2);
    });
  }

  // Whole judgements, where they are quick (the seed's are held to the committed report by
  // test/verdict/seed.test.ts, with the cache, and to the steps above state by state).
  for (const file of NOTEBOOKS.filter((f) => f !== SEED)) {
    it(`${file}: judgements are the same with it and without`, () => {
      for (const sc of scenarios(file, true)) {
        const budget = { maxSeconds: 600 };
        expect(judgement(judgeScenario(sc, { budget, stepCache: true })), sc.name).toBe(judgement(judgeScenario(sc, { budget, stepCache: false })));
      }
    }, 300_000);
  }

  it('the comparison catches a cache keyed without the timeline', () => {
    const sc = scenarios(SEED)[0];
    const plan = planScenario(sc);
    const model = plan.models[0];
    const m = machineFor(sc, model, plan.groups, true);
    const cache = cacheOf(m) as unknown as { keys: StepCacheKeys };
    // Every timeline the same: a hart's fetches would see the code as it was when first met.
    cache.keys = { ...cache.keys, timelineId: () => 0 };
    const r = compare(m, machineFor(sc, model, plan.groups, false));
    expect(r.hits).toBeGreaterThan(0);
    expect(r.differences).not.toEqual([]);
  });
});
