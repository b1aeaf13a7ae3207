// The litmus front end: every test of the RISC-V ifetch suite compiles, a few are checked
// value by value, and bad input gets diagnostics at the place to fix (never a crash).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/isa/index.ts';
import { compileLitmus, parseCondition, parseLitmus, ResolveError, threadBase } from '../../src/scenario/litmus/index.ts';
import { readNotebook } from '../../src/scenario/load.ts';
import { ScenarioError, type Condition, type Region, type Scenario } from '../../src/scenario/types.ts';

const SUITE = new URL('../../../shared/litmus/riscv-ifetch/', import.meta.url);
const suiteFile = (name: string) => readFileSync(new URL(name, SUITE), 'utf8');
const ALL = suiteFile('@all').split('\n').map((l) => l.trim()).filter(Boolean);

function compileSuite(name: string): Scenario {
  const path = ALL.find((p) => p === `${name}.litmus` || p.endsWith(`/${name}.litmus`));
  if (!path) throw new Error(`${name} is not in @all`);
  return compileLitmus(path, suiteFile(path));
}

const reg = (s: Scenario, hart: number, r: number) => s.system.harts[hart].regs?.get(r) ?? 0n;
const region = (s: Scenario, name: string): Region => s.system.regions.find((r) => r.name === name)!;
/** The 8 bytes of a location, little-endian. */
function memory(s: Scenario, loc: string): bigint {
  const data = region(s, 'data');
  const at = Number(s.symbols.get(loc)! - data.base);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(data.bytes[at + i]);
  return v;
}

/** The diagnostics of bad input, as "line:col: message" strings. */
function errors(text: string): string[] {
  try {
    compileLitmus('bad.litmus', text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}`);
    throw e;
  }
  return [];
}

const T0 = 5, T1 = 6, S0 = 8, S1 = 9, A1 = 11;

describe('the RISC-V ifetch suite', () => {
  it('has 64 tests', () => expect(ALL).toHaveLength(64));

  it.each(ALL)('%s parses and compiles', (path) => {
    const text = suiteFile(path);
    const ast = parseLitmus(path, text);
    expect(ast.threads.length).toBeGreaterThan(0);
    const s = compileLitmus(path, text);
    expect(s.name).toBe(ast.name);
    expect(s.system.harts.map((h) => h.name)).toEqual(ast.threads.map((t) => t.name));
    expect(s.claims).toHaveLength(1);
    expect(s.litmus?.observed.length).toBeGreaterThan(0);
    // Every instruction of the listing points at its own text in the file.
    const lines = text.split('\n');
    for (const l of s.listing) expect(lines[l.pos.line - 1].slice(l.pos.col - 1)).toContain(l.source);
  });
});

describe('compiled tests, value by value', () => {
  it('LB.FF: instruction literals, label addresses, the condition', () => {
    const s = compileSuite('LB.FF');
    expect(s.system.harts.map((h) => [h.name, h.start, h.ipiWhileRunning])).toEqual([
      ['P0', 0x10000n, false],
      ['P1', 0x20000n, false],
    ]);
    expect(reg(s, 0, T0)).toBe(0x00200413n); // addi s0,zero,2
    expect(reg(s, 0, A1)).toBe(s.symbols.get('P1:mod1'));
    expect(s.symbols.get('P1:mod1')).toBe(0x20000n);
    expect(reg(s, 1, A1)).toBe(s.symbols.get('P0:mod0'));
    // li s0,1; sw t0,0(a1): the harts idle after the store.
    expect(s.system.harts.map((h) => h.idleAt)).toEqual([0x10008n, 0x20008n]);
    const c = s.litmus!.condition;
    const atom = (hart: number): Condition => ({
      kind: 'eq',
      loc: { kind: 'reg', hart, reg: S0, name: `${hart}:s0` },
      value: 2n,
      valueText: '2',
      pos: expect.objectContaining({ line: 9 }) as never,
    });
    expect(c).toEqual({ kind: 'and', args: [atom(0), atom(1)] });
    expect(s.litmus!.quantifier).toBe('exists');
    expect(s.litmus!.conditionText).toBe('(0:s0=2 /\\ 1:s0=2)');
    expect(s.claims[0]).toMatchObject({ quantifier: 'sometimes', text: 'exists (0:s0=2 /\\ 1:s0=2)', pos: { line: 9, col: 1 }, predicate: { kind: 'final', condition: c } });
    expect(s.litmus!.valueNames.get(0x00200413n)).toBe('instr:"li s0, 2"');
    expect(s.litmus!.valueNames.get(0x20000n)).toBe('P1:mod1');
    expect(s.system.model).toEqual({ fetch: ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch'], stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
  });

  it('MP.FF+jump-store-fencei: instr:"j fi" is encoded where P0 stores it (P1:entry), so that it jumps to fi', () => {
    const s = compileSuite('MP.FF+jump-store-fencei');
    const bits = Number(reg(s, 0, T1));
    const d = decode(bits);
    expect(d.op).toBe('jal');
    expect(d.rd).toBe(0);
    expect(s.symbols.get('P1:entry')! + BigInt(d.imm)).toBe(s.symbols.get('P1:fi'));
    expect(bits).toBe(0x0040006f);
    // The other literal names no label: encoded alone.
    expect(reg(s, 0, T0)).toBe(0x00300413n);
  });

  it('MP.FR+fence.w.w+load-addr: locations in name order, px holding the address of x', () => {
    const s = compileSuite('MP.FR+fence.w.w+load-addr');
    expect(['px', 'pz', 'x', 'z'].map((n) => s.symbols.get(n))).toEqual([0x100000n, 0x100008n, 0x100010n, 0x100018n]);
    expect(memory(s, 'px')).toBe(s.symbols.get('x'));
    expect(memory(s, 'pz')).toBe(s.symbols.get('z'));
    expect(memory(s, 'x')).toBe(2n);
    expect(memory(s, 'z')).toBe(0n);
    expect(region(s, 'data')).toMatchObject({ base: 0x100000n, kind: 'data' });
    expect(reg(s, 1, 14)).toBe(s.symbols.get('pz')); // 1:a4=pz
  });

  it('MP.RF+fence.w.w+ctrl-jr: [x]=P1:end', () => {
    const s = compileSuite('MP.RF+fence.w.w+ctrl-jr');
    expect(memory(s, 'x')).toBe(s.symbols.get('P1:end'));
    // end: is the last row: the address just after P1's last instruction, where P1 idles.
    expect(s.system.harts[1].idleAt).toBe(s.symbols.get('P1:end'));
    expect(s.litmus!.valueNames.get(s.symbols.get('x')!)).toBe('x');
  });

  it('SB.F+ctrl+fence.rw.rw: instr:"j over" in the condition is encoded where 1:s1 is loaded from', () => {
    const s = compileSuite('SB.F+ctrl+fence.rw.rw');
    const atom = (s.litmus!.condition as Extract<Condition, { kind: 'and' | 'or' }>).args[1] as Extract<Condition, { kind: 'eq' }>;
    const original = s.listing.find((l) => l.addr === s.symbols.get('P0:mod'))!;
    expect(original.source).toBe('j over');
    expect(atom.value).toBe(BigInt(original.bits!));
    expect(atom.valueText).toBe('instr:"j over"');
  });

  it('a ~exists test written inline: a never claim; memory atoms; locations [...]', () => {
    const s = compileLitmus(
      'inline.litmus',
      `RISCV SB.inline
"store buffering"
(* a comment
   over two lines *)
{ 0:a1=x; 0:a2=y; 0:t1=1;
  1:a1=y; 1:a2=x; 1:t1=1; x=0; }
 P0          | P1          ;
 sw t1,0(a1) | sw t1,0(a1) ;
 lw s0,0(a2) | lw s0,0(a2) ;
locations [x; 1:t1;]
~exists (0:s0=0 /\\ [y]=1 /\\ ~1:s0=1)
`,
    );
    expect(s.description).toBe('store buffering');
    expect(s.claims[0]).toMatchObject({ quantifier: 'never', text: '~exists (0:s0=0 /\\ [y]=1 /\\ ~1:s0=1)', pos: { line: 11, col: 1 } });
    expect(s.litmus!.quantifier).toBe('~exists');
    expect(s.litmus!.observed.map((l) => l.name)).toEqual(['0:s0', 'y', '1:s0', 'x', '1:t1']);
    const c = s.litmus!.condition as Extract<Condition, { kind: 'and' | 'or' }>;
    expect(c.args[1]).toMatchObject({ kind: 'eq', loc: { kind: 'mem', addr: 0x100008n, size: 8, name: 'y' }, value: 1n, pos: { line: 11, col: 20 } });
    expect(c.args[2]).toMatchObject({ kind: 'not', arg: { kind: 'eq', loc: { kind: 'reg', hart: 1, reg: S0 } } });
    expect(reg(s, 0, A1)).toBe(0x100000n);
  });

  it('a forall test written inline: an always claim; x registers, negative and hex values, a disjunction', () => {
    const s = compileLitmus(
      'forall.litmus',
      `RISCV F
Variant=self
{ 0:x5 = -1; 0:a0=0x10 }
P0 ;
 mv s1, t0 ;
forall (0:s1=-1 \\/ 0:x9=0xffffffffffffffff) /\\ true
`,
    );
    expect(s.claims[0].quantifier).toBe('always');
    expect(reg(s, 0, T0)).toBe(0xffffffffffffffffn);
    expect(reg(s, 0, 10)).toBe(0x10n);
    expect(s.system.regions.map((r) => r.name)).toEqual(['P0']); // no locations, no data region
    expect(s.litmus!.condition).toMatchObject({
      kind: 'and',
      args: [
        {
          kind: 'or',
          args: [
            { kind: 'eq', loc: { name: '0:s1', reg: S1 }, value: 0xffffffffffffffffn, valueText: '-1' },
            { kind: 'eq', loc: { name: '0:x9', reg: S1 }, value: 0xffffffffffffffffn },
          ],
        },
        { kind: 'true' },
      ],
    });
    expect(s.litmus!.observed.map((l) => l.name)).toEqual(['0:s1']);
  });

  it('labels are per thread: two threads may both have end:', () => {
    const s = compileLitmus('ends.litmus', 'RISCV E\n{ 0:a0=P1:end; 1:a0=P0:end }\nP0 | P1 ;\nj end | nop ;\nend: | end: ;\nexists 0:a0=P1:end\n');
    expect(s.symbols.get('P0:end')).toBe(threadBase(0) + 4n);
    expect(s.symbols.get('P1:end')).toBe(threadBase(1) + 4n);
    expect(reg(s, 0, 10)).toBe(threadBase(1) + 4n);
  });
});

describe('the condition parser on its own (notebook final: predicates)', () => {
  const at = (o: number) => ({ file: 'nb.md', line: 3, col: 10 + o });
  const harts = ['cpu0', 'cpu1'];
  const resolver = {
    hart: (ref: string) => {
      const k = harts.indexOf(ref);
      if (k < 0) throw new ResolveError(`no hart "${ref}"`);
      return k;
    },
    register: (_h: number, name: string) => (name === 'a0' ? 10 : name === 'a1' ? 11 : (() => { throw new ResolveError(`"${name}" is not a register`); })()),
    location: () => ({ addr: 0x80n, size: 8 }),
    value: (text: string) => BigInt(text),
  };

  it('hart references by name', () => {
    expect(parseCondition('cpu1:a0=1 /\\ cpu1:a1=0', at, resolver)).toEqual({
      kind: 'and',
      args: [
        { kind: 'eq', loc: { kind: 'reg', hart: 1, reg: 10, name: 'cpu1:a0' }, value: 1n, valueText: '1', pos: at(0) },
        { kind: 'eq', loc: { kind: 'reg', hart: 1, reg: 11, name: 'cpu1:a1' }, value: 0n, valueText: '0', pos: at(13) },
      ],
    });
  });

  it('unknown names, each where written', () => {
    try {
      parseCondition('cpu2:a0=1 \\/ cpu1:a7=0', at, resolver);
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).diagnostics.map((d) => [d.pos.col, d.message])).toEqual([
        [10, 'no hart "cpu2"'],
        [28, '"a7" is not a register'],
      ]);
    }
  });
});

describe('bad input: diagnostics where to fix it', () => {
  const GOOD = `RISCV T
Variant=self
{ 0:t0=instr:"li s0, 2"; 0:a1=P1:mod;
  1:s0=0; }
P0           | P1           ;
sw t0,0(a1)  | mod:         ;
             | li s0, 1     ;
exists (1:s0=2)
`;

  it('the good test compiles', () => expect(errors(GOOD)).toEqual([]));

  it('an unknown instruction in thread 1, at its cell on line 7', () => {
    expect(errors(GOOD.replace('| li s0, 1  ', '| lii s0, 1 '))).toEqual(['7:16: P1: unknown instruction "lii"']);
    expect(errors(GOOD.replace('| mod:        ', '| mod: lii s0 '))).toEqual(['6:21: P1: unknown instruction "lii"']);
  });

  it('an assembler error inside an operand, mapped into the file', () => {
    expect(errors(GOOD.replace('li s0, 1  ', 'addi s0, s0, 5000'))).toEqual(['7:29: P1: addi: immediate 5000 out of range -2048..2047']);
  });

  it('an unknown label in the init block, at the value', () => {
    expect(errors(GOOD.replace('0:a1=P1:mod', '0:a1=P1:nope'))).toEqual(['3:31: P1 has no label "nope"']);
    expect(errors(GOOD.replace('0:a1=P1:mod', '0:a1=P3:mod'))).toEqual(['3:31: there is no thread P3']);
  });

  it('an instruction literal that does not assemble, at the instruction', () => {
    expect(errors(GOOD.replace('li s0, 2', 'li s0, s2'))).toEqual(["3:18: illegal operands `li s0, s2'"]);
    expect(errors(GOOD.replace('li s0, 2', 'li s0, 0x12345678'))).toEqual(['3:15: "li s0, 0x12345678" assembles to 2 instructions: an instr:"..." value is one 32-bit instruction']);
  });

  it('an instruction literal naming a label that nothing stores', () => {
    expect(errors(GOOD.replace('0:t0=instr:"li s0, 2"', '0:t2=instr:"j mod"'))).toEqual([
      '3:8: instr:"j mod" names a label, so its encoding depends on where it is: no store of P0 writes t2 to a label\'s address',
    ]);
    const twice = `RISCV T2
{ 0:t0=instr:"j mod"; 0:a1=P1:mod; 0:a2=P1:mod; }
P0          | P1         ;
sw t0,4(a1) | mod: nop   ;
sw t0,0(a2) | nop        ;
exists (1:s0=0)
`;
    expect(errors(twice)).toEqual(['2:8: instr:"j mod" names a label, so its encoding depends on where it is: P0 stores t0 at several addresses (P1:mod+4, P1:mod)']);
  });

  it('an unknown register, in the init block and in the condition', () => {
    expect(errors(GOOD.replace('1:s0=0', '1:s00=0'))).toEqual(['4:5: "s00" is not a register']);
    expect(errors(GOOD.replace('exists (1:s0=2)', 'exists (1:q0=2)'))).toEqual(['8:11: "q0" is not a register']);
  });

  it('a malformed condition, at the unexpected token', () => {
    expect(errors(GOOD.replace('exists (1:s0=2)', 'exists (1:s0=2 /\\ )'))).toEqual(['8:19: expected a comparison such as 0:a0=1, found ")"']);
    expect(errors(GOOD.replace('exists (1:s0=2)', 'exists (1:s0 2)'))).toEqual(['8:14: expected "=" after 1:s0, found "2"']);
    expect(errors(GOOD.replace('exists (1:s0=2)', 'exists (1:s0=2'))).toEqual(['8:15: expected ")", found the end of the condition']);
    expect(errors(GOOD.replace('exists (1:s0=2)', 'exists (1:s0=2) 1:s1=0'))).toEqual(['8:17: unexpected "1" in the condition']);
  });

  it('a missing condition', () => {
    expect(errors(GOOD.replace('exists (1:s0=2)\n', ''))).toEqual(['7:30: the test has no final condition']);
  });

  it('a program row without its ";" separator', () => {
    expect(errors(GOOD.replace('| li s0, 1     ;', '| li s0, 1'))).toEqual(['7:24: expected ";" at the end of this program row']);
  });

  it('a row with the wrong number of cells', () => {
    expect(errors(GOOD.replace('             | li s0, 1     ;', '| | li s0, 1 ;'))).toEqual(['7:1: this row has 3 cells, expected 2 (one per thread, separated by "|")']);
  });

  it('a bad header, a bad init entry, an unclosed comment', () => {
    expect(errors(GOOD.replace('RISCV T', 'ARM T'))).toEqual(['1:1: expected the header "RISCV <name>", found "ARM T"']);
    expect(errors(GOOD.replace('1:s0=0;', '1:s0;'))).toEqual([expect.stringMatching(/^4:3: expected "<thread>:<register>=<value>"/)]);
    expect(errors(GOOD.replace('Variant=self', '(* open'))).toEqual(['2:1: this comment is not closed with "*)"']);
  });

  it('never anything but a ScenarioError, whatever the input', () => {
    const mangled = [GOOD.slice(0, 40), GOOD.replace(/;/g, ''), GOOD.replace(/\|/g, ''), GOOD.replace('{', ''), GOOD.replace('}', ''), '', 'RISCV', GOOD.replace(/\n/g, ' ')];
    for (const m of mangled) expect(errors(m).length).toBeGreaterThan(0);
  });
});

describe('a ```litmus block in a notebook', () => {
  const NB = [
    '# Notes',
    '',
    '- a test, indented in a list item:',
    '',
    '  ```litmus',
    '  RISCV NB',
    '  { 0:t0=instr:"li s0, 2"; 0:a1=P1:mod; }',
    '  P0          | P1       ;',
    '  sw t0,0(a1) | mod:     ;',
    '              | li s0, 1 ;',
    '  exists (1:s0=2)',
    '  ```',
    '',
  ].join('\n');

  it('compiles, with positions in the notebook', () => {
    const [entry] = readNotebook('nb.md', NB).entries;
    const s = entry.scenario;
    expect(s.name).toBe('NB');
    expect(s.pos).toMatchObject({ file: 'nb.md', line: 6, col: 3 });
    expect(s.claims[0].pos).toMatchObject({ line: 11, col: 3 });
    expect(s.listing.map((l) => [l.source, l.pos.line, l.pos.col])).toEqual([
      ['sw t0,0(a1)', 9, 3],
      ['li s0, 1', 10, 17],
    ]);
  });

  it('reports errors in the notebook', () => {
    try {
      readNotebook('nb.md', NB.replace('li s0, 1', 'lx s0, 1'));
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}`)).toEqual(['10:17: P1: unknown instruction "lx"']);
    }
  });
});
