// The kernel scenario library (scenarios/kernel/): every notebook judged as its author
// declared (passes pass, declared failures fail with their counterexample, recorded
// outcomes unchanged), opening with what a reviewer cites (versions, files, commits), listed
// in the index with its report, and its committed report what the runner writes today.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario, passing } from '../../src/verdict/index.ts';

const DIR = 'scenarios/kernel';
const NOTEBOOKS = readdirSync(DIR)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort();
const INDEX = readFileSync(join(DIR, 'README.md'), 'utf8');

describe('the kernel scenario library', () => {
  it('has a notebook per mechanism of the issue, each in the index with a link to its report', () => {
    expect(NOTEBOOKS).toEqual(
      expect.arrayContaining(['ftrace-callops.md', 'ftrace-stop-machine.md', 'ftrace-call-dest.md', 'boot-rewrite.md', 'text-mutex.md', 'static-keys.md', 'kprobes.md', 'sbi-remote-fence-i.md', 'seed-alternatives.md']),
    );
    for (const f of NOTEBOOKS) expect(INDEX, f).toContain(`(../../reports/kernel/${f})`);
  });

  for (const file of NOTEBOOKS) {
    it(`${file}: opens with versions, files and commits; every scenario as declared; report current`, () => {
      const path = join(DIR, file);
      const text = readFileSync(path, 'utf8');
      const opening = text.slice(0, text.indexOf('```patchlit'));
      expect(opening).toMatch(/Kernel versions/);
      expect(opening).toMatch(/Files and functions/);
      expect(opening).toMatch(/Commits/);
      const nb = readNotebook(path, text);
      const results = nb.entries.map((e) => judgeScenario(e.scenario));
      for (const r of results) {
        expect(r.status, `${r.scenario.name}: ${r.status}`).toSatisfy(passing);
        // Every scenario records what it saw, so a change in the model shows as a failure here.
        expect(r.records.length, `${r.scenario.name} has no outcomes:`).toBeGreaterThan(0);
        // Named in the index, so a reader finds each pair from the table.
        expect(INDEX, `${r.scenario.name} in the index`).toContain(`\`${r.scenario.name}\``);
      }
      // A fix shown as a pair: some scenario of the notebook is a declared failure, some passes.
      expect(results.some((r) => r.status === 'xfail'), 'a declared failure').toBe(true);
      expect(results.some((r) => r.status === 'pass'), 'a passing scenario').toBe(true);
      expect(renderMarkdown(nb, results), `reports/kernel/${file}`).toBe(readFileSync(join('reports/kernel', file), 'utf8'));
    });
  }
});
