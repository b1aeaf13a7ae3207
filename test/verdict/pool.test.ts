// Judging in worker threads (verdict/pool.ts): what crosses between threads arrives as it
// was sent, the results are those of one thread, the time budget stays one per scenario,
// and errors come out as they would in one thread, never as a run that waits forever.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioFiles } from '../../src/files.ts';
import { readNotebook, ScenarioError, type FetchConfigName, type Scenario } from '../../src/scenario/index.ts';
import { judgeAll, JudgePool, judgeScenario, type ScenarioResult } from '../../src/verdict/index.ts';
import { PATCH_ONE_WORD, scenario, SPIN_LOCK } from '../helpers.ts';

const ONE_WORD = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n  - always: { calls: new_target }\n`;
/** Everything but the searches' own timings, which no two runs share. */
const timeless = (rs: readonly ScenarioResult[]) => rs.map((r) => ({ ...r, configs: r.configs.map((c) => ({ ...c, stats: { ...c.stats, seconds: 0 } })) }));

describe('what crosses between threads', () => {
  it('every scenario of the repository survives structured cloning unchanged: plain data, no class instances', () => {
    const all: Scenario[] = [];
    for (const file of scenarioFiles(['scenarios'])) all.push(...readNotebook(file, readFileSync(file, 'utf8')).entries.map((e) => e.scenario));
    expect(all.length).toBeGreaterThan(50);
    for (const s of all) expect(structuredClone(s)).toStrictEqual(s);
  });

  it('a judgement survives it too, counterexamples, tables and guesses included', () => {
    const file = 'scenarios/model/ipi.md';
    for (const { scenario: s } of readNotebook(file, readFileSync(file, 'utf8')).entries) {
      for (const c of judgeScenario(s).configs) expect(structuredClone(c)).toStrictEqual(c);
    }
  });
});

describe('the judging pool', () => {
  it('judges as one thread does, whatever the number of threads (more threads than units too)', async () => {
    const scenarios = [scenario(ONE_WORD), scenario(ONE_WORD.replace('name: one-word', 'name: two'), 'two.yaml')];
    const configs: FetchConfigName[] = ['ziccid', 'ir3-fetch'];
    const one = scenarios.map((s) => judgeScenario(s, { configs }));
    for (const [jobs, here] of [[1, true], [2, true], [2, false], [5, false]] as const) {
      const threads = new Set<string>();
      const rs = await judgeAll(scenarios, { jobs, configs, here, onUnit: (u) => threads.add(u.thread) });
      expect(timeless(rs)).toStrictEqual(timeless(one));
      expect(rs[1].scenario).toBe(scenarios[1]); // the caller's own scenario, not a copy
      if (!here) expect([...threads]).toEqual(['worker']); // the workers' path, for sure
    }
  });

  it('keeps one deadline per scenario: its configurations share it, and one that starts after it is incomplete', { timeout: 60_000 }, async () => {
    const spin = scenario(SPIN_LOCK.replace('fetch: ziccif-only', 'fetch: [ziccif-only, ziccid, ir-decode, ir3-fetch]'));
    for (const jobs of [1, 2]) {
      const [r] = await judgeAll([spin], { jobs, here: jobs === 1, budget: { maxSeconds: 1, maxStates: 1_000_000 } });
      expect(r.status).toBe('incomplete');
      for (const c of r.configs) {
        expect(c).toMatchObject({ complete: false, stopped: 'time', verdict: 'incomplete' });
        for (const claim of c.claims) expect(claim.verdict).not.toBe('pass');
      }
      // A deadline per configuration would give each of the four a second of its own.
      // (One whose result a shared search gave took no time of its own.)
      const searched = r.configs.reduce((t, c) => t + (c.searchedAs ? 0 : c.stats.seconds), 0);
      expect(searched).toBeLessThan(jobs + 1);
    }
  });

  it("rejects a scenario the model cannot run with its ScenarioError, and judges the others", async () => {
    const wfi = scenario(ONE_WORD.replace('j old_target', 'wfi'));
    const pool = new JudgePool({ jobs: 2, here: false });
    try {
      const [bad, good] = [pool.judge(wfi), pool.judge(scenario(ONE_WORD))];
      await expect(bad).rejects.toThrow(ScenarioError);
      expect((await good).configs).toHaveLength(5);
    } finally {
      await pool.close();
    }
  });

  it('a bug in a unit fails every pending judgement at once, with the stack of the thread it happened in', { timeout: 60_000 }, async () => {
    const s = scenario(ONE_WORD);
    for (const jobs of [1, 2]) {
      const pool = new JudgePool({ jobs, here: jobs === 1 });
      try {
        // No such configuration: the machine cannot be built, a TypeError wherever it runs.
        const pending = [pool.judge(s), pool.judge(s, { configs: ['no-such' as FetchConfigName] }), pool.judge(s), pool.judge(s)];
        const settled = await Promise.allSettled(pending);
        const errors = settled.flatMap((x) => (x.status === 'rejected' ? [x.reason as Error] : []));
        expect(errors.length).toBeGreaterThanOrEqual(3); // the bug's, and those queued after it
        expect(errors.some((e) => e instanceof TypeError || e.name === 'TypeError')).toBe(true);
        expect(errors.find((e) => e.name === 'TypeError')!.stack).toMatch(/judge\.ts/);
        await expect(pool.judge(s)).rejects.toThrow();
      } finally {
        await pool.close();
      }
    }
  });
});
