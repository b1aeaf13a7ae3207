// Trap-return fixups restricted as a kernel restricts them (issue 12, item 3): to the
// entries it patches (`at:`, `in:`), to the traps whose return runs them (`on:`), and never
// on the firmware's MRET from the SBI call's interrupt. Each restriction is shown to
// change a verdict; the data load of the word at sepc is shown to happen only where a
// fixup may apply; reports say when a return skipped a fixup that would have matched.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/index.ts';
import type { MachineEvent } from '../../src/machine/types.ts';
import { Names, stepText } from '../../src/report/index.ts';
import { pairSite, reachableEvents, run, scenario, under } from '../helpers.ts';

/**
 * The seed thread's J +8 protocol on an AUIPC+JALR call site (both words change), one
 * remote hart, the remote fence.i by IPI or by the SBI call (FENCE W,O first, as Linux's
 * flush_icache_all() has it), and the rewind with RESTRICT's keys.
 */
function threeStep(restrict: string, via: 'ipi' | 'sbi' = 'ipi', extra = ''): string {
  const flush = via === 'ipi' ? '  - fence w,w\n  - ipi: { sync: true }' : '  - fence w,o\n  - sbi: { completion: completed }';
  return `${pairSite('three-step', '0x80051b40')}model: { fetch: [ziccif-only, ziccid] }
insns:
  J8: j .+8
  JALR': jalr t0, %lo(t_new - func)(t0)
  AUIPC': auipc t0, %hi(t_new - func)
  AUIPC: auipc t0, %hi(t_old - func)
patch:
  - store: { at: func, insn: J8 }
${flush}
  - store: { at: func+4, insn: "JALR'" }
${flush}
  - store: { at: func, insn: "AUIPC'" }
${flush}
harts:
  - calls: func
${extra}trap-return:
  - name: rewind
    when: jalr t0, *(t0)
    resume: sepc - 4
${restrict
  .split('\n')
  .filter(Boolean)
  .map((l) => `    ${l}`)
  .join('\n')}
claims:
  - never: { executed: [AUIPC, "JALR'"], at: func }
  - sometimes: { calls: t_new }
`;
}

/** Whether the old AUIPC can run back to back with the new JALR, under each configuration. */
const mixed = (yaml: string) => run(yaml).configs.map((c) => c.claims[0].verdict === 'fail');
const reachesNew = (yaml: string) => run(yaml).configs.every((c) => c.claims[1].verdict === 'pass');

describe('a trap-return fixup restricted to the entries a kernel patches', () => {
  it('at: applies only when sepc is one of its addresses', () => {
    expect(mixed(threeStep(''))).toEqual([false, false]);
    expect(mixed(threeStep('at: func+4'))).toEqual([false, false]);
    expect(mixed(threeStep('at: [func+4, func+8]'))).toEqual([false, false]);
    // The AUIPC's address is not where the hart is interrupted before the JALR.
    expect(mixed(threeStep('at: func'))).toEqual([true, true]);
    expect(reachesNew(threeStep('at: func+4'))).toBe(true);
  });

  it('in: applies only when sepc is in its range (END not included) or code region', () => {
    expect(mixed(threeStep('in: [func, func+8]'))).toEqual([false, false]);
    expect(mixed(threeStep('in: func'))).toEqual([false, false]);
    expect(mixed(threeStep('in: [[func+8, func+12], [func+4, func+8]]'))).toEqual([false, false]);
    expect(mixed(threeStep('in: [func, func+4]'))).toEqual([true, true]);
  });

  it('on: applies only on the return from the traps it names', () => {
    expect(mixed(threeStep('on: [ipi]'))).toEqual([false, false]);
    expect(mixed(threeStep('on: ipi'))).toEqual([false, false]);
    expect(mixed(threeStep('on: [timer, stop, resume]'))).toEqual([true, true]);
  });

  it('reads the word at sepc only where a fixup may apply: nowhere, the states of no fixup at all', () => {
    const states = (yaml: string) => under(run(yaml)).stats.states;
    const none = states(threeStep('').replace(/trap-return:[\s\S]*?claims:/, 'trap-return: []\nclaims:'));
    // No timer: a fixup on timer returns only never applies, and no return reads sepc.
    expect(states(threeStep('on: [timer]'))).toBe(none);
    expect(states(threeStep('at: func+4'))).toBeLessThan(states(threeStep('')));
    expect(states(threeStep(''))).toBeGreaterThan(none);
  });
});


const machine = (yaml: string) => new Machine(scenario(yaml).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
const returns = (yaml: string) => reachableEvents(machine(yaml)).filter((e): e is Extract<MachineEvent, { kind: 'trap-return' }> => e.kind === 'trap-return');

describe("the firmware's return from the SBI call's interrupt", () => {
  it('runs no kernel fixup, whatever it is restricted to: the old AUIPC meets the new JALR (true, and decisive)', () => {
    expect(mixed(threeStep('', 'sbi'))).toEqual([true, true]);
    expect(mixed(threeStep('in: [func, func+8]\non: [ipi]', 'sbi'))).toEqual([true, true]);
  });

  it('is an MRET in the events, which name the fixup that would have matched the word memory holds at sepc', () => {
    const sbi = returns(threeStep('at: func+4', 'sbi'));
    expect(sbi.length).toBeGreaterThan(0);
    for (const e of sbi) expect(e.mode).toBe('machine');
    expect(sbi.some((e) => e.sepc === 0x80000004n && e.skipped?.fixup === 'rewind')).toBe(true);
    // Only where the fixup applies: at func it is restricted away from func+4.
    expect(returns(threeStep('at: func', 'sbi')).some((e) => e.skipped !== undefined && e.sepc === 0x80000004n)).toBe(false);
    // The kernel's own returns are no MRET and skip nothing.
    for (const e of returns(threeStep('at: func+4'))) expect(e.mode === undefined && e.skipped === undefined).toBe(true);
  });

  it('reads as such in the run the report shows', () => {
    const r = run(threeStep('at: func+4', 'sbi'));
    const cex = under(r).claims[0].counterexample!;
    const names = new Names(r.scenario);
    const lines = cex.steps.map((st) => stepText(st, names));
    expect(lines).toContainEqual(
      expect.stringMatching(/^the firmware returns \(MRET\) to func\+0x4; the kernel's fixups do not run \(rewind would match jalr t0,.*, which memory holds there now\)$/),
    );
  });
});

describe("a resumed task's path without the fixups", () => {
  const preempted = (fixups: boolean) =>
    threeStep(
      '',
      'ipi',
      `    timer: { count: 1 }
    preempt: { fixups: ${fixups} }
spare-harts: 1
`,
    ).replace(/patch:[\s\S]*?harts:/, `patch:\n  - stop_machine:\n    - store: { at: func, insn: "AUIPC'" }\n    - store: { at: func+4, insn: "JALR'" }\nharts:`);

  it('says which fixup it skipped, where one would have matched', () => {
    expect(mixed(preempted(false))).toEqual([true, true]);
    expect(mixed(preempted(true))).toEqual([false, false]);
    const skipped = returns(preempted(false)).filter((e) => e.skipped);
    expect(skipped.length).toBeGreaterThan(0);
    for (const e of skipped) expect(e).toMatchObject({ sepc: 0x80000004n, skipped: { fixup: 'rewind' } });
    expect(returns(preempted(true)).some((e) => e.skipped)).toBe(false);
    const r = run(preempted(false));
    const names = new Names(r.scenario);
    const lines = under(r).claims[0].counterexample!.steps.map((st) => stepText(st, names));
    expect(lines.some((l) => l.includes("returns (SRET) to func+0x4; the resumed task's path skips the fixups (rewind would match"))).toBe(true);
  });
});
