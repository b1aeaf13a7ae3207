// Hostile assembly input (issue 14): every one gets a diagnostic at its line and column,
// never an exception, and nothing is allocated in proportion to what a directive asks for
// before it is checked against the limits.

import { describe, expect, it } from 'vitest';
import { assemble, MAX_EXPR_DEPTH, MAX_REGION_BYTES } from '../../src/isa/index.ts';

/** The diagnostics of `text` as "line:col: message". */
const errors = (text: string, at = 0n, rvc = false) => assemble(text, at, undefined, { rvc }).diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);

describe('pc-relative targets at an odd distance or beyond a compressed reach', () => {
  it('c.beqz to .+3: an odd target, said as such (binutils: ld refuses it, "relocation truncated to fit")', () => {
    expect(errors('c.beqz a0, .+3', 0n, true)).toEqual(['1:12: c.beqz: the target is 0x3 away, an odd number of bytes: instructions start at even addresses']);
    expect(errors('c.bnez a0, .+3', 0n, true)).toHaveLength(1);
  });

  it('a 32-bit branch or jump to an odd target is the same error, not one of reach', () => {
    expect(errors('beq a0, a1, .+3')).toEqual(['1:13: beq: the target is 0x3 away, an odd number of bytes: instructions start at even addresses']);
    expect(errors('jal .+5')).toEqual(['1:5: jal: the target is 0x5 away, an odd number of bytes: instructions start at even addresses']);
    expect(errors('c.j .-1', 0x100n, true)).toEqual(['1:5: c.j: the target is -0x1 away, an odd number of bytes: instructions start at even addresses']);
  });

  it('c.beqz beyond its ±256 bytes names its own reach', () => {
    expect(errors('c.beqz a0, .+256', 0n, true)).toEqual([
      '1:12: c.beqz: the target is 0x100 away: beyond the ±256 bytes a C.BEQZ or C.BNEZ reaches (out of range -256..254)',
    ]);
    expect(errors('c.beqz a0, .+254', 0n, true)).toEqual([]);
  });
});

describe('expressions nested too deep', () => {
  const depthError = `expression nested more than ${MAX_EXPR_DEPTH} levels deep (parentheses and operators)`;

  it('5,000 parentheses: an error at the one past the limit, not a stack overflow', () => {
    const [e] = errors(`li a0, ${'('.repeat(5000)}1${')'.repeat(5000)}`);
    expect(e).toBe(`1:${8 + MAX_EXPR_DEPTH}: ${depthError}`);
  });

  it('100,000 prefix operators, a chain of 100,000 additions, nested %hi(...)', () => {
    expect(errors(`li a0, ${'-'.repeat(100_000)}1`)).toEqual([`1:${8 + MAX_EXPR_DEPTH}: ${depthError}`]);
    expect(errors(`li a0, 1${'+1'.repeat(100_000)}`)).toEqual([expect.stringContaining(depthError)]);
    expect(errors(`lui a0, ${'%hi('.repeat(1000)}1${')'.repeat(1000)}`)).toEqual([expect.stringContaining(depthError)]);
  });

  it('what real operands need still assembles: 200 parentheses', () => {
    expect(errors(`li a0, ${'('.repeat(200)}1${')'.repeat(200)}`)).toEqual([]);
  });
});

describe('directives that would make a region larger than it may be', () => {
  const limit = `the limit of ${MAX_REGION_BYTES} bytes (64 KiB) a region may hold`;

  it('.align 63 and .align 40: refused at the operand, nothing allocated', () => {
    expect(errors('nop\n.align 63')).toEqual([`2:8: .align 63: the power of 2 must be 0..16: an alignment to 2^63 bytes is past ${limit}`]);
    expect(errors('nop\n.p2align 40')).toEqual([`2:10: .p2align 40: the power of 2 must be 0..16: an alignment to 2^40 bytes is past ${limit}`]);
    expect(errors('.align 1000000000')).toHaveLength(1);
    expect(errors('.balign 0x20000')).toEqual([`1:9: .balign 131072: an alignment past ${limit}`]);
    expect(errors('.align -1')).toHaveLength(1);
  });

  it('.space 0x7fffffff and a large .fill: refused at the count', () => {
    expect(errors('.space 0x7fffffff')).toEqual([`1:8: .space: 2147483647 bytes, past ${limit}`]);
    expect(errors('.zero 0x10001')).toEqual([`1:7: .zero: 65537 bytes, past ${limit}`]);
    expect(errors('.fill 0x10000000, 8, 0')).toEqual([`1:7: .fill: 2147483648 bytes, past ${limit}`]);
  });

  it('negative counts and .fill units over 8 bytes are errors (GNU as ignores or clamps them with a warning)', () => {
    expect(errors('.space -1')).toEqual(['1:8: .space: a negative count (-1)']);
    expect(errors('.fill -1, 1, 0')).toEqual(['1:7: .fill: a negative count (-1)']);
    expect(errors('.fill 2, 16, 1')).toEqual(['1:10: .fill: a unit of 16 bytes, more than 8']);
  });

  it('a region that grows past the limit statement by statement: one error where it crosses, labels after it still defined', () => {
    const r = assemble(`.zero ${MAX_REGION_BYTES - 4}\nnop\nnop\nlater: nop\nj later`, 0n);
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual([`3:1: the region grows to ${MAX_REGION_BYTES + 4} bytes here, past ${limit}`]);
    expect(r.bytes.length).toBe(MAX_REGION_BYTES);
  });

  it('exactly the limit is fine', () => {
    const r = assemble(`.zero ${MAX_REGION_BYTES - 4}\nnop`, 0n);
    expect(r.diagnostics).toEqual([]);
    expect(r.bytes.length).toBe(MAX_REGION_BYTES);
  });

  it('a source far past the limit: one error, where it crosses', () => {
    const text = Array.from({ length: 20_000 }, () => 'nop').join('\n');
    expect(errors(text)).toEqual([`16385:1: the region grows to ${MAX_REGION_BYTES + 4} bytes here, past ${limit}`]);
  });
});

describe('the top of the 64-bit address space', () => {
  const TOP = (1n << 64n) - 1n;

  it('a region may end at the last byte', () => {
    const r = assemble('nop\nnop', TOP - 7n);
    expect(r.diagnostics).toEqual([]);
    expect(r.items.map((i) => i.addr)).toEqual([TOP - 7n, TOP - 3n]);
  });

  it('a region that spills past 2^64 is an error at the statement that crosses, nothing laid out at 65-bit addresses', () => {
    const r = assemble('nop\nnop\nnop', TOP - 7n);
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual(['3:1: this would be at 0x10000000000000000, past the top of the 64-bit address space']);
    expect(r.items.every((i) => i.addr <= TOP)).toBe(true);
    expect(errors('nop\n.dword 0', TOP - 7n)).toEqual(['2:1: its 8 bytes at 0xfffffffffffffffc run past the top of the 64-bit address space']);
  });

  it('a start that is no 64-bit address is an error, not wrapped', () => {
    expect(errors('nop', 1n << 64n)).toEqual(['1:1: the region\'s start 0x10000000000000000 is not a 64-bit address']);
    expect(errors('nop', -4n)).toHaveLength(1);
  });

  it('pc-relative distances wrap as the hardware adds them (GNU ld agrees): the top of memory reaches address 0x10', () => {
    // riscv64-linux-gnu-ld -Ttext=0xffffffffffffff00 --defsym tgt=0x10 --defsym tgt2=0x100: 1100006f, 00000097 1fc080e7
    const r = assemble('j 0x10\ncall 0x100', 0xffffffffffffff00n);
    expect(r.diagnostics).toEqual([]);
    expect(r.items.map((i) => i.bits!.toString(16).padStart(8, '0'))).toEqual(['1100006f', '00000097', '1fc080e7']);
    // A target that is no 64-bit value is as far as it is written.
    expect(errors('j (1 << 64) + 0x10', 0n)).toEqual([expect.stringMatching(/^1:3: j: the target is 0x10000000000000010 away: beyond the ±1 MiB a JAL reaches/)]);
  });
});
