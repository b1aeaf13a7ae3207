// The instruction layer against GNU binutils: every line of the fixture was assembled and
// disassembled by Debian's binutils-riscv64-linux-gnu (see test/fixtures/binutils).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, disassembleText } from '../../src/isa/index.ts';

interface Case {
  source: string;
  addr: bigint;
  bytes: number;
  size: number;
  text: string;
  raw: string;
}

/**
 * objdump annotates a JALR or load with the address an earlier AUIPC/LUI of the same
 * register computes ("# 0x..."). That depends on the instructions before it in objdump's
 * stream, not on the word: it is not part of one word's disassembly.
 */
const dropStreamComment = (s: string) => s.replace(/ # .*$/, '');

const cases: Case[] = readFileSync(new URL('../fixtures/binutils/rv64-subset.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [source, addr, bytes, m, ops, rm, rops] = l.split('\t');
    const join = (a: string, b: string) => dropStreamComment(b ? `${a}\t${b}` : a);
    return { source, addr: BigInt('0x' + addr), bytes: parseInt(bytes, 16), size: bytes.length / 2, text: join(m, ops), raw: join(rm, rops) };
  });

describe('agreement with GNU binutils 2.40', () => {
  it('has the fixture', () => expect(cases.length).toBeGreaterThan(500));

  it.each(cases.map((c) => [c.source, c] as const))('assembles %s', (_s, c) => {
    const r = assemble(c.source, c.addr);
    expect(r.diagnostics).toEqual([]);
    expect(r.items).toHaveLength(1);
    expect(r.items[0].size).toBe(c.size);
    expect(r.items[0].bits!.toString(16)).toBe(c.bytes.toString(16));
  });

  it.each(cases.map((c) => [c.source, c] as const))('disassembles %s', (_s, c) => {
    expect(disassembleText(c.bytes, { pc: c.addr })).toBe(c.text);
    expect(disassembleText(c.bytes, { pc: c.addr, aliases: false })).toBe(c.raw);
  });
});
