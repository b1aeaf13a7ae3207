// `patchlit litmus`: herd7's outcome block per configuration, kinds-file comparisons,
// errors at file:line:col.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './command.ts';

function patchlit(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, 'litmus', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const LB_FF = `RISCV LB.FF
Variant=self
{ 0:t0=instr:"li s0, 2"; 0:a1=P1:mod1; 0:s0=0;
  1:t0=instr:"li s0, 2"; 1:a1=P0:mod0; 1:s0=0; }
P0           | P1           ;
mod0:        | mod1:        ;
li s0, 1     | li s0, 1     ;
sw t0,0(a1)  | sw t0,0(a1)  ;
exists (0:s0=2 /\\ 1:s0=2)
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-litmus-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('patchlit litmus', () => {
  it("prints herd7's outcome block under each configuration asked for", () => {
    const dir = workspace({ 'LB.FF.litmus': LB_FF });
    const r = patchlit(['--model', 'ziccif-only,ziccid', 'LB.FF.litmus'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Model ziccif-only
Test LB.FF Allowed
States 4
0:s0=1; 1:s0=1;
0:s0=1; 1:s0=2;
0:s0=2; 1:s0=1;
0:s0=2; 1:s0=2;
Ok
Witnesses
Positive: 1 Negative: 3
Condition exists (0:s0=2 /\\ 1:s0=2)
Observation LB.FF Sometimes 1 3

Model ziccid
Test LB.FF Allowed
States 3
0:s0=1; 1:s0=1;
0:s0=1; 1:s0=2;
0:s0=2; 1:s0=1;
No
Witnesses
Positive: 0 Negative: 3
Condition exists (0:s0=2 /\\ 1:s0=2)
Observation LB.FF Never 0 3

`);
  });

  it('compares with a kinds file and prints every disagreement, exiting 1', () => {
    const dir = workspace({ 'LB.FF.litmus': LB_FF, 'right.txt': 'LB.FF  Allow\n', 'wrong.txt': 'LB.FF  Forbid\n', '@all': 'LB.FF.litmus\n' });
    const ok = patchlit(['--model', 'ziccif-only', '--kinds', 'right.txt', '--quiet', '.'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('ziccif-only: 1 of 1 verdicts agree with right.txt\n');
    const bad = patchlit(['--kinds', 'ziccif-only=wrong.txt', '--quiet', 'LB.FF.litmus'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('ziccif-only: 0 of 1 verdicts agree with wrong.txt\ndisagreement: LB.FF under ziccif-only: patchlit says Allow, wrong.txt says Forbid\n');
  });

  it('prints the same whatever --jobs is: tests judged in threads, printed in order', () => {
    const other = LB_FF.replace('RISCV LB.FF', 'RISCV LB.FF2').replace('li s0, 1     | li s0, 1', 'li s0, 3     | li s0, 1');
    const dir = workspace({ 'LB.FF.litmus': LB_FF, 'LB.FF2.litmus': other, 'k.txt': 'LB.FF Allow\nLB.FF2 Forbid\n', '@all': 'LB.FF.litmus\nLB.FF2.litmus\n' });
    const [one, two] = ['1', '2'].map((jobs) => patchlit(['--jobs', jobs, '--kinds', 'ziccif-only=k.txt', '.'], dir));
    expect(one.stdout).toMatch(/^Model ziccif-only\nTest LB\.FF Allowed[^]*\nTest LB\.FF2 /);
    expect(two).toEqual(one);
  });

  it('patchlit run takes a .litmus file too, and reports it like a scenario', () => {
    const dir = workspace({ 'LB.FF.litmus': LB_FF });
    const r = spawnSync(process.execPath, [BIN, 'run', '--model', 'ziccif-only,ziccid', '--out', 'out', 'LB.FF.litmus'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toMatch(/^FAIL\s+LB\.FF  LB\.FF\.litmus:1  FAIL under ziccid; pass under ziccif-only · /);
    const report = readFileSync(join(dir, 'out', 'LB.FF.md'), 'utf8');
    expect(report).toContain('```litmus\nRISCV LB.FF');
    expect(report).toMatch(/\| complete \| 0:s0=2; 1:s0=2; \| \d+ \| — \|/);
  });

  it('reports bad input at file:line:col and exits 2', () => {
    const dir = workspace({ 'bad.litmus': LB_FF.replace('li s0, 1     | li s0, 1', 'li s0, 1     | lii s0, 1') });
    const r = patchlit(['bad.litmus'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.litmus:7:16: error: P1: unknown instruction "lii"/);
    expect(patchlit(['--model', 'zicid', 'bad.litmus'], dir).stderr).toMatch(/--model takes fetch configurations/);
    expect(patchlit(['--model', 'ziccif-only,ziccid', '--kinds', 'k.txt', 'bad.litmus'], dir).stderr).toMatch(/say which configuration it is for/);
  });
});
