// Words a kernel reviewer reads in every run (issue 16): each test is a run whose old
// description misled, checked against the words that say what happened.

import { describe, expect, it } from 'vitest';
import { Names, stepText } from '../../src/report/index.ts';
import type { Run } from '../../src/verdict/types.ts';
import { run } from '../helpers.ts';

/** Every step of every counterexample and witness of a result, as the reports describe them. */
function stepTexts(yaml: string): string[] {
  const r = run(yaml);
  const names = new Names(r.scenario);
  const runs: Run[] = r.configs.flatMap((c) => c.claims.flatMap((x) => [x.counterexample, x.witness].filter((y): y is Run => y !== undefined)));
  return runs.flatMap((x) => x.steps.map((s) => stepText(s, names)));
}

/** A 4-byte nop at 2 mod 4 flipped to a jump 4 KiB away; the hart fetches `fetch`'s pieces. */
const SITE = (atomicity: string, patch: string) => `
name: site
model: { fetch: ziccid, atomicity: ${atomicity} }
code:
  key_user:
    at: 0x80100000
    asm: |
      c.li a0, 0
      site:
      nop
      ret
  cold:
    at: 0x80101100
    asm: |
      on:
      li a0, 1
      ret
patch:
${patch}
harts:
  - calls: key_user
claims:
  - never: crash
`;

/** A function at 0x80000000 (`body`, then ret), whose NEW (`li a0, 1`) the patch stores; one claim that `sometimes`. */
const patchFunc = (body: string, patch: string, harts: string, sometimes: string) => `
name: func
model: { fetch: ziccid }
code:
  func:
    at: 0x80000000
    asm: |
      ${body}
      ret
insns:
  OLD: nop
  NEW: li a0, 1
patch:
${patch}
harts:
${harts}
claims:
  - sometimes: ${sometimes}
`;

describe('the words of a run', () => {
  it('a fetch whose parcels memory never held together is torn, not stale', () => {
    // One aligned 4-byte store; the hart fetches parcel by parcel, so it can read the new low half with the old high one.
    const texts = stepTexts(SITE('parcel', '  - store: { at: site, insn: "j on" }').replace('c.li a0, 0\n      site:', 'c.li a0, 0\n      c.nop\n      site:'));
    const torn = texts.filter((t) => t.includes('fetched torn'));
    expect(torn.length).toBeGreaterThan(0);
    expect(torn[0]).toMatch(/low parcel 0x[0-9a-f]{4}, high parcel 0x0000, read when memory never held both; memory now holds j /);
    expect(texts.some((t) => /fetched stale/.test(t) && /jal|j 0x/.test(t.split(',')[0]))).toBe(false);
  });

  it('a half-written word in memory, fetched whole, is neither torn nor stale: memory held it', () => {
    const texts = stepTexts(SITE('ziccif', '  - store: { at: site, value: 0x106f, size: 2 }\n  - store: { at: site+2, value: 0x0fe0, size: 2 }'));
    expect(texts.some((t) => t.startsWith('site: j 0x'))).toBe(true);
    expect(texts.some((t) => t.includes('fetched torn'))).toBe(false);
  });

  it('an address beyond its region is not named after a symbol below it', () => {
    const r = run(SITE('ziccif', '  - store: { at: site, value: 0x106f, size: 2 }'));
    const names = new Names(r.scenario);
    expect(names.addr(0x80100002n)).toBe('site');
    expect(names.addr(0x80100006n)).toBe('site+0x4');
    // 0x80101000 is between key_user's region and cold's: no symbol names it.
    expect(names.addr(0x80101002n)).toBe('0x80101002');
    expect(names.addr(0x80101104n)).toBe('cold+0x4');
  });

  it("the SBI call's interrupt is taken in machine mode, with no sepc, and returns by the firmware's MRET", () => {
    const texts = stepTexts(patchFunc('nop\n      nop', '  - store: { at: func+4, insn: NEW }\n  - fence w,o\n  - sbi: { completion: completed }', '  - calls: func', '{ executed: [OLD, NEW], at: func, after: 3 }'));
    const taken = texts.filter((t) => t.includes("takes the SBI call's interrupt"));
    expect(taken.length).toBeGreaterThan(0);
    for (const t of taken) expect(t).toMatch(/in machine mode, at /);
    expect(texts.some((t) => t.includes("SBI call's interrupt (sepc"))).toBe(false);
    expect(texts.some((t) => t.includes('the firmware returns (MRET) to'))).toBe(true);
  });

  it('stop_machine wakes stopper threads and says how many it waits for, in English for one hart', () => {
    const stop = (harts: string) => patchFunc('nop', '  - stop_machine:\n      - store: { at: func, insn: NEW }', harts, '{ executed: [NEW], at: func, after: 2 }');
    const one = stepTexts(stop('  - calls: func'));
    expect(one).toContain("stop_machine begins: wakes cpu1's stopper thread to park it; waits until it has parked");
    const two = stepTexts(stop('  - calls: func\n  - calls: func'));
    expect(two).toContain('stop_machine begins: wakes the stopper threads of cpu1 and cpu2 to park them; waits until both have parked');
    expect([...one, ...two].some((t) => t.includes('to park them; waits until all have'))).toBe(false);
  });
});
