// The check that refuses instructions the model does not execute looks at instructions
// only: data kept in a code region (CALL_OPS's ops pointer in the .dword before a
// function) is data, whatever its bits would decode to, and a store into it is a data store.

import { describe, expect, it } from 'vitest';
import { unsupportedInstructions } from '../../src/machine/index.ts';
import { outcomes, run, scenario } from '../helpers.ts';

/** new_ops's address ends in 0x2020: as a 16-bit parcel that is c.fld, which the model does not execute. */
const opsPointer = (store: string) => `
name: ops-pointer
symbols:
  old_tracer: 0x80a01000
  new_tracer: 0x80a02000
stubs:
  old_tracer: { return: t0 }
  new_tracer: { return: t0 }
data:
  old_ops: { at: 0x81c00000, asm: ".dword old_tracer" }
  new_ops: { at: 0x81c02020, asm: ".dword new_tracer" }
code:
  func_ops:
    at: 0x8001f838
    asm: |
      .dword old_ops
      func:
      auipc t0, %hi(ftrace_caller - func)
      jalr  t0, %lo(ftrace_caller - func)(t0)
      ret
      nop
      nop
  ftrace_caller:
    at: 0x80011a40
    asm: |
      ld    t1, -16(t0)
      ld    t1, 0(t1)
      jr    t1
patch:
  - ${store}
harts:
  - calls: func
`;

const refused = (store: string) => unsupportedInstructions(scenario(opsPointer(store))).map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}`);

describe('data in a code region is not checked as instructions', () => {
  it('a 4-, 8- or 2-byte store of data into the .dword before func is a data store', () => {
    expect(refused('store: { at: func - 8, value: new_ops & 0xffffffff, size: 4 }')).toEqual([]);
    expect(refused('store: { at: func - 8, value: new_ops, size: 8 }')).toEqual([]);
    expect(refused('store: { at: func - 8, value: 0x2020, size: 2 }')).toEqual([]);
  });

  it('the hart follows the new pointer: the scenario runs', () => {
    const r = run(opsPointer('store: { at: func - 8, value: new_ops & 0xffffffff, size: 4 }').replace('patch:', 'model: { fetch: ziccid }\npatch:'));
    expect(outcomes(r)).toEqual(['complete: new_tracer', 'complete: old_tracer']);
  });

  it('a store over instructions is still checked, every instruction it writes whole', () => {
    // wfi over the first nop.
    expect(refused('store: { at: func + 12, value: 0x10500073, size: 4 }')).toEqual(['30:5: the model does not execute wfi (wfi)']);
    // An 8-byte store of a nop and a wfi over the ret and the first nop: the second instruction counts too.
    expect(refused('store: { at: func + 8, value: 0x1050007300000013, size: 8 }')).toEqual(['30:5: the model does not execute wfi (wfi)']);
    // sfence.vma runs (supervisor mode, no virtual memory: it orders nothing), as QEMU ran the torn word 0x12340073.
    expect(refused('store: { at: func + 12, value: 0x12340073, size: 4 }')).toEqual([]);
    // Two compressed instructions in one 4-byte store: c.nop, then c.fld.
    expect(refused('store: { at: func + 12, value: 0x20200001, size: 4 }')).toEqual(['30:5: the model does not execute fld fs0,64(s0) (c.fld)']);
  });
});
