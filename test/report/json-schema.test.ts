// schema/report.schema.json: the committed file is what the module generates, and real
// reports validate against it (a failing claim with a table, a litmus test with final
// values and configurations that disagree, a run that never ends, a search out of budget),
// while reports with a wrong or an undocumented field do not.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REGENERATE, schemaFiles } from '../../scripts/gen-schemas.ts';
import { REPORT_SCHEMA } from '../../src/report/json-schema.ts';
import { jsonReport, toJsonText } from '../../src/report/json.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { oneWordTable, PATCH_ONE_WORD } from '../helpers.ts';
import { committedReportSchema as committed, REPORT_SCHEMA_FILE as FILE, validateReport as validate } from '../report-schema.ts';

const CONFIGS = ['ziccif-only', 'ziccid'] as const;

const ONE_WORD = `${PATCH_ONE_WORD.trim()}
claims:
  - never: crash
  - always: { calls: old_target }
  - sometimes: { calls: new_target }
${oneWordTable('    0 -- impossible\n    f0 -- impossible, would be 0 (old)')}
`;

/** The suite's MP.FF+fencei: new code at mod0 with old code at mod1 needs fetches out of order. */
const LITMUS_NOTEBOOK = `# Message passing through code

\`\`\`litmus
RISCV MP.FF+fencei
Variant=self
{ 0:t0=instr:"nop"; 0:a1=P1:mod0; 0:a2=P1:mod1; }
P0           | P1           ;
sw t0,0(a2)  | mod0:        ;
fence w,w    | li s0, 1     ;
sw t0,0(a1)  | fence.i      ;
             | mod1:        ;
             | li s1, 1     ;
exists (1:s0=0 /\\ 1:s1=1)
\`\`\`
`;

/** The ISA manual's Ziccid example: without Ziccid the consumer may spin on stale code forever. */
const SPIN = `name: consumer-loop
code:
  producer:
    at: 0x80000000
    asm: |
      la t0, patch_me
      li t1, 0x4585
      sh t1, 0(t0)
  consumer:
    at: 0x80001000
    rvc: true
    asm: |
      patch_me:
      c.li a1, 0
      beqz a1, patch_me
harts:
  - name: producer
    run: producer
  - name: consumer
    run: consumer
claims:
  - eventually: complete
`;

function report(file: string, text: string, budget?: { maxStates: number }): unknown {
  const results = readNotebook(file, text).entries.map((e) => judgeScenario(e.scenario, { configs: CONFIGS, ...(budget ? { budget } : {}) }));
  return JSON.parse(toJsonText(jsonReport([{ path: file, results }])));
}

const REPORTS = {
  'a failing claim and a table': report('one-word.yaml', ONE_WORD),
  'a litmus test with final values': report('mp.md', LITMUS_NOTEBOOK),
  'a run that never ends': report('spin.yaml', SPIN),
  'a search out of budget': report('one-word.yaml', ONE_WORD, { maxStates: 3 }),
};

const errorsOf = (r: unknown) => (validate(r) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe('schema/report.schema.json', () => {
  it('is what src/report/json-schema.ts generates', () => {
    const generated = schemaFiles().find((f) => f.path === FILE)!.text;
    expect(readFileSync(FILE, 'utf8'), `${FILE} is out of date: run \`${REGENERATE}\` and commit the result`).toBe(generated);
    expect(committed).toEqual(JSON.parse(JSON.stringify(REPORT_SCHEMA)));
  });

  it.each(Object.keys(REPORTS))('validates a real report: %s', (name) => {
    expect(errorsOf(REPORTS[name as keyof typeof REPORTS])).toEqual([]);
  });

  it('covers the report\'s optional parts: those reports use every one of them', () => {
    const text = JSON.stringify(Object.values(REPORTS));
    for (const key of ['"counterexample"', '"witness"', '"loopFrom"', '"final"', '"claimed"', '"stopped"', '"kind":"table-row"']) expect(text).toContain(key);
    // Counts are of outcomes, and there is no count of runs anywhere.
    expect(text).not.toMatch(/"(runs|executions)":/);
    const mp = REPORTS['a litmus test with final values'] as { files: Array<{ scenarios: Array<{ disagreements: unknown[] }> }> };
    expect(mp.files[0].scenarios[0].disagreements).toEqual([{ claim: expect.any(String), failsUnder: ['ziccid'], holdsUnder: ['ziccif-only'], decidedBy: [{ config: 'ziccid', rules: expect.arrayContaining(['fetchInOrder']) }] }]);
  });

  it('rejects a wrong value, a missing field and an undocumented one', () => {
    const base = REPORTS['a failing claim and a table'] as { files: Array<{ scenarios: Array<Record<string, unknown>> }> };
    const edit = (f: (s: Record<string, unknown>) => void) => {
      const copy = structuredClone(base);
      f(copy.files[0].scenarios[0]);
      return errorsOf(copy);
    };
    expect(edit((s) => (s.verdict = 'maybe'))).toContain('/files/0/scenarios/0/verdict must be equal to one of the allowed values');
    expect(edit((s) => delete s.configurations)).toContain("/files/0/scenarios/0 must have required property 'configurations'");
    expect(edit((s) => (s.mood = 'calm'))).toContain('/files/0/scenarios/0 must NOT have additional properties');
    expect(edit((s) => ((s.configurations as Array<{ stats: { states: unknown } }>)[0].stats.states = -1))).toContain('/files/0/scenarios/0/configurations/0/stats/states must be >= 0');
    // Runs are not counted: a report that still gave them would be undocumented.
    expect(edit((s) => ((s.configurations as Array<{ stats: Record<string, unknown> }>)[0].stats.executions = 12))).toContain('/files/0/scenarios/0/configurations/0/stats must NOT have additional properties');
    // Counts of outcomes are whole numbers.
    type Claim = { satisfied: unknown };
    expect(edit((s) => (((s.configurations as Array<{ checks: Claim[] }>)[0].checks[0] as Claim).satisfied = 1.5))).toContain('/files/0/scenarios/0/configurations/0/checks/0/satisfied must be integer');
    expect(edit((s) => (((s.configurations as Array<{ checks: Claim[] }>)[0].checks[0] as Claim).satisfied = 2))).toEqual([]);
  });
});
