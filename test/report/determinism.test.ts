// Same input, same report: two independent runs render byte-identical Markdown and JSON.

import { describe, expect, it } from 'vitest';
import { jsonReport, renderJunit, renderMarkdown, renderText, toJsonText } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { junitWithoutTimes, PATCH_ONE_WORD } from '../helpers.ts';

const NOTEBOOK = `# Patching one word

The first instruction of func changes from one jump to another.

\`\`\`patchlit
${PATCH_ONE_WORD.trim()}
claims:
  - never: crash
  - always: { calls: old_target }
\`\`\`

Prose after the block stays as it was.
`;

function render() {
  const nb = readNotebook('one-word.md', NOTEBOOK);
  const results = nb.entries.map((e) => judgeScenario(e.scenario));
  return { md: renderMarkdown(nb, results), json: toJsonText(jsonReport([{ path: 'one-word.md', results }])) };
}

describe('reports', () => {
  it('are byte-identical over two runs', () => {
    const a = render();
    const b = render();
    expect(a.md).toBe(b.md);
    expect(a.json).toBe(b.json);
  });

  it('of a search cut off by the time budget are the same however far it got: incomplete, and nothing it saw (issue 14)', { timeout: 30_000 }, () => {
    // Four harts calling func six times each: far more states than a second finds (over 100,000 in four).
    const many = `${PATCH_ONE_WORD.trim()}\n    count: 4\n    times: 6\nclaims:\n  - never: crash\n  - sometimes: { calls: new_target }\n`;
    const nb = readNotebook('many.md', `# Many\n\n\`\`\`patchlit\n${many}\`\`\`\n`);
    const judged = (seconds: number) => nb.entries.map((e) => judgeScenario(e.scenario, { configs: ['ziccif-only'], budget: { maxSeconds: seconds } }));
    const [short, long] = [judged(0.2), judged(1)];
    const reached = (rs: typeof short) => rs[0].configs[0].stats.states;
    expect(reached(short)).toBeLessThan(reached(long)); // the terminal still says how far each got
    // JUnit is the one report with wall times (report/junit.ts): the same but for them.
    const reports = (rs: typeof short) => [renderMarkdown(nb, rs), renderText(nb, rs), toJsonText(jsonReport([{ path: 'many.md', results: rs }])), junitWithoutTimes(renderJunit([{ path: 'many.md', results: rs }]))];
    expect(reports(short)).toEqual(reports(long));
    const suiteTime = (rs: typeof short) => Number(/<testsuite [^>]*time="([^"]*)"/.exec(renderJunit([{ path: 'many.md', results: rs }]))![1]);
    expect(suiteTime(short)).toBeGreaterThan(0.1);
    expect(suiteTime(long)).toBeGreaterThan(suiteTime(short));
    const c = short[0].configs[0];
    expect(c).toMatchObject({ verdict: 'incomplete', complete: false, stopped: 'time', outcomes: [] });
    expect(c.claims.map((x) => [x.verdict, x.counterexample])).toEqual([['incomplete', undefined], ['incomplete', undefined]]);
    expect(JSON.parse(reports(short)[2]).files[0].scenarios[0].configurations[0].stats).toEqual({ complete: false, stopped: 'time' });
  });

  it('keep every line of the notebook, in order', () => {
    const { md } = render();
    // The notebook's lines are the report's, in order, with the report's own lines among them.
    const lines = md.split('\n');
    let at = 0;
    for (const line of NOTEBOOK.split('\n')) {
      at = lines.indexOf(line, at) + 1;
      expect(at, line).toBeGreaterThan(0);
    }
    expect(md).toContain('Prose after the block stays as it was.');
    expect(md.indexOf('```\n')).toBeLessThan(md.indexOf('**patchlit**'));
  });

  it('show a failed claim with its shortest counterexample, one column per hart', () => {
    const { md, json } = render();
    expect(md).toContain('**patchlit** `one-word`: **FAIL**');
    expect(md).toMatch(/Counterexample to `always: \{ calls: old_target \}` under all 5 configurations: the shortest run \(\d+ steps; ending: complete\)/);
    expect(md).toContain('| # | cpu0 | cpu1 |');
    const parsed = JSON.parse(json);
    const config = parsed.files[0].scenarios[0].configurations[0];
    const check = config.checks[1];
    expect(check).toMatchObject({ name: 'always: { calls: old_target }', verdict: 'fail' });
    expect(check.counterexample.steps.map((s: { hart: string }) => s.hart)).toContain('cpu1');
    expect(config.stats).toMatchObject({ states: expect.any(Number) });
    expect(config.stats).not.toHaveProperty('executions');
    // Claims count distinct outcomes: the one-word patch ends calling the old target or the new one.
    expect(config.outcomes).toHaveLength(2);
    expect(check.satisfied).toBe(1);
  });
});
