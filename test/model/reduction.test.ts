// Partial-order reduction (JudgeOptions.reduction) must leave the tool as it is: every
// scenario, judged with and without it, under each of its fetch configurations, gets the
// same verdicts and statuses, a counterexample or witness of the same length wherever
// the other has one, the same outcomes (each at the same shortest depth), the same table
// results and the same checks of its recorded observations (same-judgement.ts says what is
// compared). Two corpora:
//   A. every scenario under scenarios/, as `patchlit run scenarios` judges them (under
//      `npm run fuzz`, under all six fetch configurations as well);
//   B. random small scenarios (random-scenario.ts), 600 under npm test and PATCHLIT_FUZZ
//      times as many from a fresh seed under `npm run fuzz`.
// A search that runs out of its budget without the reduction is not compared (a verdict
// it has not reached says nothing); the test says which were skipped.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioFiles } from '../../src/files.ts';
import { FETCH_CONFIG_NAMES, readNotebook, ScenarioError, type Scenario } from '../../src/scenario/index.ts';
import { judgeScenario, type ConfigResult, type JudgeOptions, type ScenarioResult } from '../../src/verdict/index.ts';
import { scenario as compile } from '../helpers.ts';
import { FUZZ_SCALE, FUZZING, fuzzRuns } from './fuzz.ts';
import { MAX_WORK, scenarioArb, scenarioText, type RandomScenario } from './random-scenario.ts';
import { differenceText, judgementDifferences } from './same-judgement.ts';

const NAMES = ['reduced', 'plain'] as const;

/**
 * The scenario judged both ways, and how long each took; or, where a search ran out of its
 * budget without the reduction, or out of time with it (a loaded machine's doing, not the
 * reduction's), the configurations that did.
 */
function bothWays(s: Scenario, options: JudgeOptions = {}): { reduced: ScenarioResult; plain: ScenarioResult; ms: [number, number] } | { incomplete: readonly ConfigResult[] } {
  let t = performance.now();
  const plain = judgeScenario(s, { ...options, reduction: false });
  const plainMs = performance.now() - t;
  if (plain.configs.some((c) => !c.complete)) return { incomplete: plain.configs.filter((c) => !c.complete) };
  t = performance.now();
  const reduced = judgeScenario(s, { ...options, reduction: true });
  const reducedMs = performance.now() - t;
  if (reduced.configs.some((c) => c.stopped === 'time')) return { incomplete: reduced.configs.filter((c) => c.stopped === 'time') };
  return { reduced, plain, ms: [reducedMs, plainMs] };
}

const diffReport = (a: ScenarioResult, b: ScenarioResult) => judgementDifferences(a, b).map((d) => differenceText(d, NAMES));

describe('the comparison of two judgements', () => {
  const three = readNotebook('scenarios/seed/three-step.md', readFileSync('scenarios/seed/three-step.md', 'utf8')).entries[0].scenario;
  const r = judgeScenario(three, { configs: ['ziccif-only', 'ziccid'] });

  it('finds none between a judgement and itself', () => {
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.configs[1].table).toBeDefined();
    expect(judgementDifferences(r, judgeScenario(three, { configs: ['ziccif-only', 'ziccid'] }))).toEqual([]);
  });

  it('reports each thing perturbed, with the scenario, the configuration and the check', () => {
    const c = r.configs[1];
    const table = c.table!;
    const claims = c.claims.map((x, i) => (i === 5 ? { ...x, witness: { ...x.witness!, steps: x.witness!.steps.slice(1) } } : i === 0 ? { ...x, verdict: 'fail' as const, status: 'fail' as const } : x));
    const outcomes = [...c.outcomes.slice(1, -1), { ...c.outcomes[c.outcomes.length - 1], depth: c.outcomes[c.outcomes.length - 1].depth + 1 }];
    const rows = table.rows.map((row, k) => (k === 1 ? { ...row, verdict: row.verdict === 'pass' ? ('fail' as const) : ('pass' as const) } : row));
    const [sig, first] = [...table.signatures][0];
    const signatures = new Map([...table.signatures, [sig, { ...first, classes: { ...first.classes, perturbed: 1 } }]]);
    const perturbed: ScenarioResult = {
      ...r,
      records: r.records.map((x, i) => (i === 0 ? { ...x, matches: !x.matches } : x)),
      configs: [r.configs[0], { ...c, complete: false, claims, outcomes, table: { ...table, rows, signatures } }],
    };
    const found = judgementDifferences(perturbed, r);
    const where = found.map((d) => [d.config ?? '', d.check ?? '', d.what]);
    expect(where).toEqual(
      expect.arrayContaining([
        ['', `records 1 (${r.records[0].recorded.kind})`, 'matches'],
        ['ziccid', '', 'complete'],
        ['ziccid', `claim 1 (${three.claims[0].text})`, 'verdict'],
        ['ziccid', `claim 1 (${three.claims[0].text})`, 'status'],
        ['ziccid', `claim 6 (${three.claims[5].text})`, 'witness'],
        ['ziccid', 'outcomes', 'outcome'],
        ['ziccid', `row ${table.rows[1].row.signature} -- ${table.rows[1].row.text}`, 'verdict'],
        ['ziccid', 'table', 'signature seen'],
      ]),
    );
    // Nothing under the configuration left alone; the first outcome dropped, the last at another depth.
    expect(found.filter((d) => d.config === 'ziccif-only')).toEqual([]);
    expect(found.filter((d) => d.check === 'outcomes').map((d) => [d.what.replace(/ to .*/, ''), d.a, d.b])).toEqual([
      ['outcome', 'absent', expect.stringContaining('{"kind"')],
      ['shortest run', `${c.outcomes[c.outcomes.length - 1].depth + 1} steps`, `${c.outcomes[c.outcomes.length - 1].depth} steps`],
    ]);
    const witness = found.find((d) => d.what === 'witness')!;
    expect(differenceText(witness, NAMES)).toBe(
      `three-step / ziccid / claim 6 (${three.claims[5].text}): witness: reduced a run of ${c.claims[5].witness!.steps.length - 1} steps, plain a run of ${c.claims[5].witness!.steps.length} steps`,
    );
  });
});

// Corpus A: the scenarios `patchlit run scenarios` judges, one test each.
const CORPUS = scenarioFiles(['scenarios']).flatMap((file) => readNotebook(file, readFileSync(file, 'utf8')).entries.map((e) => ({ file, scenario: e.scenario })));

describe('corpus A: every scenario under scenarios/, judged with and without the reduction', () => {
  it('is the whole corpus', () => {
    // Notebooks, YAML and litmus files alike (a litmus block in a notebook is one of its entries).
    expect(CORPUS.length).toBeGreaterThan(100);
    expect(CORPUS.some((c) => c.scenario.litmus)).toBe(true);
  });

  for (const { file, scenario } of CORPUS) {
    it(`${file}#${scenario.name}`, (ctx) => {
      const both = bothWays(scenario);
      if ('incomplete' in both) return ctx.skip(`not compared: a search ran out of its budget under ${both.incomplete.map((c) => `${c.model.fetch} (${c.stopped})`).join(', ')}`);
      expect(diffReport(both.reduced, both.plain)).toEqual([]);
      // The long run: under every configuration, not only those the scenario names.
      if (FUZZING) {
        const all = bothWays(scenario, { configs: FETCH_CONFIG_NAMES });
        if (!('incomplete' in all)) expect(diffReport(all.reduced, all.plain)).toEqual([]);
      }
    }, 600_000);
  }
});

describe('corpus B: random small scenarios, judged with and without the reduction', () => {
  it(`${600 * FUZZ_SCALE} random scenarios (incomplete searches skipped, counted below)`, () => {
    const seen = { judged: 0, rejected: [] as string[], incomplete: 0, ms: [0, 0], features: new Map<string, number>() };
    const count = (feature: string, yes: boolean) => yes && seen.features.set(feature, (seen.features.get(feature) ?? 0) + 1);
    const runs = fuzzRuns('reduction', 600, 20261206);
    fc.assert(
      fc.property(scenarioArb(FUZZING ? (3 * MAX_WORK) / 2 : MAX_WORK), (random: RandomScenario) => {
        const text = scenarioText(random, FUZZING ? 4000 : 1500);
        let s: Scenario;
        try {
          s = compile(text, 'random.yaml');
        } catch (e) {
          seen.rejected.push(`${(e as Error).message}\n${text}`);
          return;
        }
        let both: ReturnType<typeof bothWays>;
        try {
          both = bothWays(s);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          seen.rejected.push(`${e.message}\n${text}`);
          return;
        }
        if ('incomplete' in both) {
          seen.incomplete++;
          return;
        }
        seen.judged++;
        seen.ms[0] += both.ms[0];
        seen.ms[1] += both.ms[1];
        const tasks = s.system.harts.filter((h) => !h.spare).length;
        count(`${tasks} remote harts`, true);
        count('a symmetry group', both.plain.symmetry.length > 0);
        count('timer interrupts', s.system.harts.some((h) => h.timer));
        count('preemption', s.system.harts.some((h) => h.preempt));
        count('a trap-return fixup', s.system.fixups.length > 0);
        count('a table', !!s.table);
        count('recorded outcomes', !!s.recorded?.length);
        for (const q of ['never', 'always', 'sometimes', 'eventually']) count(`${q} claims`, s.claims.some((c) => c.quantifier === q));
        count('a failing claim', both.plain.configs.some((c) => c.claims.some((x) => x.verdict === 'fail')));
        count('a crash', both.plain.configs.some((c) => c.outcomes.some((o) => o.ending.kind !== 'complete' && o.ending.kind !== 'deadlock')));
        count('a deadlock or a run that loops for ever', both.plain.configs.some((c) => c.outcomes.some((o) => o.ending.kind === 'deadlock')));
        const diffs = diffReport(both.reduced, both.plain);
        expect(diffs, `${diffs.join('\n')}\n\n${text}`).toEqual([]);
      }),
      runs,
    );
    const n = seen.judged + seen.incomplete + seen.rejected.length;
    console.log(
      `reduction, random scenarios (seed ${runs.seed}): ${seen.judged} compared, ${seen.incomplete} incomplete (skipped), ${seen.rejected.length} rejected; judging took ${(seen.ms[0] / 1000).toFixed(1)} s reduced, ${(seen.ms[1] / 1000).toFixed(1)} s plain; ` +
        [...seen.features].map(([f, n]) => `${f} ${n}`).join(', '),
    );
    // The generator writes scenarios the compiler takes, small enough to be searched whole.
    expect(seen.rejected.length, seen.rejected.slice(0, 3).join('\n\n')).toBeLessThanOrEqual(n * 0.01);
    expect(seen.incomplete).toBeLessThan(n * 0.03);
    // And it covers what the reduction must respect.
    for (const f of ['1 remote harts', '2 remote harts', '3 remote harts', 'a symmetry group', 'timer interrupts', 'preemption', 'a trap-return fixup', 'a table', 'recorded outcomes', 'never claims', 'always claims', 'sometimes claims', 'eventually claims', 'a failing claim', 'a crash'])
      expect(seen.features.get(f) ?? 0, f).toBeGreaterThan(seen.judged * 0.02);
  }, 3_600_000);
});
