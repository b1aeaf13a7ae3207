// Terminal output of `patchlit run`: colour only on a TTY without NO_COLOR, a progress line
// that stays on one line and out of the way, and a summary whose last line CI can grep.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { colours, configsText, failureDetails, poolFigures, ProgressLine, statusWord, summary } from '../../src/cli/terminal.ts';
import { Names, stepText } from '../../src/report/describe.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ScenarioResult } from '../../src/verdict/index.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { patchlit, workspace } from './command.ts';

/** A stream that records what is written, posing as a terminal when `tty`. */
function fakeStream(tty: boolean, columns = 80) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (tty) Object.assign(stream, { isTTY: true, columns });
  return { stream, chunks, text: () => chunks.join('') };
}

const ESC = '\x1b';
const FIGURES = { states: 1_234_567, depth: 40, queue: 2_120_259, seconds: 54.32 };

describe('colours', () => {
  it('colours text on a TTY when NO_COLOR is unset or empty', () => {
    expect(colours(fakeStream(true).stream, {}).red('x')).toBe(`${ESC}[31mx${ESC}[39m`);
    expect(colours(fakeStream(true).stream, { NO_COLOR: '' }).green('x')).toBe(`${ESC}[32mx${ESC}[39m`);
  });

  it('leaves text alone when the stream is not a TTY', () => {
    const c = colours(fakeStream(false).stream, {});
    expect(c.enabled).toBe(false);
    for (const paint of [c.red, c.green, c.yellow, c.dim, c.bold]) expect(paint('FAIL')).toBe('FAIL');
  });

  it('leaves text alone with NO_COLOR=1 even on a TTY, and even with FORCE_COLOR', () => {
    expect(colours(fakeStream(true).stream, { NO_COLOR: '1' }).red('FAIL')).toBe('FAIL');
    expect(colours(fakeStream(true).stream, { NO_COLOR: '1', FORCE_COLOR: '1' }).red('FAIL')).toBe('FAIL');
  });

  it('honours FORCE_COLOR on a pipe, and FORCE_COLOR=0 on a TTY', () => {
    expect(colours(fakeStream(false).stream, { FORCE_COLOR: '1' }).bold('x')).toBe(`${ESC}[1mx${ESC}[22m`);
    expect(colours(fakeStream(true).stream, { FORCE_COLOR: '0' }).bold('x')).toBe('x');
  });
});

describe('statusWord', () => {
  it('pads every status to one width', () => {
    const plain = colours(fakeStream(false).stream, {});
    expect(statusWord('pass', plain)).toBe('PASS      ');
    expect(statusWord('incomplete', plain)).toBe('INCOMPLETE');
    expect(new Set(['pass', 'fail', 'xfail', 'xpass', 'incomplete'].map((s) => statusWord(s as 'pass', plain).length))).toEqual(new Set([10]));
  });

  it('colours the word, not the padding: fail and xpass red, xfail and incomplete yellow, pass green', () => {
    const c = colours(fakeStream(true).stream, {});
    expect(statusWord('pass', c)).toBe(`${ESC}[32mPASS${ESC}[39m      `);
    expect(statusWord('fail', c)).toBe(`${ESC}[31mFAIL${ESC}[39m      `);
    expect(statusWord('xpass', c)).toBe(`${ESC}[31mXPASS${ESC}[39m     `);
    expect(statusWord('xfail', c)).toBe(`${ESC}[33mXFAIL${ESC}[39m     `);
    expect(statusWord('incomplete', c)).toBe(`${ESC}[33mINCOMPLETE${ESC}[39m`);
  });
});

describe('ProgressLine', () => {
  it('shows nothing during the first second, then one line rewritten in place', () => {
    const t = fakeStream(true, 200);
    let now = 5000;
    const line = new ProgressLine(t.stream, { now: () => now });
    line.update('three-step [ziccif-only]', { ...FIGURES, seconds: 0.4 });
    now = 5900;
    line.update('three-step [ziccif-only]', { ...FIGURES, seconds: 0.9 });
    expect(t.chunks).toEqual([]);
    now = 6100;
    line.update('three-step [ziccif-only]', FIGURES);
    expect(t.chunks).toEqual([`\rthree-step [ziccif-only]  1,234,567 states  22,728 states/s  depth 40  queue 2,120,259${ESC}[K`]);
  });

  it("shows an exploration whose own clock has passed the second, even on the label's first update", () => {
    const t = fakeStream(true);
    const line = new ProgressLine(t.stream, { now: () => 0 });
    line.update('slow', { ...FIGURES, seconds: 1.2 });
    expect(t.text()).toMatch(/^\rslow {2}1,234,567 states {2}1,028,806 states\/s {2}depth 40 {2}queue 2,120,259\x1b\[K$/);
  });

  it('never writes more than the terminal has columns, so the line never wraps', () => {
    for (const columns of [20, 41, 80]) {
      const t = fakeStream(true, columns);
      const line = new ProgressLine(t.stream, { now: () => 0, minMs: 0 });
      line.update('a-rather-long-scenario-name [ziccid]', FIGURES);
      const shown = t.text().replace(/^\r/, '').replace(/\x1b\[K$/, '');
      expect(shown.length).toBeLessThan(columns);
      expect(shown).toBe('a-rather-long-scenario-name [ziccid]  1,234,567 states  22,728 states/s  depth 40  queue 2,120,259'.slice(0, columns - 1));
    }
  });

  it('writes nothing when the stream is not a TTY', () => {
    const t = fakeStream(false);
    const line = new ProgressLine(t.stream, { now: () => 0, minMs: 0 });
    line.update('x', FIGURES);
    line.clear();
    expect(t.chunks).toEqual([]);
  });

  it('clear erases a shown line once, and does nothing when none is shown', () => {
    const t = fakeStream(true);
    const line = new ProgressLine(t.stream, { now: () => 0 });
    line.clear();
    expect(t.chunks).toEqual([]);
    line.update('x', FIGURES);
    line.clear();
    line.clear();
    expect(t.chunks.slice(1)).toEqual([`\r${ESC}[K`]);
  });
});

describe('poolFigures', () => {
  it('adds up the units running in threads: their scenarios and configurations, states, states/s, queues and states to go; the units waiting', () => {
    const running = [
      { scenario: 'three-step', config: 'ziccif-only' as const, progress: { states: 300_000, depth: 30, queue: 1_000, seconds: 10, rate: 30_000, toGo: 9_000 } },
      { scenario: 'three-step', config: 'ziccid' as const, progress: { states: 100_000, depth: 41, queue: 500, seconds: 2, rate: 50_000, toGo: 1_000 } },
      { scenario: 'ipi', config: 'ziccid' as const, progress: { states: 5, depth: 2, queue: 1, seconds: 0, rate: 0, toGo: 0 } },
    ];
    const { label, figures } = poolFigures({ running, waiting: 7 });
    expect(label).toBe('three-step (ziccif-only, ziccid); ipi (ziccid)');
    expect(figures).toEqual({ states: 400_005, depth: 41, queue: 1_501, seconds: 10, rate: 80_000, waiting: 7, toGo: 10_000 });
    const t = fakeStream(true, 200);
    new ProgressLine(t.stream, { now: () => 0 }).update(label, figures);
    expect(t.text()).toBe(`\rthree-step (ziccif-only, ziccid); ipi (ziccid)  400,005 states  80,000 states/s  depth 41  queue 1,501  ~10,000 to go (~0.1s)  7 waiting${ESC}[K`);
  });

  it('says the frontier still grows while any search finds more new states than it expands', () => {
    const running = [
      { scenario: 'a', config: 'ziccid' as const, progress: { states: 10, depth: 2, queue: 5, seconds: 1, rate: 10, toGo: 3 } },
      { scenario: 'b', config: 'ziccid' as const, progress: { states: 10, depth: 2, queue: 5, seconds: 1, rate: 10, toGo: undefined } },
    ];
    const { figures } = poolFigures({ running, waiting: 0 });
    expect(figures.toGo).toBeNull();
    const t = fakeStream(true, 200);
    new ProgressLine(t.stream, { now: () => 0 }).update('x', figures);
    expect(t.text()).toContain('queue 10  frontier growing');
  });
});

describe('summary', () => {
  const plain = colours(fakeStream(false).stream, {});
  const zero = { passed: 0, failed: 0, xfail: 0, xpass: 0, incomplete: 0, files: 1, scenarios: 0 };

  it('lays out notebooks, scenarios by status and duration, vitest-style', () => {
    const lines = summary({ passed: 77, failed: 6, xfail: 2, xpass: 0, incomplete: 0, files: 3, scenarios: 85 }, 21.43, plain);
    expect(lines).toEqual([' Notebooks  3 (85 scenarios)', ' Scenarios  6 failed | 2 expected fail | 77 passed', '  Duration  21.4s', '79 passed, 6 failed']);
  });

  it('ends with the plain "N passed, N failed" line: passed counts xfail, failed counts xpass', () => {
    const cases: Array<[Partial<typeof zero>, string]> = [
      [{ passed: 1, scenarios: 1 }, '1 passed, 0 failed'],
      [{ failed: 2, scenarios: 2 }, '0 passed, 2 failed'],
      [{ passed: 3, xfail: 1, xpass: 2, failed: 1, scenarios: 7 }, '4 passed, 3 failed'],
      [{ passed: 1, incomplete: 2, scenarios: 3 }, '1 passed, 0 failed, 2 incomplete'],
    ];
    const coloured = colours(fakeStream(true).stream, {});
    for (const [counts, last] of cases) {
      for (const c of [plain, coloured]) expect(summary({ ...zero, ...counts }, 3, c).at(-1)).toBe(last);
    }
  });

  it('colours the status counts on a terminal but never the last line', () => {
    const c = colours(fakeStream(true).stream, {});
    const lines = summary({ ...zero, failed: 1, xpass: 1, incomplete: 1, passed: 2, scenarios: 5 }, 1, c);
    expect(lines[1]).toContain(`${ESC}[31m1 failed${ESC}[39m`);
    expect(lines[1]).toContain(`${ESC}[31m1 unexpectedly passed${ESC}[39m`);
    expect(lines[1]).toContain(`${ESC}[33m1 incomplete${ESC}[39m`);
    expect(lines.at(-1)).toBe('2 passed, 2 failed, 1 incomplete');
  });

  it('leaves the duration out when seconds is null, and writes long runs in minutes', () => {
    expect(summary({ ...zero, passed: 1, scenarios: 1 }, null, plain)).toEqual([' Notebooks  1 (1 scenario)', ' Scenarios  1 passed', '1 passed, 0 failed']);
    expect(summary({ ...zero, passed: 1, scenarios: 1 }, 187.4, plain)[2]).toBe('  Duration  3m 07s');
    expect(summary({ ...zero, passed: 1, scenarios: 1 }, 59.97, plain)[2]).toBe('  Duration  1m 00s');
  });
});

/** PATCH_ONE_WORD with an IPI, so that its run has a few steps, under two configurations; `claims` appended. */
function oneWord(claims: string, name = 'one-word'): string {
  const yaml = PATCH_ONE_WORD.trim().replace('name: one-word', `name: ${name}`).replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }');
  return `${yaml}\nmodel: { fetch: [ziccif-only, ziccid] }\nclaims:\n${claims}`;
}

/** The numbers of the steps drawn in lanes. */
const numbered = (lines: string[]) => lines.map((l) => /^ {2,}(\d+) {2}/.exec(l)?.[1]).filter(Boolean).map(Number);

describe('configsText', () => {
  it('names the configurations: both, all 3, some; only the suite\'s own five are "all 5"', () => {
    const r = (fetch: string[], verdicts: string[]) => fetch.map((f, i) => ({ model: { fetch: f }, verdict: verdicts[i] })) as unknown as ScenarioResult['configs'];
    expect(configsText(r(['ziccif-only', 'ziccid'], ['pass', 'pass']))).toBe('pass under ziccif-only and ziccid');
    expect(configsText(r(['ziccif-only', 'ziccid', 'ir3-fetch'], ['incomplete', 'incomplete', 'incomplete']))).toBe('INCOMPLETE under ziccif-only, ziccid and ir3-fetch');
    expect(configsText(r(['ziccif-only', 'ziccid', 'ir3-fetch'], ['fail', 'pass', 'fail']))).toBe('FAIL under ziccif-only and ir3-fetch; pass under ziccid');
    const suite = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch'];
    expect(configsText(r(suite, suite.map(() => 'pass')))).toBe('pass under all 5');
    expect(configsText(r(['ziccid'], ['pass']))).toBe('pass under ziccid');
  });
});

describe('failureDetails', () => {
  const plain = colours(fakeStream(false).stream, {});
  let failing: ScenarioResult;
  let seed: ScenarioResult;
  beforeAll(() => {
    const nb = readNotebook('one.yaml', oneWord('  - always: { calls: old_target }\n  - never: { calls: new_target }\n'));
    failing = judgeScenario(nb.entries[0].scenario);
    const FILE = 'scenarios/seed/three-step.md';
    const three = readNotebook(FILE, readFileSync(FILE, 'utf8')).entries[0].scenario;
    // The thread's table as if nobody had declared where the model disagrees: its rows fail outright.
    seed = judgeScenario({ ...three, table: { ...three.table!, rows: three.table!.rows.map(({ xfail: _, ...row }) => row) } }, { configs: ['ziccif-only'] });
  }, 120_000);

  it('draws the shortest run of a failing check as lanes, once for every check and configuration that share it, and names the report', () => {
    const lines = failureDetails(failing, plain, { width: 72, full: false, report: 'reports/one.md' });
    const run = failing.configs[0].claims[0].counterexample!;
    expect(lines[0]).toBe(`  x always: { calls: old_target }: shortest counterexample: ${run.steps.length} steps, ending: complete`);
    expect(lines[1].trim().split(/\s+/)).toEqual(['cpu0', 'cpu1']);
    expect(numbered(lines)).toEqual(run.steps.map((_, i) => i + 1));
    const names = new Names(failing.scenario);
    for (const step of run.steps) expect(lines.join('\n').replace(/\n[ |]+/g, ' ')).toContain(stepText(step, names));
    // The second claim fails on the same run: referred to, not drawn again; both configurations saw the same.
    const second = lines.findIndex((l) => l.startsWith('  x never: { calls: new_target }'));
    expect(lines[second + 1]).toBe('      (the run drawn above)');
    expect(lines.filter((l) => l.includes('cpu1.main: jal'))).toHaveLength(1);
    expect(lines.at(-1)).toBe('  full report: reports/one.md');
    expect(failureDetails(failing, plain, { width: 72, full: false }).at(-1)).toBe('      (the run drawn above)');
  });

  it('keeps the lanes within the width, and shows a long run by its first and last steps unless full detail is asked for', () => {
    const run = seed.configs[0].table!.signatures.get('ff04f')!.example;
    expect(seed.configs[0].table!.rows.find((x) => x.row.signature === 'ff04f')!.status).toBe('fail');
    const brief = failureDetails(seed, plain, { width: 60, full: false });
    // The check's own line is as long as its words; the lanes keep to the width.
    for (const line of brief.filter((l) => !l.startsWith('  x '))) expect(line.length, line).toBeLessThanOrEqual(60);
    const shown = numbered(brief.slice(brief.findIndex((l) => l.includes('ff04f --'))));
    expect(shown[0]).toBe(1);
    expect(shown.length).toBeLessThan(run.steps.length);
    expect(brief.join('\n')).toMatch(/\.\.\. \d+ steps \(\d+ to \d+\) \.\.\./);
    const full = failureDetails(seed, plain, { width: 60, full: true });
    expect(numbered(full.slice(full.findIndex((l) => l.includes('ff04f --'))))).toEqual(expect.arrayContaining(run.steps.map((_, i) => i + 1)));
    expect(full.join('\n')).not.toContain('...');
  });

  it('prints nothing for checks that fail as declared', () => {
    const nb = readNotebook('x.yaml', oneWord('  - never: { calls: new_target }\n    xfail: the point of the patch\n'));
    const r = judgeScenario(nb.entries[0].scenario);
    expect(r.status).toBe('xfail');
    expect(failureDetails(r, plain, { width: 72, full: false, report: 'reports/x.md' })).toEqual([]);
  }, 60_000);
});

describe('patchlit run on a terminal', () => {
  const two = `# two\n\n\`\`\`patchlit\n${oneWord('  - always: { calls: old_target }\n')}\n\`\`\`\n\n\`\`\`patchlit\n${oneWord('  - never: crash\n', 'other')}\n\`\`\`\n`;

  it('prints a failing check\'s run and the report that has it: the Markdown one, or another written; none for a report not written', { timeout: 120_000 }, () => {
    const dir = workspace({ 'scenarios/two.md': two });
    const md = patchlit(['run', 'scenarios/two.md'], dir);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^FAIL\s+one-word  scenarios\/two\.md:4  FAIL under ziccif-only and ziccid · /m);
    expect(md.stdout).toMatch(/^PASS\s+other  scenarios\/two\.md:\d+  pass under ziccif-only and ziccid · /m);
    expect(md.stdout).toMatch(/\n {7}cpu0  cpu1\n {4}1  \| {5}cpu1\.main: jal /);
    expect(md.stdout).toContain('\n  full report: reports/two.md\n');
    expect(existsSync(join(dir, 'reports/two.md'))).toBe(true);
    expect(patchlit(['run', '--format', 'text,json', 'scenarios/two.md'], dir).stdout).toContain('\n  full report: reports/two.txt\n');
    expect(patchlit(['run', '--format', 'junit', 'scenarios/two.md'], dir).stdout).toContain('\n  full report: reports/junit.xml\n');
    // Part of a notebook gets no report file; stdout gets the report itself.
    expect(patchlit(['run', 'scenarios/two.md:4'], dir).stdout).not.toContain('full report');
    expect(patchlit(['run', '--format', 'md,junit', 'scenarios/two.md:4'], dir).stdout).toContain('\n  full report: reports/junit.xml\n');
    const out = patchlit(['run', '--out', '-', '--format', 'text', 'scenarios/two.md'], dir);
    expect(out.stderr).toMatch(/cpu1\.main: jal/);
    expect(out.stderr).not.toContain('full report');
  });

  it('writes the text report in full with --detail full, and refuses a detail it does not know', { timeout: 120_000 }, () => {
    const dir = workspace({ 'scenarios/two.md': two });
    const brief = patchlit(['run', '--format', 'text', '--out', '-', 'scenarios/two.md'], dir);
    const full = patchlit(['run', '--format', 'text', '--out', '-', '--detail', 'full', 'scenarios/two.md'], dir);
    expect(brief.stdout).not.toContain('Condition ');
    expect(full.stdout).toContain('Positive: 0 Negative: ');
    expect(full.stdout).toContain('Condition never: crash');
    const bad = patchlit(['run', '--detail', 'most', 'scenarios/two.md'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--detail takes brief or full, not "most"');
  });
});
