// The Ziccif safe-harbour lint: each rule of the note, broken once, warns with its number;
// a store inside the harbour does not.

import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers.ts';

/** func: a 32-bit NOP at 0, two c.nops at 4 and 6, a c.nop at 8 and a 32-bit NOP straddling 10..13. */
const code = (patch: string) => `
name: lint
symbols: { t: 0x8400 }
stubs: { t: { return: ra } }
code:
  func:
    at: 0x8000
    rvc: true
    asm: |
      .option norvc
      nop
      .option rvc
      c.nop
      c.nop
      c.nop
      .option norvc
      nop
      .option rvc
      c.nop
patch:
${patch}
harts:
  - calls: func
`;

const warnings = (patch: string) => (scenario(code(patch)).warnings ?? []).map((w) => w.message.replace(/^.*: outside the Ziccif safe harbour /, ''));

describe('the Ziccif safe harbour', () => {
  it('an aligned store of a whole instruction over a whole instruction is inside it', () => {
    expect(warnings('  - store: { at: func, insn: "jal t" }')).toEqual([]);
    expect(warnings('  - store: { at: func+4, insn: "c.j t" }')).toEqual([]);
  });

  it('rule 3: a store that changes part of an instruction', () => {
    expect(warnings('  - store: { at: func+2, value: 0, size: 2 }')).toEqual(['(rule 3): the store changes part of an instruction: stores must alter whole instructions']);
  });

  it('rule 4: one instruction over two smaller ones', () => {
    expect(warnings('  - store: { at: func+4, insn: "jal t" }')).toEqual(['(rule 4): jal at 0x8004 combines smaller instructions into a larger one']);
  });

  it('rule 2: an instruction across a 4-byte boundary may only give way to a shorter unconditional transfer', () => {
    expect(warnings('  - store: { at: func+10, insn: "c.j t" }')).toEqual([]);
    expect(warnings('  - store: { at: func+10, insn: "c.nop" }')).toEqual([
      '(rule 3): the store changes part of an instruction: stores must alter whole instructions',
      '(rule 2): the instruction at 0x800a spans an aligned 4-byte boundary and is not replaced by a shorter unconditional transfer (c.j, c.ebreak)',
    ]);
  });

  it('names the step where it is written', () => {
    const w = scenario(code('  - store: { at: func+2, value: 0, size: 2 }')).warnings!;
    expect(w[0].pos.line).toBe(21);
    expect(w[0].message).toMatch(/^store 0 \(2 bytes\) at func\+2: outside the Ziccif safe harbour/);
  });
});
