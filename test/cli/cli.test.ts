// The command as a user runs it: a subprocess, its output, its exit status, its files.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD, SPIN_LOCK } from '../helpers.ts';
import { BIN, patchlit, running, workspace } from './command.ts';
import { spawnSync } from 'node:child_process';

const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;
const failing = `${PATCH_ONE_WORD.trim().replace('name: one-word', 'name: one-word-fails')}\nclaims:\n  - always: { calls: new_target }\n`;

describe('patchlit run', () => {
  it('writes the report mirrored under reports/, prints a line per scenario, exits 0 when every claim holds', () => {
    const dir = workspace({ 'scenarios/ok.md': '# ok\n\n```patchlit\n' + passing + '```\n' });
    const r = patchlit(['run', 'scenarios/ok.md'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS\s+one-word  scenarios\/ok\.md:4  pass under all 5 · [\d,]+ states\n/);
    expect(r.stdout).toMatch(/\n Scenarios  1 passed\n  Duration  \d+\.\ds\n1 passed, 0 failed\n$/);
    expect(readFileSync(join(dir, 'reports/ok.md'), 'utf8')).toContain('**patchlit** `one-word`: pass');
  });

  it('exits 1 when a claim fails', () => {
    const dir = workspace({ 'scenarios/bad.yaml': failing });
    const r = patchlit(['run', 'scenarios'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+one-word-fails/m);
    expect(r.stdout).toMatch(/0 passed, 1 failed\n$/);
    expect(readFileSync(join(dir, 'reports/bad.md'), 'utf8')).toContain('Counterexample to `always: { calls: new_target }`');
  });

  it('exits 2 on bad input, naming file:line:col with the line and a caret, and explores nothing', () => {
    const dir = workspace({ 'scenarios/typo.yaml': passing.replace('insn: NEW', 'insn: "jalr t0, 4096(t0)"') });
    const r = patchlit(['run', 'scenarios/typo.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'scenarios/typo.yaml:16:40: error: jalr: offset 4096 out of range -2048..2047: a JALR alone reaches ±2 KiB of its base register',
        '    - store: { at: func, insn: "jalr t0, 4096(t0)" }',
        '  ' + ' '.repeat(39) + '^', // under column 40
        '  hint: the target is 0x1000 away from the base: use an AUIPC+JALR pair',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 on a bad command line', () => {
    const dir = workspace({});
    expect(patchlit(['run'], dir).code).toBe(2);
    expect(patchlit(['frobnicate'], dir).code).toBe(2);
    expect(patchlit(['run', '--max-states', 'lots', 'x'], dir).stderr).toMatch(/--max-states needs a positive number/);
  });

  it('a state space over its budget is incomplete, never a pass, and exits 2 naming the scenario', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing });
    const r = patchlit(['run', '--max-states', '5', 'scenarios/ok.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^INCOMPLETE\s+one-word/m);
    expect(r.stdout).toMatch(/0 passed, 0 failed, 1 incomplete\n$/);
    expect(r.stderr).toMatch(/^scenarios\/ok\.yaml:1:1: error: scenario "one-word" under ziccif-only is over its state budget \(\d+ states explored\): its verdict is incomplete\n  hint: raise --max-states or budget\.states\n/);
    expect(r.stderr.split('\n').filter((l) => l.includes('error:'))).toHaveLength(5); // once per configuration
  });

  it('the time budget bounds the searches inside each step too: a spin lock under RVWMO ends incomplete, for time (issue 12)', { timeout: 60_000 }, () => {
    const dir = workspace({ 'scenarios/spin.yaml': SPIN_LOCK.trim() + '\n' });
    // A guard, not a measure: without a deadline inside certification this ran for hours.
    const r = patchlit(['run', '--timeout', '2', '--max-states', '20000', '--format', 'md,json', 'scenarios/spin.yaml'], dir, 30_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^INCOMPLETE\s+spin-lock  scenarios\/spin\.yaml:1  INCOMPLETE under ziccif-only/m);
    expect(r.stdout).toMatch(/0 passed, 0 failed, 1 incomplete\n$/);
    expect(r.stderr).toMatch(/^scenarios\/spin\.yaml:1:1: error: scenario "spin-lock" under ziccif-only is over its time budget \([\d,]+ states? explored\): its verdict is incomplete\n  hint: raise --timeout or budget\.seconds\n/);
    const report = JSON.parse(readFileSync(join(dir, 'reports/spin.json'), 'utf8'));
    const config = report.files[0].scenarios[0].configurations[0];
    expect(config).toMatchObject({ verdict: 'incomplete', stats: { complete: false, stopped: 'time' } });
    expect(config.checks.map((c: { verdict: string }) => c.verdict)).not.toContain('pass');
    expect(readFileSync(join(dir, 'reports/spin.md'), 'utf8')).toContain('the search stopped at its time budget');
  });

  it('--format json --out - prints the report on stdout', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing });
    const r = patchlit(['run', '--format', 'json', '--out', '-', 'scenarios/ok.yaml'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0]).toMatchObject({ path: 'scenarios/ok.yaml', scenarios: [{ name: 'one-word', verdict: 'pass' }] });
    const configs = report.files[0].scenarios[0].configurations;
    expect(configs.map((c: { fetch: string }) => c.fetch)).toEqual(['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch']);
    expect(configs[0]).toMatchObject({ verdict: 'pass', checks: [{ name: 'never: crash', verdict: 'pass' }] });
    expect(configs[0].stats).toMatchObject({ states: expect.any(Number) });
    expect(configs[0].outcomes.map((o: { depth: number }) => o.depth)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(configs[0].checks[0]).toMatchObject({ satisfied: 0 });
    expect(r.stderr).toMatch(/^PASS/);
  });
});

const twoScenarios = '# two\n\n```patchlit\n' + passing + '```\n\nBetween.\n\n```patchlit\n' + failing + '```\n';

describe('patchlit run: regression use', () => {
  it('FILE:LINE runs the scenario whose block holds that line; --filter by name', () => {
    const dir = workspace({ 'scenarios/two.md': twoScenarios });
    const byLine = patchlit(['run', 'scenarios/two.md:30'], dir);
    expect(byLine.stdout).toMatch(/^FAIL\s+one-word-fails/m);
    expect(byLine.stdout).not.toMatch(/^PASS\s+one-word /m);
    const byName = patchlit(['run', '--filter', 'one-word', '--filter', 'nothing*', 'scenarios/two.md'], dir);
    expect(byName.stdout).toMatch(/1 passed, 1 failed\n$/);
    const glob = patchlit(['run', '--filter', '*-fails', 'scenarios/two.md'], dir);
    expect(glob.stdout).toMatch(/0 passed, 1 failed\n$/);
    expect(patchlit(['run', 'scenarios/two.md:1'], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/scenarios\/two\.md:1 is not inside a scenario block/) });
  });

  it('--shard K/N splits the notebooks between machines, each exactly once', () => {
    const dir = workspace({ 'scenarios/a.yaml': passing, 'scenarios/b.yaml': passing, 'scenarios/c.yaml': passing });
    const ran = [1, 2].map((k) => patchlit(['run', '--shard', `${k}/2`, 'scenarios'], dir).stdout.match(/scenarios\/\w\.yaml/g) ?? []);
    expect(ran[0].length + ran[1].length).toBe(3);
    expect(new Set([...ran[0], ...ran[1]]).size).toBe(3);
    expect(patchlit(['run', '--shard', '3/2', 'scenarios'], dir)).toMatchObject({ code: 2 });
  });

  it('an expected failure passes, showing its counterexample; an unexpected pass fails', () => {
    const xfail = failing.replace('claims:', 'xfail: the new target is not always called\nclaims:');
    const xpass = passing.replace('claims:', 'xfail: true\nclaims:');
    const dir = workspace({ 'scenarios/x.md': '# x\n\n```patchlit\n' + xfail + '```\n', 'scenarios/y.yaml': xpass });
    const r = patchlit(['run', 'scenarios/x.md'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^XFAIL\s+one-word-fails/m);
    expect(r.stdout).toMatch(/\n1 passed, 0 failed\n$/);
    expect(readFileSync(join(dir, 'reports/x.md'), 'utf8')).toContain('Counterexample to `always: { calls: new_target }`');
    const y = patchlit(['run', 'scenarios/y.yaml'], dir);
    expect(y.code).toBe(1);
    expect(y.stdout).toMatch(/^XPASS\s+one-word/m);
    expect(y.stdout).toMatch(/\n0 passed, 1 failed\n$/);
  });

  it('a changed recorded outcome fails with a diff; --update rewrites only that value; never in CI', () => {
    const text = '# r\n\n```patchlit\n' + passing + 'outcomes: |\n  complete; cpu1: old_target\n```\n\nAfter.\n';
    const dir = workspace({ 'scenarios/r.md': text });
    const r = patchlit(['run', 'scenarios/r.md'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('scenarios/r.md:24:1: outcomes: changed');
    expect(r.stdout).toMatch(/^ {4}\+ complete; cpu1: new_target$/m);
    expect(r.stdout).toMatch(/^ {6}complete; cpu1: old_target$/m);
    const ci = spawnSync(process.execPath, [BIN, 'run', '--update', 'scenarios/r.md'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(ci.status).toBe(2);
    expect(readFileSync(join(dir, 'scenarios/r.md'), 'utf8')).toBe(text);
    const u = patchlit(['run', '--update', 'scenarios/r.md'], dir);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('updated scenarios/r.md: outcomes');
    expect(readFileSync(join(dir, 'scenarios/r.md'), 'utf8')).toBe(text.replace('  complete; cpu1: old_target\n', '  complete; cpu1: new_target\n  complete; cpu1: old_target\n'));
    expect(patchlit(['run', 'scenarios/r.md'], dir).code).toBe(0);
  });

  it('--seed N shuffles the order scenarios run in, not what they come to', () => {
    const dir = workspace({ 'scenarios/a.yaml': passing.replace('one-word', 'a'), 'scenarios/b.yaml': passing.replace('one-word', 'b'), 'scenarios/c.yaml': failing.replace('one-word-fails', 'c') });
    const order = (args: string[]) => patchlit(['run', ...args, 'scenarios'], dir).stdout.match(/^\w+\s+\w(?=  )/gm) ?? [];
    const plain = order([]);
    expect(plain.map((l) => l.slice(-1))).toEqual(['a', 'b', 'c']);
    const orders = [1, 2, 3, 4, 5].map((seed) => order(['--seed', String(seed)]));
    for (const o of orders) expect([...o].sort()).toEqual([...plain].sort());
    expect(new Set(orders.map((o) => o.join())).size).toBeGreaterThan(1);
    expect(order(['--seed', '3'])).toEqual(orders[2]);
    expect(patchlit(['run', '--seed', '3', 'scenarios'], dir).stdout).toContain('      Seed  3\n');
  });

  it('--quiet prints only what fails and the last line', () => {
    const dir = workspace({ 'scenarios/two.md': twoScenarios });
    const r = patchlit(['run', '--quiet', 'scenarios/two.md'], dir);
    expect(r.stdout.split('\n')[0]).toMatch(/^FAIL\s+one-word-fails/);
    expect(r.stdout).not.toMatch(/^PASS/m);
    expect(r.stdout).toMatch(/\n1 passed, 1 failed\n$/);
  });
});

describe('patchlit check', () => {
  it('validates without exploring: 0 when valid, 2 with file:line:col otherwise', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing, 'scenarios/bad.yaml': passing.replace('insn: NEW', 'insn: NOPE') });
    const ok = patchlit(['check', 'scenarios/ok.yaml'], dir);
    expect(ok).toMatchObject({ code: 0, stdout: '1 scenario in 1 file: valid\n' });
    const bad = patchlit(['check', 'scenarios'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^scenarios\/bad\.yaml:16:30: error: unknown/m);
  });
});

describe('patchlit run --watch', () => {
  it('judges again the notebook that changes, and only it', async () => {
    const dir = workspace({ 'scenarios/a.yaml': passing.replace('one-word', 'a'), 'scenarios/b.yaml': passing.replace('one-word', 'b') });
    const { child, output, until } = running(['run', '--watch', 'scenarios'], dir);
    try {
      await until(/watching for changes/);
      expect(output().match(/^PASS/gm)).toHaveLength(2);
      writeFileSync(join(dir, 'scenarios/b.yaml'), failing.replace('one-word-fails', 'b'));
      await until(/changed: scenarios\/b\.yaml\n[^]*0 passed, 1 failed\n/);
      expect(output().split('changed:')[1]).not.toMatch(/ a  scenarios\/a\.yaml/);
      expect(output().split('changed:')[1]).toMatch(/^FAIL\s+b  scenarios\/b\.yaml/m);
    } finally {
      child.kill('SIGINT');
    }
  });
});
