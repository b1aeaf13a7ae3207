// The two readings of a hart's own FENCE.I (model option `fence-i`): what the engine does
// with each, and the lint that flags a protocol whose safety rests on the permissive one.

import { describe, expect, it } from 'vitest';
import { run, scenario, under } from '../helpers.ts';

/** A trampoline published with the SBI call; STEPS go between the trampoline store and the call. */
const sbi = (steps: string, model = '') => `
name: sbi
model: { fetch: ziccif-only${model} }
code:
  func: { at: 0x80001000, asm: "nop\\nret" }
  tramp: { at: 0x80002000, asm: ".word 0" }
insns:
  CALL: jal t0, tramp
  RET: jr t0
patch:
  - store: { at: tramp, insn: RET }
${steps.replace(/^/gm, '  ')}
  - sbi: { completion: completed }
  - store: { at: func, insn: CALL }
harts:
  - calls: func
claims:
  - never: illegal-instruction
`;

const warnings = (yaml: string) => (scenario(yaml).warnings ?? []).map((w) => `${w.pos.line}:${w.pos.col}: ${w.message}`);

describe('fence-i: transitive and fetch-only', () => {
  it('defaults to the ifetch suite\'s axioms, and can be set', () => {
    expect(scenario(sbi('- fence.i')).system.model.fenceI).toBe('transitive');
    expect(scenario(sbi('- fence.i', ', fence-i: fetch-only')).system.model.fenceI).toBe('fetch-only');
  });

  it('orders a store before the SBI call through FENCE.I under the axioms only', () => {
    expect(under(run(sbi('- fence.i'))).claims[0].verdict).toBe('pass');
    expect(under(run(sbi('- fence.i', ', fence-i: fetch-only'))).claims[0].verdict).toBe('fail');
  });

  it('needs a data fence naming device output under the prose\'s reading, as Linux has it', () => {
    expect(under(run(sbi('- fence.i\n- fence w,o', ', fence-i: fetch-only'))).claims[0].verdict).toBe('pass');
  });

  it('refuses a reading it does not know, at its place', () => {
    expect(() => scenario(sbi('- fence.i', ', fence-i: strict'))).toThrow(/3:\d+: .*fence-i/);
  });
});

describe('the lint for protocols that rest on the permissive reading', () => {
  it('warns at the call when only the hart\'s own FENCE.I orders a store before it', () => {
    expect(warnings(sbi('- fence.i'))).toEqual([expect.stringMatching(/^13:5: cpu0's SBI call is ordered after its store at line 11 \(store RET at tramp\) only by its own FENCE\.I/)]);
  });

  it('is silent when a data fence orders the store, when nothing does (the verdict says so), under fetch-only, and for the kernel\'s IPI', () => {
    expect(warnings(sbi('- fence.i\n- fence w,o'))).toEqual([]);
    expect(warnings(sbi('- fence rw,rw'))).toEqual([]);
    expect(warnings(sbi('- fence.i', ', fence-i: fetch-only'))).toEqual([]);
    expect(warnings(sbi('- fence.i').replace('- sbi: { completion: completed }', '- ipi: { sync: true }'))).toEqual([]);
  });

  it('warns once per call, for the stores it has not warned about', () => {
    const twice = sbi('- fence.i').replace('  - store: { at: func, insn: CALL }', '  - store: { at: func, insn: CALL }\n  - fence.i\n  - sbi: { completion: completed }');
    expect(warnings(twice).map((w) => w.split(':')[0])).toEqual(['13', '16']);
  });
});

describe('the lint follows a hart whose code makes the request', () => {
  const code = (order: string) => `
name: code
model: { fetch: ziccif-only }
symbols:
  sbi_remote_fence_i: 0x80090000
stubs:
  sbi_remote_fence_i: { sbi: { completion: completed } }
code:
  func: { at: 0x80001000, asm: "nop\\nret" }
  tramp: { at: 0x80002000, asm: ".word 0" }
  patcher:
    at: 0x80003000
    asm: |
      lla a0, tramp
      li a1, 0x00028067
      sw a1, 0(a0)
${order}
      call sbi_remote_fence_i
harts:
  - { name: cpu0, run: patcher }
  - { name: cpu1, calls: func }
`;
  it("warns at the call when only the hart's FENCE.I orders its store before the SBI call", () => {
    expect(warnings(code('      fence.i'))).toEqual([expect.stringMatching(/^18:7: cpu0's call of sbi_remote_fence_i is ordered after its store at line 16 \(sw a1, 0\(a0\)\) only by its own FENCE\.I/)]);
  });

  it('is silent with the fence Linux has, and without the FENCE.I', () => {
    expect(warnings(code('      fence.i\n      fence w,o'))).toEqual([]);
    expect(warnings(code('      nop'))).toEqual([]);
  });
});
