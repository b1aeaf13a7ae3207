// The yardstick: the 64 tests of the RISC-V ifetch litmus suite under each of the five
// configurations must give the verdicts of the suite's kinds files, all 320 of them; and
// the final states the engine finds must be exactly those the axiomatic oracle (a
// herd-style checker of every candidate execution, test/oracle) finds.

import { beforeAll, describe, expect, it } from 'vitest';
import { litmusVerdict } from '../../src/report/index.ts';
import { SUITE_CONFIGS, type Scenario } from '../../src/scenario/index.ts';
import { judgeScenario, type ScenarioResult } from '../../src/verdict/index.ts';
import { axiomaticExplore, project } from '../oracle/axiomatic.ts';
import { finalStates } from './finals.ts';
import { kinds, KINDS_FILES, suiteTests } from './suite.ts';

let tests: Scenario[];
const results = new Map<string, ScenarioResult>();

beforeAll(() => {
  tests = suiteTests();
  for (const t of tests) results.set(t.litmus!.name, judgeScenario(t));
}, 120_000);

describe('the ifetch litmus suite', () => {
  it('has 64 tests', () => {
    expect(tests).toHaveLength(64);
  });

  it('gives all 320 verdicts of the kinds files, none incomplete', () => {
    const disagreements: string[] = [];
    let agreed = 0;
    for (const config of SUITE_CONFIGS) {
      const want = kinds(config as keyof typeof KINDS_FILES);
      for (const t of tests) {
        const c = results.get(t.litmus!.name)!.configs.find((x) => x.model.fetch === config)!;
        expect(c.complete, `${t.litmus!.name} under ${config}`).toBe(true);
        const got = litmusVerdict(t, c).kind;
        if (got === want.get(t.litmus!.name)) agreed++;
        else disagreements.push(`${t.litmus!.name} under ${config}: ${got}, the kinds file says ${want.get(t.litmus!.name)}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(agreed).toBe(320);
  });

  it('finds exactly the final states the axiomatic oracle finds, test by test and configuration by configuration', () => {
    const differ: string[] = [];
    for (const t of tests) {
      const locs = t.litmus!.observed;
      const oracle = axiomaticExplore(t.system).finals;
      for (const c of results.get(t.litmus!.name)!.configs) {
        const mine = finalStates(c, locs);
        const theirs = [...new Set(oracle.get(c.model.fetch as never)!.map((f) => project(f, locs)))].sort();
        if (mine.join('|') !== theirs.join('|')) differ.push(`${t.litmus!.name} under ${c.model.fetch}: engine ${mine.join(' / ')}; oracle ${theirs.join(' / ')}`);
      }
    }
    expect(differ).toEqual([]);
  });
});
