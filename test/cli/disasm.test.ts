// `patchlit disasm`: instruction words as objdump -d prints them. The expected lines were
// produced by GNU objdump 2.40 (riscv64-linux-gnu-objdump -D -b binary -m riscv:rv64
// --adjust-vma=...) on the same bytes and are written out here; the tests never run it.

import { spawnSync } from 'node:child_process';
import { BIN } from './command.ts';
import { describe, expect, it } from 'vitest';
import { addressColumnWidth, disasmCommand } from '../../src/cli/disasm.ts';
import { UsageError } from '../../src/cli/usage.ts';


function disasm(argv: string[], stdin?: string) {
  let out = '';
  let err = '';
  const reader = () => {
    if (stdin === undefined) throw new Error('standard input read although words were given');
    return stdin;
  };
  const code = disasmCommand(argv, reader, { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) });
  return { code, out, err };
}

const lines = (...ls: string[]) => ls.map((l) => l + '\n').join('');

// auipc ra,0 / jalr -270(ra) / c.ebreak / c.jr ra / c.li a0,0 / nop: 32- and 16-bit mixed.
const PARCELS = ['0097', '0000', '80e7', 'ef20', '9002', '8082', '4501', '0013', '0000'];
const KERNEL = '0xffffffff8001f840';
// objdump's lines for these bytes at KERNEL. objdump follows the auipc into the jalr and
// appends the target, `# 0xffffffff8001f732`; disassembleText sees one word and cannot.
const OBJDUMP_KERNEL = [
  'ffffffff8001f840:\t00000097          \tauipc\tra,0x0',
  'ffffffff8001f844:\tef2080e7          \tjalr\t-270(ra) # 0xffffffff8001f732',
  'ffffffff8001f848:\t9002                \tebreak',
  'ffffffff8001f84a:\t8082                \tret',
  'ffffffff8001f84c:\t4501                \tli\ta0,0',
  'ffffffff8001f84e:\t00000013          \tnop',
];
const withoutPairComment = (l: string) => l.replace(/ # 0x[0-9a-f]+$/, '');

describe('patchlit disasm', () => {
  it('prints objdump -d last column, joining a low half (low bits 11) with the next parcel', () => {
    const r = disasm(['--at', KERNEL, ...PARCELS]);
    expect(r).toEqual({ code: 0, out: lines('auipc\tra,0x0', 'jalr\t-270(ra)', 'ebreak', 'ret', 'li\ta0,0', 'nop'), err: '' });
    // 32-bit words as objdump prints them, several tokens per argument, 0x allowed
    expect(disasm(['00000097 0xef2080e7', '9002', '0X00000013']).out).toBe(lines('auipc\tra,0x0', 'jalr\t-270(ra)', 'ebreak', 'nop'));
  });

  it('--listing prints objdump -d instruction lines byte for byte, advancing by 2 and 4', () => {
    const r = disasm(['--listing', '--at', KERNEL, ...PARCELS]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(lines(...OBJDUMP_KERNEL.map(withoutPairComment)));
    expect(r.out.split('\n')).toContain(OBJDUMP_KERNEL[2]); // one line untouched, to the byte
  });

  it('--listing pads the address column as objdump does: shared leading zeros dropped four at a time', () => {
    const first = (at: string) => disasm(['--listing', '--at', at, ...PARCELS]).out.split('\n').slice(0, 3);
    expect(first('0')).toEqual(['   0:\t00000097          \tauipc\tra,0x0', '   4:\tef2080e7          \tjalr\t-270(ra)', '   8:\t9002                \tebreak']);
    // the last byte is at 0x1001: every address gets 8 columns
    expect(first('0xff0')[0]).toBe('     ff0:\t00000097          \tauipc\tra,0x0');
    expect(first('0xff0')[2]).toBe('     ff8:\t9002                \tebreak');
    expect(first('0x80000000')[0]).toBe('    80000000:\t00000097          \tauipc\tra,0x0');
    expect(first('0x80000000')[2]).toBe('    80000008:\t9002                \tebreak');
    expect(addressColumnWidth(0n, 0x12n)).toBe(4);
    expect(addressColumnWidth(0xfe0n, 0xff2n)).toBe(4);
    expect(addressColumnWidth(0xfffffffffff0n, 0x1000000000002n)).toBe(16);
  });

  it('reads a kernel oops Code: line from standard input and marks the faulting instruction', () => {
    const oops = '[   12.345678] Code: 0097 0000 80e7 ef20 (9002) 8082 4501\n';
    const plain = disasm(['--at', KERNEL], oops);
    expect(plain).toEqual({ code: 0, out: lines('auipc\tra,0x0', 'jalr\t-270(ra)', 'ebreak <-- faulting instruction', 'ret', 'li\ta0,0'), err: '' });
    const listing = disasm(['--at', KERNEL, '--listing'], oops);
    expect(listing.out).toBe(
      lines(...OBJDUMP_KERNEL.slice(0, 5).map(withoutPairComment).map((l, i) => (i === 2 ? l + ' <-- faulting instruction' : l))),
    );
  });

  it('warns when the faulting parcel falls in the middle of a 32-bit instruction', () => {
    const r = disasm(['--at', '0x100'], 'Code: 80e7 (0097) 0001\n');
    expect(r.code).toBe(0);
    expect(r.out).toBe(lines('jalr\t9(a5) <-- faulting instruction', 'nop'));
    expect(r.err).toMatch(/^<stdin>:1:12: warning: the faulting parcel is the high half of the 32-bit instruction at 0x100/);
  });

  it('--no-aliases prints no pseudo-instructions, as objdump -M no-aliases', () => {
    expect(disasm(['--no-aliases', '8082', '4501', '00000013', '9002', '0001']).out).toBe(
      lines('c.jr\tra', 'c.li\ta0,0', 'addi\tzero,zero,0', 'c.ebreak', 'c.addi\tzero,0'),
    );
  });

  it('prints a word no instruction describes as objdump does', () => {
    expect(disasm(['0000007b']).out).toBe(lines('.4byte\t0x7b'));
  });

  it('reports a bad token at <args>:N:COL, still prints the rest at their addresses, and exits 2', () => {
    const r = disasm(['--listing', '0001', '8082 zz12', '4501', '(9002']);
    expect(r.code).toBe(2);
    expect(r.out).toBe(lines('   0:\t0001                \tnop', '   2:\t8082                \tret', '   6:\t4501                \tli\ta0,0'));
    expect(r.err).toBe(
      lines(
        '<args>:2:6: error: "zz12" is not a hex number',
        '  hint: a token is a 16-bit parcel (1-4 hex digits) or a 32-bit word (5-8), with an optional 0x',
        '<args>:4:1: error: "(9002": unbalanced parenthesis',
        '  hint: the faulting parcel is written in parentheses, like (9002)',
      ),
    );
  });

  it('reports bad tokens of standard input at <stdin>:LINE:COL', () => {
    const r = disasm([], '0001 8082\n4501 0xq1 123456789 9002\n');
    expect(r.code).toBe(2);
    expect(r.out).toBe(lines('nop', 'ret', 'li\ta0,0', 'ebreak'));
    expect(r.err).toBe(
      lines(
        '<stdin>:2:6: error: "0xq1" is not a hex number',
        '  hint: a token is a 16-bit parcel (1-4 hex digits) or a 32-bit word (5-8), with an optional 0x',
        '<stdin>:2:11: error: "123456789" has 9 hex digits, more than a 32-bit word',
        '  hint: a token is a 16-bit parcel (1-4 hex digits) or a 32-bit word (5-8), with an optional 0x',
      ),
    );
  });

  it('a low half with no high half after it is an error, as is a 32-bit word that is no 32-bit instruction', () => {
    const lone = disasm(['0001', '0097']);
    expect(lone.code).toBe(2);
    expect(lone.out).toBe(lines('nop'));
    expect(lone.err).toMatch(/^<args>:2:1: error: parcel 0x0097 is the low half of a 32-bit instruction, but no high half follows\n  hint: /);
    const word = disasm(['00004501', '8082']);
    expect(word.code).toBe(2);
    expect(word.out).toBe(lines('ret'));
    expect(word.err).toMatch(/^<args>:1:1: error: word 0x00004501 is not a 32-bit instruction: its low two bits are not 11\n/);
  });

  it('has a usage text, and bad options are usage errors', () => {
    const h = disasm(['-h']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^usage: patchlit disasm \[options\] \[HEX\.\.\.\]/);
    expect(h.out).toContain('<-- faulting instruction');
    expect(() => disasm(['--at', '0xfffffffff8001f840z', '0001'])).toThrow(UsageError);
    expect(() => disasm(['--listng', '0001'])).toThrow(new UsageError('unknown option --listng; did you mean --listing?'));
  });

  it('runs as a command, reading the oops line from standard input', () => {
    const r = spawnSync(process.execPath, [BIN, 'disasm', '--listing', '--at', KERNEL], {
      input: '[   12.345678] Code: 0097 0000 80e7 ef20 (9002) 8082 4501\n',
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[2]).toBe(OBJDUMP_KERNEL[2] + ' <-- faulting instruction');
    expect(r.stdout.split('\n')[4]).toBe(OBJDUMP_KERNEL[4]);
    const bad = spawnSync(process.execPath, [BIN, 'disasm'], { input: '0001 zz\n', encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('nop\n');
    expect(bad.stderr).toMatch(/^<stdin>:1:6: error: "zz" is not a hex number\n/);
  });
});
