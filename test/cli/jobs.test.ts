// `--jobs N`: configurations and scenarios judged in worker threads. The same input gives
// the same reports byte for byte, the same lines and the same exit status, whatever N is;
// bad input reads the same; the time budget is still one per scenario.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitWithoutTimes, PATCH_ONE_WORD, SPIN_LOCK } from '../helpers.ts';
import { patchlit, workspace } from './command.ts';

/** Every file under `dir`, by path relative to it (junit.xml without its wall times). */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = name === 'junit.xml' ? junitWithoutTimes(readFileSync(p, 'utf8')) : readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The run's own time is the one line allowed to differ. */
const timeless = (text: string) => text.replace(/^ {2}Duration {2}.*\n/m, '');

const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;
const failing = `${PATCH_ONE_WORD.trim().replace('name: one-word', 'name: one-word-fails')}\nclaims:\n  - always: { calls: new_target }\n`;

describe('patchlit run --jobs', () => {
  it('writes the same reports byte for byte, prints the same lines and exits the same, whatever the number of threads', { timeout: 120_000 }, () => {
    // ipi.md: fourteen scenarios of one or two configurations, and a warning; two.md: two
    // scenarios of five configurations each, one with counterexamples. Three threads are
    // more than most of these scenarios have configurations.
    const dir = workspace({
      'scenarios/ipi.md': readFileSync('scenarios/model/ipi.md', 'utf8'),
      'scenarios/two.md': '# two\n\n```patchlit\n' + passing + '```\n\n```patchlit\n' + failing + '```\n',
    });
    const runs = [1, 2, 3].map((jobs) => {
      const r = patchlit(['run', '--jobs', String(jobs), '--format', 'md,text,json,junit', '--out', `out${jobs}`, 'scenarios'], dir);
      return { ...r, reports: files(join(dir, `out${jobs}`)) };
    });
    const [one, ...more] = runs;
    expect(one.code).toBe(1);
    expect(Object.keys(one.reports)).toEqual(['ipi.json', 'ipi.md', 'ipi.txt', 'junit.xml', 'two.json', 'two.md', 'two.txt']);
    expect(one.stderr).toMatch(/^scenarios\/ipi\.md:\d+:\d+: warning: /);
    for (const r of more) {
      expect(r.code).toBe(one.code);
      expect(r.reports).toEqual(one.reports);
      expect(timeless(r.stdout)).toBe(timeless(one.stdout));
      expect(r.stderr).toBe(one.stderr);
    }
  });

  it('bad input reads the same, file:line:col with the line, a caret and a hint, exit 2', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing, 'scenarios/typo.yaml': passing.replace('insn: NEW', 'insn: "jalr t0, 4096(t0)"') });
    const [one, two] = ['1', '2'].map((jobs) => patchlit(['run', '--jobs', jobs, 'scenarios'], dir));
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^scenarios\/typo\.yaml:16:40: error: jalr: offset 4096 out of range[^\n]*\n {4}- store[^\n]*\n {41}\^\n {2}hint: /);
    expect(two).toEqual(one);
  });

  it('the time budget is one per scenario, shared by its configurations in every thread: incomplete, never a pass, exit 2', { timeout: 60_000 }, () => {
    const spin = SPIN_LOCK.trim().replace('fetch: ziccif-only', 'fetch: [ziccif-only, ziccid, ir3-fetch]') + '\n';
    const dir = workspace({ 'scenarios/spin.yaml': spin });
    const r = patchlit(['run', '--jobs', '2', '--timeout', '2', '--max-states', '1000000', '--format', 'json', 'scenarios/spin.yaml'], dir, 30_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^INCOMPLETE\s+spin-lock  scenarios\/spin\.yaml:1  INCOMPLETE under all 3/m);
    expect(r.stdout).toMatch(/0 passed, 0 failed, 1 incomplete\n$/);
    for (const config of ['ziccif-only', 'ziccid', 'ir3-fetch']) expect(r.stderr).toContain(`error: scenario "spin-lock" under ${config} is over its time budget`);
    const report = JSON.parse(readFileSync(join(dir, 'reports/spin.json'), 'utf8'));
    for (const c of report.files[0].scenarios[0].configurations) {
      expect(c).toMatchObject({ verdict: 'incomplete', stats: { complete: false, stopped: 'time' } });
      expect(c.checks.map((x: { verdict: string }) => x.verdict)).not.toContain('pass');
    }
  });

  it('takes a positive whole number', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing });
    for (const bad of ['0', '-1', '1.5', 'many']) {
      const r = patchlit(['run', `--jobs=${bad}`, 'scenarios'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`patchlit: --jobs takes a positive whole number of threads, not "${bad}"`);
    }
  });
});
