import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assemble,
  decode,
  decodeFields,
  encodeBase,
  disassembleText,
  ENTRIES,
  JALR_REACH,
  pairTarget,
  splitPcrel,
  within,
} from '../../src/isa/index.ts';
import { encodeEntry } from '../../src/isa/asm/operands.ts';
import { fieldRange } from '../../src/isa/fields.ts';

const one = (text: string, at = 0n) => {
  const r = assemble(text, at);
  expect(r.diagnostics).toEqual([]);
  return r.items.map((i) => i.bits!);
};

describe('encodings worth knowing by heart (primer, checked with binutils)', () => {
  it.each([
    ['nop', 0x00000013],
    ['c.nop', 0x0001],
    ['fence.i', 0x0000100f],
    ['fence w,w', 0x0110000f],
    ['fence rw,rw', 0x0330000f],
    ['ebreak', 0x00100073],
    ['c.ebreak', 0x9002],
    ['jalr t0, 0(t0)', 0x000282e7],
    ['jr t1', 0x00030067],
    ['ret', 0x00008067],
    ['j .+8', 0x0080006f],
    ['c.li a1, 1', 0x4585],
  ])('%s', (text, bits) => {
    expect(one(text)).toEqual([bits]);
  });
});

describe('GNU as syntax', () => {
  it('resolves labels, forward and backward, and .-relative targets', () => {
    const bits = one('start:\n  j end\n  j .+8\nend:\n  j start');
    expect(disassembleText(bits[0], { pc: 0n })).toBe('j\t0x8');
    expect(disassembleText(bits[1], { pc: 4n })).toBe('j\t0xc');
    expect(disassembleText(bits[2], { pc: 8n })).toBe('j\t0x0');
  });

  it('takes sym+off, symbols from outside, and numeric local labels', () => {
    const syms = (n: string) => (n === 'far' ? 0x1000n : undefined);
    const r = assemble('1: j 1f\n  j far+8\n1: j 1b', 0x100n, syms);
    expect(r.diagnostics).toEqual([]);
    expect(r.items.map((i) => disassembleText(i.bits!, { pc: i.addr }))).toEqual(['j\t0x108', 'j\t0x1008', 'j\t0x108']);
  });

  it('splits a far call into AUIPC+JALR with the +0x800 rounding (%pcrel_hi/%pcrel_lo)', () => {
    const at = 0xffffffff8001f840n;
    const target = 0xffffffff0a3d6000n;
    const r = assemble('1: auipc t0, %pcrel_hi(new_tramp)\n  jalr t0, %pcrel_lo(1b)(t0)', at, (n) => (n === 'new_tramp' ? target : undefined));
    expect(r.diagnostics).toEqual([]);
    const [auipc, jalr] = r.items.map((i) => decode(i.bits!));
    expect(pairTarget(at, auipc.imm, jalr.imm)).toBe(target);
    expect(Math.abs(jalr.imm)).toBeLessThanOrEqual(2048);
  });

  it('writes the pair with %hi/%lo of a constant distance, as kernel code does', () => {
    const bits = one('auipc t0, %hi(0x12344)\njalr t0, %lo(0x12344)(t0)', 0x400n);
    const [a, j] = bits.map((b) => decode(b));
    expect(pairTarget(0x400n, a.imm, j.imm)).toBe(0x400n + 0x12344n);
  });

  it('expands call to the pair GNU as emits', () => {
    const syms = (n: string) => (n === 'f' ? 0x12345678n : undefined);
    const r = assemble('call f\ncall t0, f\ntail f', 0n, syms);
    expect(r.diagnostics).toEqual([]);
    expect(r.items.map((i) => disassembleText(i.bits!, { pc: i.addr, aliases: false }))).toEqual([
      'auipc\tra,0x12345',
      'jalr\tra,1656(ra)',
      'auipc\tt1,0x12345',
      'jalr\tt0,1648(t1)',
      'auipc\tt1,0x12345',
      'jalr\tzero,1640(t1)',
    ]);
  });

  it('loads 64-bit constants the way GNU as does', () => {
    expect(one('li a0, 0x123456789').map((b) => disassembleText(b, { aliases: false }))).toEqual([
      'lui\ta0,0x92',
      'addiw\ta0,a0,-1493',
      'slli\ta0,a0,0xd',
      'addi\ta0,a0,1929',
    ]);
  });

  it('under rvc, relaxes jumps and branches to labels further down as GNU as does', () => {
    // GNU as 2.40 on this source: c.j, c.beqz, c.beqz (in reach), then a JAL (out of C.J's reach).
    const r = assemble('.option rvc\nj fwd\nbeqz s0, fwd\nbeqz a0, fwd\n.fill 100, 2, 0x0001\nfwd: nop\nj far\n.fill 1100, 2, 0x0001\nfar: nop', 0n);
    expect(r.diagnostics).toEqual([]);
    const insns = r.items.filter((i) => i.kind === 'insn').map((i) => i.bits!.toString(16));
    expect(insns).toEqual(['a0f9', 'c471', 'c569', '1', '9d0006f', '1']);
    expect(r.labels.get('fwd')).toBe(0xcen);
    expect(r.labels.get('far')).toBe(0x96cn);
  });

  it('emits data and alignment', () => {
    const r = assemble('.word 0x12345678\n.half 0xbeef\n.align 3\n.dword 1', 0n);
    expect(r.diagnostics).toEqual([]);
    expect([...r.bytes]).toEqual([0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('assembly errors name the place and the range', () => {
  const diag = (text: string, symbols: Record<string, bigint> = {}) => assemble(text, 0x1000n, (n) => symbols[n]).diagnostics;

  it('a JALR whose offset must reach beyond ±2 KiB', () => {
    const [d] = diag('auipc t0, 0\njalr t0, far - 0x1000(t0)', { far: 0x1000n + 0x3f000n });
    expect(d).toMatchObject({ line: 2, col: 10 });
    expect(d.message).toMatch(/offset 258048 out of range -2048\.\.2047.*JALR alone reaches ±2 KiB/);
    expect(d.hint).toMatch(/0x3f000 away.*AUIPC\+JALR/);
  });

  it('a JAL beyond ±1 MiB, a branch beyond ±4 KiB, a C.J beyond ±2 KiB', () => {
    expect(diag('jal ra, .+0x100000')[0].message).toMatch(/beyond the ±1 MiB a JAL reaches/);
    expect(diag('beq a0, a1, .+4096')[0].message).toMatch(/±4 KiB a branch reaches/);
    expect(diag('c.j .+2048')[0].message).toMatch(/±2 KiB a C\.J reaches/);
  });

  it('an immediate out of its field', () => {
    expect(diag('addi a0, a0, 2048')[0].message).toMatch(/immediate 2048 out of range -2048\.\.2047/);
    expect(diag('lui a0, 0x100000')[0].message).toMatch(/out of range 0x0\.\.0xfffff/);
    expect(diag('slli a0, a0, 64')[0].message).toMatch(/immediate 0x40 out of range 0x0\.\.0x3f/);
  });

  it('a far call beyond ±2 GiB', () => {
    expect(diag('call f', { f: 0x1000n + (1n << 32n) })[0].message).toMatch(/beyond the ±2 GiB an AUIPC\+JALR pair reaches/);
  });

  it('unknown instructions, symbols and labels', () => {
    expect(diag('  jarl t0, 0(t0)')[0]).toMatchObject({ line: 1, col: 3, message: 'unknown instruction "jarl"', hint: 'did you mean "jalr"?' });
    expect(diag('j nowhere')[0]).toMatchObject({ line: 1, col: 3, message: 'undefined symbol "nowhere"' });
    expect(diag('j 1f')[0].message).toMatch(/no local label "1:" after this line/);
    expect(diag('auipc t0, 0\njalr t0, %pcrel_lo(1b)(t0)')[0].message).toMatch(/no local label/);
    expect(diag('x: nop\nx: nop')[0].message).toMatch(/defined twice/);
  });

  it('illegal operands list the forms the mnemonic takes', () => {
    const [d] = diag('jalr 5, t0');
    expect(d.message).toMatch(/illegal operands/);
    expect(d.hint).toMatch(/jalr rd,imm12\(rs1\)/);
  });
});

describe('decoding', () => {
  it('decodes every word to something or "illegal", and never throws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        const d = decode(w);
        expect(typeof d.op).toBe('string');
        expect(d.length === 2 || d.length === 4).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('gives illegal for words no entry describes', () => {
    expect(decode(0x00000000).op).toBe('illegal'); // c.addi4spn with nzuimm 0 is reserved; not in this table
    expect(decode(0xffffffff).op).toBe('illegal');
    expect(decode(0x0001000f).op).toBe('illegal'); // fence with rs1 != 0: objdump prints .4byte
    expect(disassembleText(0x0001000f)).toBe('.4byte\t0x1000f');
  });

  const operandSpace = (e: (typeof ENTRIES)[number]) => {
    const free = e.base.fields.filter((f) => !(f.name in e.fixed));
    const arb = fc.tuple(
      ...free.map((f) => {
        const r = fieldRange(f);
        return fc.integer({ min: r.min / r.align, max: r.max / r.align }).map((v) => v * r.align);
      }),
    );
    return arb
      .map((vals) => {
        const values: Record<string, number> = { ...e.fixed };
        free.forEach((f, i) => (values[f.name] = vals[i]));
        return values;
      })
      .filter((values) => ![...e.not, ...e.asmNot].some((c) => values[c.field] === c.value));
  };

  it('decode∘encode is the identity on every entry\'s operand space', () => {
    for (const e of ENTRIES) {
      fc.assert(
        fc.property(operandSpace(e), (values) => {
          const bits = encodeEntry(e, values);
          const back = decodeFields(bits, e.base.length);
          expect(back?.base.name, `${e.name} ${e.syntaxText}`).toBe(e.base.name);
          for (const f of e.base.fields) expect(back!.values[f.name], `${e.name} ${f.name}`).toBe(values[f.name] ?? 0);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('every 16-bit and 32-bit word decodes to something that re-encodes to itself, or is illegal', () => {
    for (let p = 0; p < 0x10000; p++) {
      if ((p & 3) === 3) continue;
      const d = decodeFields(p, 2);
      if (d) expect(encodeBase(d.base, d.values), p.toString(16)).toBe(p);
      else expect(decode(p).op).toBe('illegal');
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        if ((w & 3) !== 3) return;
        const d = decodeFields(w >>> 0, 4);
        if (d) expect(encodeBase(d.base, d.values)).toBe(w >>> 0);
        else expect(decode(w).op).toBe('illegal');
      }),
      { numRuns: 100000 },
    );
  });

  it('prints what assembles back to the same operation, for every entry and random operands', () => {
    const pc = 0xffffffff80200000n;
    // objdump prints forms GNU as reads differently or not at all; both tools agree on these.
    const asymmetric = (text: string) => /unknown/.test(text); // an empty FENCE set
    for (const e of ENTRIES) {
      fc.assert(
        fc.property(operandSpace(e), (values) => {
          const bits = encodeEntry(e, values);
          const want = decode(bits);
          for (const aliases of [true, false]) {
            const text = disassembleText(bits, { pc, aliases });
            if (asymmetric(text)) continue;
            const back = assemble(e.base.length === 2 ? `.option rvc\n${text}` : text, pc);
            expect(back.diagnostics, `${e.name} ${e.syntaxText}: ${text}`).toEqual([]);
            // The same operation: C.ADDI16SP sp,-16 prints as add sp,sp,-16, which GNU as reads as C.ADDI.
            const got = decode(back.items[0].bits!);
            expect({ ...got, name: '', bits: 0, length: 0 }, `${e.name} ${e.syntaxText}: ${text}`).toEqual({ ...want, name: '', bits: 0, length: 0 });
          }
        }),
        { numRuns: 100 },
      );
    }
  });
});

describe('reach', () => {
  it('splits distances with the +0x800 rounding and refuses beyond ±2 GiB', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 31n) - 2048n, max: (1n << 31n) - 2049n }), (d) => {
        const s = splitPcrel(d)!;
        expect(s).toBeDefined();
        expect(within(JALR_REACH, BigInt(s.lo12))).toBe(true);
        expect(pairTarget(0x80000000n, s.hi20, s.lo12)).toBe(BigInt.asUintN(64, 0x80000000n + d) & ~1n);
      }),
    );
    expect(splitPcrel(1n << 31n)).toBeUndefined();
    expect(splitPcrel(-(1n << 31n) - 2049n)).toBeUndefined();
  });
});
