// `patchlit asm`: encodings as objdump -d prints them. Every expected word was checked
// against GNU binutils 2.40 (riscv64-linux-gnu-as, linked with ld --no-relax at the same
// address, then objdump -d); the tests themselves never run binutils.

import { spawnSync } from 'node:child_process';
import { BIN } from './command.ts';
import { describe, expect, it } from 'vitest';
import { asmCommand, parseAddress } from '../../src/cli/asm.ts';
import { UsageError } from '../../src/cli/usage.ts';


function asm(argv: string[], stdin?: string) {
  let out = '';
  let err = '';
  const reader = () => {
    if (stdin === undefined) throw new Error('standard input read although instructions were given');
    return stdin;
  };
  const code = asmCommand(argv, reader, { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) });
  return { code, out, err };
}

const lines = (...words: string[]) => words.map((w) => w + '\n').join('');

describe('patchlit asm', () => {
  it('prints each instruction word as objdump -d shows it, one line per word emitted', () => {
    const r = asm(['nop', 'c.nop', 'fence.i', 'j .+8', 'call .+16', 'ret']);
    expect(r).toEqual({ code: 0, out: lines('00000013', '0001', '0000100f', '0080006f', '00000097', '010080e7', '00008067'), err: '' });
  });

  it('lays the items out one after another, so that labels between items work', () => {
    // as -march=rv64g: 1: addi a0,a0,1 / bnez a0,1b / jal ra,1b
    const r = asm(['1: addi a0,a0,1', 'bnez a0, 1b', 'jal ra, 1b']);
    expect(r.out).toBe(lines('00150513', 'fe051ee3', 'ff9ff0ef'));
    expect(r.code).toBe(0);
  });

  it('places the items at --at, a kernel address kept to the bit, in hex or decimal', () => {
    const items = ['j 0xffffffff8001f850', 'auipc t0, %pcrel_hi(0xffffffff80000000)'];
    const expected = lines('0100006f', 'fffe0297');
    expect(asm(['--at', '0xffffffff8001f840', ...items]).out).toBe(expected);
    expect(asm(['--at', '18446744071562197056', ...items]).out).toBe(expected);
    // 0x800 lower (one unit in the last place of a double there) changes both words
    expect(asm(['--at', '0xffffffff8001f040', ...items]).out).toBe(lines('0110006f', 'fffe1297'));
    expect(parseAddress('0xffffffffffffffff')).toBe((1n << 64n) - 1n);
  });

  it('--rvc starts with .option rvc: compressed forms wherever they fit', () => {
    // as -march=rv64gc: nop / 1: c.nop / j 1b / ret
    expect(asm(['--rvc', 'nop', '1: c.nop', 'j 1b', 'ret']).out).toBe(lines('0001', '0001', 'bffd', '8082'));
    expect(asm(['nop', 'ret']).out).toBe(lines('00000013', '00008067'));
  });

  it('reads one instruction per line from standard input, blank lines and comments allowed', () => {
    const r = asm([], 'nop\n\n# flush the instruction cache\nfence.i   # the fence\n  call .+16\n');
    expect(r).toEqual({ code: 0, out: lines('00000013', '0000100f', '00000097', '010080e7'), err: '' });
    expect(asm([], '')).toEqual({ code: 0, out: '', err: '' });
  });

  it('reports a bad item at <args>:N:COL, still prints the others, and exits 2', () => {
    const r = asm(['nop', 'bogus a0', 'addi a0, a0, 4096', '(a0)', 'j 1f', 'j .+8', 'fence.i']);
    expect(r.code).toBe(2);
    expect(r.out).toBe(lines('00000013', '0080006f', '0000100f'));
    expect(r.err).toBe(
      lines(
        '<args>:2:1: error: unknown instruction "bogus"',
        '<args>:3:14: error: addi: immediate 4096 out of range -2048..2047',
        '<args>:4:1: error: expected an instruction or directive, found "(a0)"',
        '<args>:5:3: error: no local label "1:" after this line',
      ),
    );
  });

  it('reports a bad line of standard input at <stdin>:LINE:COL with its hint', () => {
    const r = asm([], 'nop\n\n# typo below\n  fnce.i\nret\n');
    expect(r.code).toBe(2);
    expect(r.out).toBe(lines('00000013', '00008067'));
    expect(r.err).toBe(lines('<stdin>:4:3: error: unknown instruction "fnce.i"', '  hint: did you mean "fence.i"?'));
  });

  it('counts columns within the argument when an argument holds several lines', () => {
    const r = asm(['nop\n  bogus', 'ret']);
    expect(r.out).toBe(lines('00000013', '00008067'));
    expect(r.err).toBe(lines('<args>:1:7: error: unknown instruction "bogus"'));
  });

  it('has a usage text, and bad options are usage errors', () => {
    const h = asm(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^usage: patchlit asm \[options\] \[INSN\.\.\.\]/);
    expect(() => asm(['--at', 'kernel', 'nop'])).toThrow(UsageError);
    expect(() => asm(['--at', '0x10000000000000000', 'nop'])).toThrow(/does not fit in 64 bits/);
    expect(() => asm(['--frobnicate', 'nop'])).toThrow(new UsageError('unknown option --frobnicate'));
  });

  it('runs as a command, reading standard input', () => {
    const r = spawnSync(process.execPath, [BIN, 'asm', '--rvc'], { input: 'nop\nret\nbogus\nfence.i\n', encoding: 'utf8' });
    expect(r.stdout).toBe(lines('0001', '8082', '0000100f'));
    expect(r.stderr).toBe(lines('<stdin>:3:1: error: unknown instruction "bogus"'));
    expect(r.status).toBe(2);
    const bad = spawnSync(process.execPath, [BIN, 'asm', '--at', 'x', 'nop'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^patchlit: --at takes an address, decimal or 0x-hex, not "x"\n/);
  });

  it('bad input from the fuzzer gets errors and exit 2, never a stack trace: c.beqz .+3, .align 63, deep parentheses, a region past 2^64', () => {
    const r = asm(['--rvc', 'c.beqz a0, .+3', '.align 63', `li a0, ${'('.repeat(5000)}1${')'.repeat(5000)}`, '.space 0x7fffffff', 'nop']);
    expect(r.code).toBe(2);
    expect(r.out).toBe(lines('0001'));
    expect(r.err.split('\n').filter((l) => l.includes('error'))).toEqual([
      '<args>:1:12: error: c.beqz: the target is 0x3 away, an odd number of bytes: instructions start at even addresses',
      expect.stringMatching(/^<args>:2:8: error: \.align 63: the power of 2 must be 0\.\.16/),
      expect.stringMatching(/^<args>:3:264: error: expression nested more than 256 levels deep/),
      expect.stringMatching(/^<args>:4:8: error: \.space: 2147483647 bytes, past the limit of 65536 bytes/),
    ]);
    const top = asm(['--at', '0xfffffffffffffffc', 'nop', 'nop']);
    expect(top).toEqual({
      code: 2,
      out: lines('00000013'),
      err: '<args>:2:1: error: this would be at 0x10000000000000000, past the top of the 64-bit address space\n  hint: a region ends at 0xffffffffffffffff at the highest: start it lower\n',
    });
  });
});
