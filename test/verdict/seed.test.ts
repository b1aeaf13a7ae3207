// The seed notebook's verdicts: a change of the model that flips one of them fails here.
// (The notebook's own prose says what each scenario is; this pins what the tool found.)

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/index.ts';
import { readNotebook, type Notebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ConfigResult, type ScenarioResult } from '../../src/verdict/index.ts';

const FILE = 'scenarios/seed/three-step.md';
// Pinned counts of three-step under ziccif-only: a change of the model that moves them fails here.
// Distinct outcomes (not runs, which partial-order reduction does not keep): one table
// hart, so one outcome per signature it shows.
const OUTCOMES = 21;
const FF04F = 1;
const UNLISTED = ['08fff', '0f8ff', '0ff8f', '0fff8', 'f0f8f', 'f0ff8', 'ff0f8', '0f0f8f', '0f0ff8', '0ff04f', '0ff0f8'];
let notebook: Notebook;
const results = new Map<string, ScenarioResult>();

beforeAll(() => {
  notebook = readNotebook(FILE, readFileSync(FILE, 'utf8'));
  for (const { scenario } of notebook.entries) results.set(scenario.name, judgeScenario(scenario));
}, 120_000);

/** The verdicts of a scenario's claims under one configuration. */
const verdicts = (name: string, config = 'ziccif-only') => under(name, config).claims.map((c) => `${c.verdict}: ${c.claim.text}`);
const under = (name: string, config = 'ziccif-only'): ConfigResult => results.get(name)!.configs.find((c) => c.model.fetch === config)!;
const SUITE = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch'];

describe('scenarios/seed/three-step.md', () => {
  it('holds the five scenarios the seed discusses', () => {
    expect(notebook.entries.map((e) => e.scenario.name)).toEqual(['three-step', 'three-step-2', 'three-step-no-rewind', 'naive-two-store', 'auipc-nop4-toggle']);
  });

  it('judges every scenario under the suite\'s five fetch configurations', () => {
    for (const r of results.values()) expect(r.configs.map((c) => c.model.fetch)).toEqual(SUITE);
  });

  it('three-step: the protocol never mixes the pairs, but the author\'s table is wrong in places', () => {
    for (const config of SUITE) {
      const r = under('three-step', config);
      expect(r.complete).toBe(true);
      expect(r.claims.every((c) => c.verdict === 'pass')).toBe(true);
    }
    const r = under('three-step');
    expect(r.outcomes).toHaveLength(OUTCOMES);
    expect(r.table!.signatures.size).toBe(OUTCOMES);
    const rows = r.table!.rows.map((row) => `${row.row.signature}: ${row.verdict}`);
    expect(rows).toEqual([
      'fff04: pass',
      'ff0f4: pass',
      'ff04f: fail', // the new AUIPC can be fetched before the third FENCE.I: an updated call, not impossible
      'f0ff4: fail', // "would be f0ff04": never seen
      'f0f4f: fail', // neither alternative happens: after the first FENCE.I the entry is J +8
      'f04ff: pass',
      '0fff4: pass',
      '0ff4f: pass',
      '0f4ff: fail', // 0f0f08f and 0f0f0f04 never happen
      '04fff: pass',
    ]);
    expect(r.table!.signatures.get('ff04f')!.classes).toEqual({ updated: FF04F });
    expect(r.table!.unlisted).toEqual(UNLISTED);
    expect(results.get('three-step')!.verdict).toBe('fail');
  });

  it('three-step-2: two harts calling twice never mix the pairs either, under any configuration', () => {
    const r = results.get('three-step-2')!;
    expect(r.verdict).toBe('pass');
    expect(r.configs.every((c) => c.complete)).toBe(true);
  });

  it('three-step-no-rewind: without the fixup a hart runs the old AUIPC with the new JALR', () => {
    expect(verdicts('three-step-no-rewind')).toEqual([
      "pass: never: { executed: [AUIPC', JALR], at: func }",
      "fail: never: { executed: [AUIPC, JALR'], at: func }",
      "fail: always: { any: [{ executed: [AUIPC, JALR], at: func }, { executed: J +8, at: func }, { executed: [AUIPC', JALR'], at: func }] }",
      'fail: never: { call-outside: [ftrace_caller, new_tramp] }',
      'fail: never: crash',
      'pass: sometimes: { calls: new_tramp }',
      'pass: sometimes: { calls: ftrace_caller }',
    ]);
    const cx = under('three-step-no-rewind').claims[1].counterexample!;
    expect(cx.ending?.kind).toBe('wild-jump');
  });

  it('naive-two-store: both mixes happen', () => {
    expect(verdicts('naive-two-store')).toEqual([
      "fail: never: { executed: [AUIPC', JALR], at: func }",
      "fail: never: { executed: [AUIPC, JALR'], at: func }",
      'fail: never: crash',
    ]);
  });

  it('the configurations agree on every seed scenario: the IPI handler\'s FENCE.I is anchored by its load of the request', () => {
    for (const name of results.keys()) {
      const ref = verdicts(name);
      for (const config of SUITE) expect(verdicts(name, config)).toEqual(ref);
    }
  });

  it('auipc-nop4-toggle: one aligned word at a time is safe', () => {
    expect(results.get('auipc-nop4-toggle')!.verdict).toBe('pass');
  });

  it('every counterexample replays from its choices to the same ending', () => {
    for (const r of results.values()) {
      for (const cfg of r.configs) {
        for (const c of cfg.claims) {
          const run = c.counterexample ?? c.witness;
          if (!run) continue;
          const last = run.steps[run.steps.length - 1];
          expect(run.steps).toHaveLength(run.choices.length);
          if (run.ending && run.ending.kind !== 'complete' && run.ending.kind !== 'deadlock') expect(last.events.some((e) => e.kind === 'crash')).toBe(true);
        }
      }
    }
  });

  it('the committed report is what the notebook renders to, byte for byte', () => {
    const fresh = renderMarkdown(notebook, [...results.values()]);
    expect(fresh).toBe(readFileSync('reports/seed/three-step.md', 'utf8'));
  });
});
