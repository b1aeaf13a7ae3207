// The vitest helper used the way a project uses it. Here, in this file: describeNotebook
// registers a block per notebook and per scenario and a test per check and configuration
// (read off vitest's task tree), refuses bad input at collection, and words a failing
// check. In a vitest started apart, on a temporary project whose test files call
// describeNotebook (reported through a small reporter that writes what vitest's own show):
// the seed notebook passing under the default timeout, a failing claim's message with its
// shortest run, an expected failure shown as one, an unexpected pass, a scenario declared
// to fail in which everything holds, a timeout shorter than the search (which fires while
// the search runs), and a search longer than vitest's timeout stopped by its own budget.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileError, NoScenarioError } from '../src/errors.ts';
import { checksOf, plannedChecks, checkKey } from '../src/report/checks.ts';
import { renderJunit } from '../src/report/junit.ts';
import { readNotebook, ScenarioError } from '../src/scenario/index.ts';
import { judgeScenario } from '../src/verdict/index.ts';
import { budgetTimeout, checkFailure, describeNotebook, TIMEOUT_MARGIN_MS } from '../src/vitest.ts';
import { oneWordTable, PATCH_ONE_WORD } from './helpers.ts';

const REPO = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'patchlit-vitest-'));
const notebook = (...blocks: string[]) => `# Notes\n\n${blocks.map((b) => `\`\`\`patchlit\n${b.trim()}\n\`\`\`\n`).join('\n')}`;
const oneWord = (claims: string, extra = '') => `${PATCH_ONE_WORD.trim()}\n${extra}claims:\n${claims}`;

const GOOD = join(dir, 'good.md');
writeFileSync(GOOD, notebook(oneWord('  - never: crash\n  - sometimes: { calls: new_target }\n', 'outcomes: |\n  complete; cpu1: new_target\n  complete; cpu1: old_target\n'), oneWord('  - never: crash\n').replace('name: one-word', 'name: second')));
describeNotebook(GOOD, { name: 'a notebook that holds', configs: ['ziccif-only', 'ziccid'], jobs: 1 });

/** One claim of each kind of outcome, under ziccid: holds, fails, fails as declared, holds though declared to fail. */
const MIXED = notebook(
  oneWord(
    [
      '  - never: crash',
      '  - never: { calls: new_target }',
      '  - always: { calls: old_target }',
      '    xfail: the patch takes effect',
      '  - sometimes: { calls: new_target }',
      '    xfail: declared by mistake',
      '',
    ].join('\n'),
    'model: { fetch: ziccid }\n',
  ),
  oneWord('  - never: crash\n', 'model: { fetch: ziccid }\nxfail: a race that is not there\n').replace('name: one-word', 'name: all-hold'),
);

describe('describeNotebook, registering', () => {
  it('registers a block for the notebook, named as asked, one per scenario, and a test per check and configuration', ({ task }) => {
    const suite = task.file.tasks.find((t) => t.name === 'a notebook that holds');
    const tree = (t: NonNullable<typeof suite>): unknown => (t.type === 'suite' ? { [t.name]: t.tasks.map(tree) } : t.name);
    expect(suite && tree(suite)).toEqual({
      'a notebook that holds': [
        { 'one-word': ['never: crash [ziccif-only]', 'sometimes: { calls: new_target } [ziccif-only]', 'never: crash [ziccid]', 'sometimes: { calls: new_target } [ziccid]', 'outcomes: as recorded'] },
        { second: ['never: crash [ziccif-only]', 'never: crash [ziccid]'] },
      ],
    });
  });

  it('fails at collection on a bad notebook with its file:line:col, on a file it cannot read, and on one with no scenario', () => {
    const bad = join(dir, 'bad.md');
    writeFileSync(bad, notebook(oneWord('  - never: crashes\n')));
    expect(() => describeNotebook(bad)).toThrow(ScenarioError);
    expect(() => describeNotebook(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:23:12: claims\\[0\\]\\.never: "crashes" is not one of`));
    expect(() => describeNotebook(join(dir, 'none.md'))).toThrow(FileError);
    const library = join(dir, 'library.yaml');
    writeFileSync(library, 'symbols:\n  x: 0x1000\n');
    expect(() => describeNotebook(library)).toThrow(new NoScenarioError([library], true));
  });

  it('gives each test the time budget of its scenario and a margin, or the timeout asked for', () => {
    expect(TIMEOUT_MARGIN_MS).toBe(30_000);
    expect(budgetTimeout(600)).toBe(630_000);
    expect(budgetTimeout(2)).toBe(32_000);
    // Past 2^31 - 1 ms Node's timers fire at once: no timeout instead.
    expect(budgetTimeout(3e6)).toBe(Infinity);
    expect(budgetTimeout(Infinity)).toBe(Infinity);
  });
});

/** The shortest run that breaks `never: { calls: new_target }` in the one-word scenario, as lanes. */
const LANES = [
  '       cpu0  cpu1',
  '    1  |     cpu1.main: jal 80000000 <func>',
  '    2  store NEW at func; func := j 80000900 <new_target>',
  '    3  |     func: j 80000900 <new_target>; calls new_target, which returns to cpu1.idle',
];

describe('checkFailure', () => {
  const nb = readNotebook('notes/mixed.md', MIXED);
  const r = judgeScenario(nb.entries[0].scenario);
  const check = (text: string) => checksOf(r).find((c) => c.text === text)!;

  it('says where the check is written, what happened under which configuration, and draws the shortest run as lanes', () => {
    expect(checkFailure(r, check('never: { calls: new_target }')).split('\n')).toEqual([
      'notes/mixed.md:25:5: never: { calls: new_target } fails under ziccid: shortest counterexample: 3 steps, ending: complete',
      ...LANES,
    ]);
  });

  it('lists the checks of a judgement in the order and with the keys plannedChecks gives before it', () => {
    const table = oneWord('  - never: crash\n', `${oneWordTable('    0 -- impossible\n')}\noutcomes:\n`);
    for (const s of [...nb.entries, ...readNotebook('t.md', notebook(table)).entries].map((e) => e.scenario)) {
      const judged = checksOf(judgeScenario(s, { configs: ['ziccif-only', 'ziccid'] })).filter((c) => c.kind !== 'scenario');
      expect(judged.map(checkKey)).toEqual(plannedChecks(s, ['ziccif-only', 'ziccid']).map(checkKey));
      expect(judged.map((c) => c.text)).toEqual(plannedChecks(s, ['ziccif-only', 'ziccid']).map((c) => c.text));
    }
  });
});

// ---- vitest run apart -------------------------------------------------------------------

interface Reported {
  readonly tests: ReadonlyArray<{ file: string; name: string; state: string; note?: string; errors: string[]; duration?: number }>;
  readonly suiteErrors: ReadonlyArray<{ suite: string; message: string }>;
  readonly unhandled: readonly string[];
}

/** What vitest's reporters have to show, as JSON: each test's full name, state, skip note, errors and duration, and the errors of blocks (afterAll). */
const REPORTER = `import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
export default class {
  onTestRunEnd(modules, unhandledErrors) {
    const tests = [], suiteErrors = [];
    for (const m of modules) {
      const file = basename(m.moduleId);
      for (const t of m.children.allTests()) {
        const r = t.result();
        tests.push({ file, name: t.fullName, state: r.state, note: r.note, errors: (r.errors ?? []).map((e) => e.message), duration: t.diagnostic()?.duration });
      }
      for (const s of m.children.allSuites()) for (const e of s.errors()) suiteErrors.push({ suite: s.fullName, message: e.message });
      for (const e of m.errors()) suiteErrors.push({ suite: file, message: e.message });
    }
    const unhandled = unhandledErrors.map((e) => e.message);
    writeFileSync(process.env.PATCHLIT_REPORTED, JSON.stringify({ tests, suiteErrors, unhandled }));
  }
}
`;

/** The seed's three-step protocol with three remote harts under one configuration: about ten seconds of search. */
const SLOW = (budget: string) => `name: three-step-3
import: ${join(REPO, 'scenarios/seed/three-step.md')}#three-step
model: { fetch: ziccif-only }
${budget}harts:
  - name: cpu
    count: 3
    calls: func
    times: 2
claims:
  - never: crash
table: null
`;

const project = mkdtempSync(join(tmpdir(), 'patchlit-vitest-project-'));
const helper = JSON.stringify(join(REPO, 'src/vitest.ts'));
const FILES: Record<string, string> = {
  // vitest's own default timeout, shortened: a test that takes its default would time out.
  'vitest.config.mjs': `export default { test: { include: ['*.test.ts'], testTimeout: 1000, fileParallelism: false, reporters: ['./reporter.mjs'] } };\n`,
  'reporter.mjs': REPORTER,
  'mixed.md': MIXED,
  'slow.md': notebook(SLOW('')),
  'budget.md': notebook(SLOW('budget: { seconds: 2 }\n')),
  'seed.test.ts': `import { describeNotebook } from ${helper};\ndescribeNotebook('scenarios/seed/three-step.md');\n`,
  'mixed.test.ts': `import { describeNotebook } from ${helper};\ndescribeNotebook(${JSON.stringify(join(project, 'mixed.md'))});\n`,
  'slow.test.ts': `import { describeNotebook } from ${helper};\ndescribeNotebook(${JSON.stringify(join(project, 'slow.md'))}, { timeout: 500 });\n`,
  'budget.test.ts': `import { describeNotebook } from ${helper};\ndescribeNotebook(${JSON.stringify(join(project, 'budget.md'))});\n`,
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(join(project, name), text);

let reported: Reported;
const test = (file: string, name: string) => reported.tests.find((t) => t.file === file && t.name === name)!;

describe('describeNotebook, in a vitest run', () => {
  beforeAll(async () => {
    const out = join(project, 'reported.json');
    // Not this run's own variables: the child is a vitest of its own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
    await promisify(execFile)(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--root', project], { cwd: REPO, env: { ...env, PATCHLIT_REPORTED: out } }).catch((e) => {
      // vitest exits 1: some of these tests fail on purpose. Anything else is this test's failure.
      if (e.code !== 1) throw e;
    });
    reported = JSON.parse(readFileSync(out, 'utf8'));
  }, 180_000);

  it('runs the seed notebook under the default timeout: a test per check and configuration, none failing, the expected failures skipped as such', () => {
    const seed = reported.tests.filter((t) => t.file === 'seed.test.ts');
    const nb = readNotebook('scenarios/seed/three-step.md', readFileSync(join(REPO, 'scenarios/seed/three-step.md'), 'utf8'));
    const threeStep = nb.entries[0].scenario;
    // 7 claims and 10 table rows under each of the suite's 5 configurations, and the recorded `observed:` and `outcomes:`.
    expect(threeStep.claims.length * 5 + threeStep.table!.rows.length * 5 + threeStep.recorded!.length).toBe(87);
    expect(seed.filter((t) => t.name.startsWith('scenarios/seed/three-step.md > three-step > '))).toHaveLength(87);
    for (const name of ['never: crash [ziccid]', 'fff04 -- updated seq [ir3-fetch]', 'table observed: as recorded', 'outcomes: as recorded']) {
      expect(test('seed.test.ts', `scenarios/seed/three-step.md > three-step > ${name}`).state).toBe('passed');
    }
    expect(seed.map((t) => t.name.split(' > ')[1]).filter((n, i, all) => all.indexOf(n) === i)).toEqual(nb.entries.map((e) => e.scenario.name));
    expect(seed.filter((t) => t.state === 'failed')).toEqual([]);
    const skipped = seed.filter((t) => t.state === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    for (const t of skipped) expect(t.note).toMatch(/^expected failure under [a-z0-9-]+: /);
    expect(test('seed.test.ts', 'scenarios/seed/three-step.md > three-step > ff04f -- impossible, would be ff08f, safe seq [ziccid]')).toMatchObject({
      state: 'skipped',
      note: expect.stringMatching(/^expected failure under ziccid: .* \(xfail: a fetch may see the third store before the hart's third FENCE\.I\)$/),
    });
    expect(reported.suiteErrors.filter((e) => e.suite.startsWith('scenarios/seed'))).toEqual([]);
  });

  it('names the tests as the JUnit report names its test cases', () => {
    const nb = readNotebook(join(project, 'mixed.md'), MIXED);
    const junit = renderJunit([{ path: 'mixed.md', results: nb.entries.map((e) => judgeScenario(e.scenario)) }]);
    const cases = [...junit.matchAll(/classname="[^"]* ([^"]+)" name="([^"]+)"/g)].filter((m) => m[2] !== 'xfail').map((m) => `${m[1]} > ${m[2].replace(/&apos;/g, "'")}`);
    const tests = reported.tests.filter((t) => t.file === 'mixed.test.ts').map((t) => t.name.slice(`${join(project, 'mixed.md')} > `.length));
    expect(tests).toEqual(cases);
  });

  it('fails a failing claim with its shortest run, skips an expected failure with a note, and fails a declared failure that holds', () => {
    const at = (name: string) => test('mixed.test.ts', `${join(project, 'mixed.md')} > one-word > ${name} [ziccid]`);
    expect(at('never: crash').state).toBe('passed');
    expect(at('never: { calls: new_target }')).toMatchObject({ state: 'failed' });
    expect(at('never: { calls: new_target }').errors[0].split('\n')).toEqual([
      `${join(project, 'mixed.md')}:25:5: never: { calls: new_target } fails under ziccid: shortest counterexample: 3 steps, ending: complete`,
      ...LANES,
    ]);
    expect(at('always: { calls: old_target }')).toMatchObject({ state: 'skipped', note: 'expected failure under ziccid: shortest counterexample: 3 steps, ending: complete (xfail: the patch takes effect)' });
    expect(at('sometimes: { calls: new_target }')).toMatchObject({ state: 'failed' });
    expect(at('sometimes: { calls: new_target }').errors[0]).toMatch(/:28:5: sometimes: \{ calls: new_target \} holds though declared to fail under ziccid: it happens: 3 steps, ending: complete \(xfail: declared by mistake\)\n {7}cpu0 {2}cpu1\n/);
  });

  it('fails the block of a scenario declared to fail in which every check holds', () => {
    expect(test('mixed.test.ts', `${join(project, 'mixed.md')} > all-hold > never: crash [ziccid]`).state).toBe('passed');
    expect(reported.suiteErrors.filter((e) => e.suite.includes('mixed.md'))).toEqual([
      { suite: `${join(project, 'mixed.md')} > all-hold`, message: `${join(project, 'mixed.md')}:33:1: xfail holds though declared to fail: every check holds, though the scenario is declared to fail (xfail: a race that is not there)` },
    ]);
  });

  it('times a search out while it runs, not once it has ended', () => {
    const t = test('slow.test.ts', `${join(project, 'slow.md')} > three-step-3 > never: crash [ziccif-only]`);
    // The search it leaves running is stopped with the notebook's block, quietly.
    expect(reported.unhandled).toEqual([]);
    expect(t).toMatchObject({ state: 'failed', errors: ['Test timed out in 500ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".'] });
    // The search takes about ten seconds (budget.md stops it at two).
    expect(t.duration).toBeLessThan(2000);
  });

  it('by default, lets the scenario\'s time budget stop a search longer than vitest\'s timeout: the check is undecided, and says why', () => {
    const t = test('budget.test.ts', `${join(project, 'budget.md')} > three-step-3 > never: crash [ziccif-only]`);
    expect(t.state).toBe('failed');
    expect(t.errors).toEqual([`${join(project, 'budget.md')}:14:5: never: crash is undecided under ziccif-only: the search stopped at its time budget`]);
    expect(t.duration).toBeGreaterThan(2000);
  });
});
