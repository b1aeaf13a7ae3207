// Code regions and addresses a scenario cannot have (issue 14): a region larger than the
// limit, one that spills past 2^64, an address that is no 64-bit address, drivers with no
// room above the highest region. Each is an input error where it is written; and code at
// the top of memory runs as the hardware runs it, its pc wrapping to 0.

import { describe, expect, it } from 'vitest';
import { errors, PATCH_ONE_WORD, run, scenario, under } from '../helpers.ts';

/** PATCH_ONE_WORD with `lines` added to func's code. */
const withCode = (lines: string) => PATCH_ONE_WORD.replace('      j old_target\n', `      j old_target\n${lines.replace(/^/gm, '      ')}\n`);

describe('region and directive limits, where the assembly is written', () => {
  it('.space 0x7fffffff, .align 40, a large .fill: an error at the operand with a hint, nothing allocated', () => {
    expect(errors(withCode('.space 0x7fffffff'))).toEqual([
      '14:14: .space: 2147483647 bytes, past the limit of 65536 bytes (64 KiB) a region may hold (code that must be far away goes in a region of its own, at its own address (at:))',
    ]);
    expect(errors(withCode('.align 40'))).toEqual([
      '14:14: .align 40: the power of 2 must be 0..16: an alignment to 2^40 bytes is past the limit of 65536 bytes (64 KiB) a region may hold (start the region at an aligned address (at:) instead)',
    ]);
    expect(errors(withCode('.fill 0x10000000, 8, 0'))).toEqual([expect.stringMatching(/^14:13: \.fill: 2147483648 bytes, past the limit/)]);
  });

  it('c.beqz a0, .+3 in a region: an error at the operand, no TypeError', () => {
    expect(errors(withCode('c.beqz a0, .+3'))).toEqual([
      '14:18: c.beqz: the target is 0x3 away, an odd number of bytes: instructions start at even addresses (.+N counts bytes: the instruction after a 32-bit one is .+4, after a compressed one .+2)',
    ]);
  });

  it('a 200,000-line code region is read without a stack overflow', () => {
    const long = withCode(Array.from({ length: 200_000 }, () => '# nothing').join('\n') + '\nnop');
    const s = scenario(long);
    expect(s.listing.at(-1)!.pos.line).toBe(200_020);
  });
});

describe('addresses at the top of memory', () => {
  it('a scenario with no code or data region puts its harts\' driver at 0 (the fuzzer: a TypeError naming the highest region there was none of)', () => {
    const yaml = 'name: no-region\nsymbols:\n  far: 0xffffffff80000000\nstubs:\n  far: { return: ra }\nharts:\n  - calls: far\nclaims:\n  - never: crash\n';
    expect(errors(yaml)).toEqual([]);
    expect(scenario(yaml).system.harts[0].start).toBe(0n);
  });

  const top = (at: string, asm: string) => `
name: top
code:
  func:
    at: ${at}
    asm: |
${asm.replace(/^/gm, '      ')}
  other:
    at: 0x0
    asm: |
      nop
harts:
  - run: func
`;

  it('a region that spills past 2^64 (and would overlap "other" at 0 across the wrap) is an error at the line that crosses', () => {
    expect(errors(top('0xfffffffffffffffc', 'nop\nnop'))).toEqual([
      '8:7: this would be at 0x10000000000000000, past the top of the 64-bit address space (a region ends at 0xffffffffffffffff at the highest: start it lower)',
    ]);
  });

  it('a start past 2^64 or below 0 is an error where it is written, not wrapped', () => {
    expect(errors(top('0x10000000000000000', 'nop'))).toEqual([
      '5:9: "func" (a code region) is at 0x10000000000000000, past the top of the 64-bit address space (an address is 0 to 0xffffffffffffffff: write a kernel address in full (0xffffffff80000000))',
    ]);
    expect(errors(top('-0x7ff00000', 'nop'))).toEqual([expect.stringMatching(/^5:9: "func" \(a code region\) is at -0x7ff00000, below address 0/)]);
    expect(errors(top('0xffffffffffffff00 + 0x100', 'nop'))).toEqual([expect.stringMatching(/^5:9: "func" \(a code region\) is at 0x10000000000000000, past the top/)]);
    expect(errors(PATCH_ONE_WORD.replace('old_target: 0x80000800', 'old_target: -1'))[0]).toMatch(/^4:15: "old_target" \(a symbol\) is at -0x1, below address 0/);
  });

  it('data near 2^64 leaves no room for the remote harts\' driver code: said so, not "beyond ±2 GiB"', () => {
    const yaml = PATCH_ONE_WORD + 'data:\n  percpu:\n    at: 0xffffffffffffffc0\n    asm: .zero 64\n';
    expect(errors(yaml)).toEqual([
      '19:5: no room for the driver code of cpu1 below the top of memory: it goes after the highest region, percpu (0xffffffffffffffc0..0x10000000000000000), and would run past 0xffffffffffffffff (move percpu lower, leaving 12 bytes above it)',
    ]);
    // Room, but not within reach of func: the error says where the driver went and why.
    expect(errors(PATCH_ONE_WORD + 'data:\n  percpu:\n    at: 0xffffffffffffff00\n    asm: .zero 64\n')).toEqual([
      "19:12: cpu1: calls: call: the target is 0x800000c0 away: beyond the ±2 GiB an AUIPC+JALR pair reaches (this hart's calls are made from driver code placed after the highest region, percpu (0xffffffffffffff00..0xffffffffffffff40): move that region nearer the code called)",
    ]);
  });

  /** Code in the last eight bytes of memory. */
  const TOP_REGION = `  top:
    at: 0xfffffffffffffff8
    asm: |
      li a0, 1
      nop
`;

  it('a hart running off the top of memory goes on at address 0, as a jump there would (the address space is circular)', () => {
    const yaml = `
name: wrap
code:
${TOP_REGION}  low:
    at: 0x0
    asm: |
      addi a0, a0, 1
      done: nop
harts:
  - run: top
    until: done
claims:
  - always: complete
  - always: { final: "cpu1:a0=2" }
`;
    expect(under(run(yaml), 'ziccif-only').claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
    // Without code at 0 the fall-through is a wild jump to 0, as "j 0" would be.
    const wild = yaml.replace('at: 0x0', 'at: 0x1000').replace('always: complete', 'never: wild-jump');
    expect(under(run(wild), 'ziccif-only').claims[0].verdict).toBe('fail');
  });

  it('a run: hart whose region ends at the top idles at 0, where its pc goes after the last instruction', () => {
    const yaml = `
name: idle-top
code:
${TOP_REGION}harts:
  - run: top
claims:
  - always: complete
  - never: wild-jump
`;
    expect(scenario(yaml).system.harts[0].idleAt).toBe(0n);
    expect(under(run(yaml), 'ziccif-only').claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
  });
});
