// Terminal output of `patchlit run`: colour only on a TTY without NO_COLOR, a progress line
// that stays on one line and out of the way, and a summary whose last line CI can grep.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colours, poolFigures, ProgressLine, statusWord, summary } from '../../src/cli/terminal.ts';

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
