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

  it('stores inside stop_machine are not warned about: every other hart is parked, nothing runs the code', () => {
    expect(warnings('  - stop_machine:\n    - store: { at: func+2, value: 0, size: 2 }\n    - store: { at: func+4, insn: "jal t" }')).toEqual([]);
    // After it, the others run again: the next store is checked, against the code as stop_machine left it.
    expect(warnings('  - stop_machine:\n    - store: { at: func+4, insn: "c.j t" }\n  - store: { at: func+2, value: 0, size: 2 }')).toEqual([
      '(rule 3): the store changes part of an instruction: stores must alter whole instructions',
    ]);
  });
});

/** A remote hart whose own code patches func (the code above), patch_text-like: the address and the value computed, then stored. */
const hartPatching = (body: string, more = '') => `
name: hart-lint
symbols: { t: 0x8400 }
stubs: { t: { return: ra } }
data:
  buf: { at: 0x8200, asm: ".dword 0x13" }
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
  patch_text:
    at: 0x8100
    asm: |
${body
  .trim()
  .split('\n')
  .map((l) => `      ${l.trim()}`)
  .join('\n')}
harts:
  - run: patch_text
    regs: { a0: buf }
${more}  - calls: func
`;

const hartWarnings = (body: string, more = '') => (scenario(hartPatching(body, more)).warnings ?? []).map((w) => `${w.pos.line}:${w.pos.col}: ${w.message}`);

describe('the Ziccif safe harbour, for the stores of a hart running its own code', () => {
  it('a store whose address and value the code computes (la, li) is checked like a patch step, where it is written', () => {
    expect(hartWarnings('la t0, func\nli t1, 0x13\nsw t1, 4(t0)')).toEqual([
      '27:7: sw t1, 4(t0) storing 0x00000013 (4 bytes) at 0x8004: outside the Ziccif safe harbour (rule 4): addi at 0x8004 combines smaller instructions into a larger one',
    ]);
    expect(hartWarnings('lla t0, func\nsh zero, 2(t0)')).toEqual([
      '26:7: sh zero, 2(t0) storing 0x0000 (2 bytes) at 0x8002: outside the Ziccif safe harbour (rule 3): the store changes part of an instruction: stores must alter whole instructions',
    ]);
  });

  it('inside the harbour: no warning; and each store meets the code as the same hart left it', () => {
    // A whole jal over the whole nop at func, then c.j over the c.nop at func+4.
    expect(hartWarnings('la t0, func\nli t1, 0x4000046f\nsw t1, 0(t0)\nli t1, 0xa001\nsh t1, 4(t0)')).toEqual([]);
    // Two c.nops made one nop (rule 4), then half of that nop changed (rule 3).
    expect(hartWarnings('la t0, func\nli t1, 0x13\nsw t1, 4(t0)\nsh zero, 6(t0)')).toEqual([
      '27:7: sw t1, 4(t0) storing 0x00000013 (4 bytes) at 0x8004: outside the Ziccif safe harbour (rule 4): addi at 0x8004 combines smaller instructions into a larger one',
      '28:7: sh zero, 6(t0) storing 0x0000 (2 bytes) at 0x8006: outside the Ziccif safe harbour (rule 3): the store changes part of an instruction: stores must alter whole instructions',
    ]);
  });

  it('both ways of a branch on what was loaded; a value loaded from memory cannot be checked, and says so', () => {
    expect(hartWarnings('la t0, func\nld t2, 0(a0)\nbeqz t2, 1f\nsh zero, 2(t0)\n1:\nsw t2, 0(t0)')).toEqual([
      '28:7: sh zero, 2(t0) storing 0x0000 (2 bytes) at 0x8002: outside the Ziccif safe harbour (rule 3): the store changes part of an instruction: stores must alter whole instructions',
      '30:7: sw t2, 0(t0) storing 4 bytes at 0x8000: the Ziccif safe harbour cannot be checked: what it stores is known only when it runs (it comes from memory)',
    ]);
  });

  it('a store into data is not a code patch; identical harts warn once', () => {
    expect(hartWarnings('li t1, 0x13\nsd t1, 0(a0)')).toEqual([]);
    expect(hartWarnings('la t0, func\nsh zero, 2(t0)', '    count: 2\n')).toHaveLength(1);
  });

  it('loops end: one waiting on memory, one counting, one whose exit memory decides', () => {
    const rule3 = '(rule 3): the store changes part of an instruction: stores must alter whole instructions';
    const only = (body: string) => hartWarnings(body).map((w) => w.replace(/^.*outside the Ziccif safe harbour /, ''));
    expect(only('la t0, func\n1: ld t2, 0(a0)\nbeqz t2, 1b\nsh zero, 2(t0)')).toEqual([rule3]);
    expect(only('la t0, func\nli t3, 3\n1: addi t3, t3, -1\nbnez t3, 1b\nsh zero, 2(t0)')).toEqual([rule3]);
    expect(only('la t0, func\nli t3, 0\n1: addi t3, t3, 1\nld t2, 0(a0)\nbne t2, t3, 1b\nsh zero, 2(t0)')).toEqual([rule3]);
  });
});
