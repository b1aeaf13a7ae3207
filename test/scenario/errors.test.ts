// Bad input gets a message naming the line and column of what to fix.

import { describe, expect, it } from 'vitest';
import { errors, oneWordTable, PATCH_ONE_WORD } from '../helpers.ts';

describe('scenario errors point at the place to fix', () => {
  it('malformed YAML', () => {
    expect(errors('name: x\ncode: [1, 2\nharts: []\n')).toEqual([expect.stringMatching(/^3:1: YAML: /)]);
  });

  it('an unknown key, with the key it probably is', () => {
    expect(errors(PATCH_ONE_WORD.replace('harts:', 'hearts:'))).toEqual(['18:1: the scenario: unknown key "hearts" (did you mean "harts"?)']);
  });

  it('a value of the wrong kind', () => {
    expect(errors(PATCH_ONE_WORD.replace('  - calls: func', '  - calls: func\n    times: twice'))).toEqual(['20:12: harts[0].times: expected integer']);
  });

  it('an unknown instruction in a code block: the line inside the block scalar', () => {
    expect(errors(PATCH_ONE_WORD.replace('      j old_target', '      j old_target\n      jarl t0, 0(t0)'))).toEqual([
      '14:7: unknown instruction "jarl" (did you mean "jalr"?)',
    ]);
  });

  it('an immediate out of range, in a named instruction where it is written', () => {
    const bad = PATCH_ONE_WORD.replace('NEW: j new_target', 'NEW: jalr t0, 4096(t0)');
    expect(errors(bad)).toEqual([
      expect.stringMatching(/^15:17: jalr: offset 4096 out of range -2048\.\.2047: a JALR alone reaches ±2 KiB of its base register \(the target is 0x1000 away from the base: use an AUIPC\+JALR pair\)$/),
    ]);
  });

  it('an AUIPC+JALR entry whose JALR alone must reach a far target: the JALR range error', () => {
    const yaml = `
name: toggle-far
symbols:
  ftrace_caller: 0xffffffff80011a40
  direct_tramp: 0xffffffff0a3d6000
code:
  func:
    at: 0xffffffff8001f840
    asm: |
      auipc t0, %hi(ftrace_caller - func)
      nop
insns:
  # the JALR must reach direct_tramp from the fixed AUIPC's result
  FAR: jalr t0, direct_tramp - (func + (%hi(ftrace_caller - func) << 12))(t0)
patch:
  - store: { at: func+4, insn: FAR }
`;
    const [e] = errors(yaml);
    expect(e).toMatch(/^14:17: jalr: offset -?\d+ out of range -2048\.\.2047: a JALR alone reaches ±2 KiB/);
  });

  it('a label or symbol that does not exist', () => {
    expect(errors(PATCH_ONE_WORD.replace('at: func, insn: NEW', 'at: fucn, insn: NEW'))).toEqual(['17:18: undefined symbol "fucn" (did you mean "func"?)']);
    expect(errors(PATCH_ONE_WORD.replace('  - calls: func', '  - calls: fnuc'))).toEqual(['19:12: "fnuc" is not a known function or symbol (did you mean "func"?)']);
  });

  it('a claim about a stub that does not exist', () => {
    expect(errors(PATCH_ONE_WORD + 'claims:\n  - never: { calls: nwe_target }\n')).toEqual(['21:21: "nwe_target" is not a stub (did you mean "new_target"?)']);
  });

  it('a misaligned patch store', () => {
    expect(errors(PATCH_ONE_WORD.replace('at: func, insn: NEW', 'at: func+2, insn: NEW'))).toEqual([
      '17:18: a 4-byte store at 0x80000002 is not naturally aligned (RISC-V makes only naturally aligned stores single-copy atomic)',
    ]);
  });

  it('a timer or preemption on a hart with "interrupts: none", which takes neither: at the key, with a hint', () => {
    const hint = 'interrupts: none masks timer interrupts too, as a task running with interrupts disabled takes neither; drop it, or mask only the part that must not be interrupted (interrupts: masked on its code region)';
    const none = (keys: string) => PATCH_ONE_WORD.replace('  - calls: func', `  - calls: func\n    interrupts: none\n${keys}`);
    expect(errors(none('    timer: { count: 1 }'))).toEqual([`21:5: a hart with "interrupts: none" takes no timer interrupt: it takes no interrupt while it runs (${hint})`]);
    expect(errors(none('    timer: { count: 1 }\n    preempt: true'))).toEqual([
      `21:5: a hart with "interrupts: none" takes no timer interrupt: it takes no interrupt while it runs (${hint})`,
      `22:5: a hart with "interrupts: none" is never preempted: preemption comes at a timer interrupt, and it takes none while it runs (${hint})`,
    ]);
    expect(errors(none('    preempt: { fixups: false }'))).toEqual([`21:5: a hart with "interrupts: none" is never preempted: preemption comes at a timer interrupt, and it takes none while it runs (${hint})`]);
    // Nothing to contradict: no timer, no preemption; and with IPIs taken, timers come.
    expect(errors(none('    timer: { count: 0 }\n    preempt: false'))).toEqual([]);
    expect(errors(PATCH_ONE_WORD.replace('  - calls: func', '  - calls: func\n    interrupts: ipi\n    timer: { count: 1 }\n    preempt: true'))).toEqual([]);
  });

  it('a table row using letters outside the alphabet, or a class nobody declared', () => {
    const table = oneWordTable(`    f0 -- new seq
    fx -- new seq
    0f -- impossible, would be f0 (older)
`);
    expect(errors(PATCH_ONE_WORD + table)).toEqual([
      '29:5: "fx" uses "x", which is not in the alphabet (f 0)',
      '30:5: class "older" is not declared in table.classes (did you mean "old"?)',
    ]);
  });

  it('in a notebook, positions count from the top of the file', () => {
    const md = `# A notebook\n\nSome prose.\n\n\`\`\`patchlit\n${PATCH_ONE_WORD.trimStart().replace('harts:', 'hearts:')}\`\`\`\n`;
    expect(errors(md, 'nb.md')).toEqual(['22:1: the scenario: unknown key "hearts" (did you mean "harts"?)']);
  });

  it('extends names an earlier scenario', () => {
    const md = '```patchlit\nname: b\nextends: a\n```\n';
    expect(errors(md, 'nb.md')).toEqual(['3:10: "a" is not an earlier scenario of this file']);
  });
});

describe('grace periods, frees and trap handlers: errors point at the step or instruction to fix', () => {
  const base = (patch: string, traps = '') => `name: e
code:
  func:
    at: 0x80000000
    asm: |
      auipc t0, 0
      jalr t0, 0(t0)
  tramp:
    at: 0x80001000
    asm: |
      nop
      ret
${traps}patch:
${patch}
harts:
  - calls: func
`;

  it('synchronize_rcu_tasks inside stop_machine, where nothing can schedule', () => {
    expect(errors(base('  - stop_machine:\n    - synchronize_rcu_tasks\n'))).toEqual([
      '15:7: synchronize_rcu_tasks cannot run inside stop_machine (it sleeps until every task has passed a quiescent state, and every other hart is parked there: put it after the stop_machine)',
    ]);
    expect(errors(base('  - synchronise_rcu_tasks\n'))).toEqual([expect.stringMatching(/^14:5: patch\[0\]: "synchronise_rcu_tasks" is not of the form .*"synchronize_rcu_tasks"/)]);
  });

  it('a free of a region that does not exist, of bytes outside every region, or of no size', () => {
    expect(errors(base('  - free: trampo\n'))).toEqual(['14:11: no code or data region is named "trampo" (did you mean "tramp"?)']);
    expect(errors(base('  - free: { at: 0x80002000, size: 8 }\n'))).toEqual(['14:17: 8 bytes at 0x80002000 are not inside one code or data region']);
    expect(errors(base('  - free: { at: tramp }\n'))).toEqual(['14:11: patch[0].free: "size" is missing']);
    expect(errors(base('  - free: { at: tramp, size: 0 }\n'))).toEqual(['14:30: patch[0].free.size: must be >= 1']);
  });

  it('registering a handler that has no such name, or none', () => {
    expect(errors(base('  - unregister: kprobes\n', 'traps:\n  - { name: kprobe, on: ebreak, at: func }\n'))).toEqual(['16:17: no trap handler is named "kprobes" (did you mean "kprobe"?)']);
    expect(errors(base('  - register: kprobe\n', 'traps:\n  - { on: ebreak, at: func }\n'))).toEqual([
      '16:15: no trap handler is named "kprobe" (a handler is registered by its name: give it one with "name:" under traps)',
    ]);
    expect(errors(base('  - fence.i\n', 'traps:\n  - { name: kp, on: ebreak, at: func }\n  - { name: kp, on: illegal, at: func }\n'))).toEqual([
      '15:13: two trap handlers are named "kp" (register and unregister steps name the handler they mean)',
    ]);
  });

  it('an emulated instruction that accesses memory, transfers control before the last, or is not register-only: at the instruction', () => {
    expect(errors(base('  - fence.i\n', 'traps:\n  - { on: ebreak, at: func, emulate: ["auipc t0, 0", "ld a0, 0(t0)"] }\n'))).toEqual([
      '14:54: "ld a0, 0(t0)" loads or stores: a handler emulates only instructions without memory accesses (kprobes single-steps such an instruction out of line instead, which patchlit does not model: probe the instruction next to it, or emulate what it computes)',
    ]);
    expect(errors(base('  - fence.i\n', 'traps:\n  - on: ebreak\n    at: func\n    emulate:\n      - jalr t0, 0(t0)\n      - addi a0, a0, 1\n'))).toEqual([
      '17:9: "jalr t0, 0(t0)" transfers control: only the last instruction emulated may (the hart resumes where it jumps; the instructions after it would never run)',
    ]);
    expect(errors(base('  - fence.i\n', 'traps:\n  - { on: ebreak, at: func, emulate: ["csrr a0, cycle"] }\n'))).toEqual([
      '14:39: "csrr a0, cycle" is not an instruction a handler can emulate (emulate register-only instructions (lui, auipc, arithmetic) and, last, a jump or branch)',
    ]);
    expect(errors(base('  - fence.i\n', 'traps:\n  - { on: ebreak, at: func, emulate: [] }\n'))).toEqual(['14:38: traps[0].emulate: must NOT have fewer than 1 items']);
  });
});
