// Soundness properties on random small litmus tests (fast-check):
//   - the engine finds exactly the final states the axiomatic oracle finds, under each of
//     the five configurations (each is checked candidate execution by candidate execution);
//   - every outcome reachable under a stronger configuration is reachable under a weaker
//     one (ziccid, ir-decode-w, ir-decode and ir3-fetch add rules to ziccif-only; ir-decode
//     to ir-decode-w; coherent to ziccid), and sequentially consistent data memory allows
//     no outcome RVWMO does not;
//   - a witness replays from its recorded choices to the final state it shows.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLitmus, type FetchConfigName, type Scenario } from '../../src/scenario/index.ts';
import { judgeScenario, replayMachine, type ScenarioResult } from '../../src/verdict/index.ts';
import { axiomaticExplore, project } from '../oracle/axiomatic.ts';
import { finalStates } from './finals.ts';
import { fuzzRuns } from './fuzz.ts';
import { litmusText, programArb } from './random-litmus.ts';

const runs = (n: number, seed: number) => fuzzRuns('soundness', n, seed);

const ALL: FetchConfigName[] = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch', 'coherent'];
const STRONGER: Array<[FetchConfigName, FetchConfigName]> = [
  ['ziccid', 'ziccif-only'],
  ['ir-decode-w', 'ziccif-only'],
  ['ir-decode', 'ir-decode-w'],
  ['ir3-fetch', 'ziccif-only'],
  ['coherent', 'ziccid'],
];

function judged(text: string, stores: 'rvwmo' | 'sc' = 'rvwmo'): { test: Scenario; r: ScenarioResult } {
  const test = compileLitmus('random.litmus', text);
  const s: Scenario = { ...test, system: { ...test.system, model: { ...test.system.model, stores } } };
  return { test: s, r: judgeScenario(s, { configs: ALL }) };
}

const finals = (test: Scenario, r: ScenarioResult, config: FetchConfigName) => finalStates(r.configs.find((c) => c.model.fetch === config)!, test.litmus!.observed);

describe('soundness on random litmus tests', () => {
  it('the engine and the axiomatic oracle find the same final states', () => {
    fc.assert(
      fc.property(programArb(), (program) => {
        const text = litmusText(program);
        const { test, r } = judged(text);
        for (const c of r.configs) expect(c.complete, text).toBe(true);
        const oracle = axiomaticExplore(test.system).finals;
        for (const config of ALL.filter((c) => c !== 'coherent')) {
          const theirs = [...new Set(oracle.get(config as never)!.map((f) => project(f, test.litmus!.observed)))].sort();
          expect(finals(test, r, config), `${config}\n${text}`).toEqual(theirs);
        }
      }),
      runs(100, 20261126),
    );
  }, 3_600_000);

  it('a stronger configuration allows no outcome a weaker one does not; SC data memory none that RVWMO does not', () => {
    fc.assert(
      fc.property(programArb(), (program) => {
        const text = litmusText(program);
        const { test, r } = judged(text);
        for (const [strong, weak] of STRONGER) {
          const w = new Set(finals(test, r, weak));
          for (const f of finals(test, r, strong)) expect(w.has(f), `${f} under ${strong} but not ${weak}\n${text}`).toBe(true);
        }
        const sc = judged(text, 'sc');
        for (const config of ALL) {
          const weak = new Set(finals(test, r, config));
          for (const f of finals(sc.test, sc.r, config)) expect(weak.has(f), `${f} with stores: sc but not rvwmo, ${config}\n${text}`).toBe(true);
        }
      }),
      runs(35, 7),
    );
  }, 3_600_000);

  it('replaying a witness from its recorded choices reaches the final state it shows', () => {
    fc.assert(
      fc.property(programArb(), fc.nat(), (program, pick) => {
        const text = litmusText(program);
        const { test, r } = judged(text);
        for (const c of r.configs) {
          const done = c.outcomes.filter((o) => o.ending.kind === 'complete');
          if (!done.length) continue;
          const target = done[pick % done.length];
          // A condition naming that exact final state: its witness must replay to it.
          const cond = test.litmus!.observed.map((l, i) => `${l.name}=${BigInt.asIntN(l.kind === 'reg' ? 64 : l.size * 8, target.final[i])}`).join(' /\\ ');
          const again = compileLitmus('random.litmus', text.replace(/exists \(x=0\)/, `exists (${cond})`));
          const judgedAgain = judgeScenario(again, { configs: [c.model.fetch] }).configs[0];
          const witness = judgedAgain.claims[0].witness!;
          expect(witness, text).toBeDefined();
          const m = replayMachine(again, judgedAgain);
          const steps = m.replay(witness.choices);
          const end = steps[steps.length - 1].state;
          expect(test.litmus!.observed.map((l) => m.finalValue(end, l))).toEqual(target.final);
        }
      }),
      runs(30, 11),
    );
  }, 300_000);
});
