// The command as a user runs it: a subprocess, its output, its exit status, its files.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD } from '../helpers.ts';

const BIN = join(process.cwd(), 'src', 'cli', 'patchlit.js');

function patchlit(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-cli-'));
  execFileSync('mkdir', ['-p', join(dir, 'scenarios')]);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;
const failing = `${PATCH_ONE_WORD.trim().replace('name: one-word', 'name: one-word-fails')}\nclaims:\n  - always: { calls: new_target }\n`;

describe('patchlit run', () => {
  it('writes the report mirrored under reports/, prints a line per scenario, exits 0 when every claim holds', () => {
    const dir = workspace({ 'scenarios/ok.md': '# ok\n\n```patchlit\n' + passing + '```\n' });
    const r = patchlit(['run', 'scenarios/ok.md'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS\s+one-word  scenarios\/ok\.md:4  pass under all 5 · [\d,]+ states\n1 passed, 0 failed\n$/);
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

  it('--format json prints the report on stdout', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing });
    const r = patchlit(['run', '--format', 'json', 'scenarios/ok.yaml'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0]).toMatchObject({ path: 'scenarios/ok.yaml', scenarios: [{ name: 'one-word', verdict: 'pass' }] });
    const configs = report.files[0].scenarios[0].configurations;
    expect(configs.map((c: { fetch: string }) => c.fetch)).toEqual(['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch']);
    expect(configs[0]).toMatchObject({ verdict: 'pass', checks: [{ name: 'never: crash', verdict: 'pass' }] });
    expect(configs[0].stats).toMatchObject({ states: expect.any(Number), executions: expect.any(Number) });
    expect(r.stderr).toMatch(/^PASS/);
  });
});
