// The byte space the timeline names memory by (machine/memory.ts), against fetch pieces
// as wide as a line (issue 14: a data store under `atomicity: line 128` or wider died in
// the explorer with "Cannot convert undefined to a BigInt").

import { describe, expect, it } from 'vitest';
import { Machine, seedFuture } from '../../src/machine/index.ts';
import { MemoryLayout } from '../../src/machine/memory.ts';
import type { Region } from '../../src/scenario/types.ts';
import { outcomes, run, scenario } from '../helpers.ts';

const region = (name: string, base: bigint, size: number, kind: Region['kind'] = 'code'): Region => ({ name, base, bytes: new Uint8Array(size).fill(1), kind });

describe('the memory layout', () => {
  it('keeps every address in its place within its aligned line, for lines wider than 64 bytes', () => {
    for (const line of [64, 128, 4096]) {
      const layout = new MemoryLayout([region('data', 0x2000n, 8, 'data'), region('func', 0xffffffff8001f840n, 70), region('tail', 0xffffffff8001f8a0n, 4)], line);
      for (const addr of [0x2000n, 0x2007n, 0xffffffff8001f840n, 0xffffffff8001f885n, 0xffffffff8001f8a0n]) {
        expect(layout.offset(addr, 1)! % line).toBe(Number(addr % BigInt(line)));
      }
    }
  });

  it('two regions share a line of offsets only when they share a line of addresses', () => {
    const line = 128;
    // 0x1070 and 0x10f8 lie in different 128-byte lines; 0x10f8 and 0x1100 too. Nothing between them.
    const layout = new MemoryLayout([region('a', 0x1070n, 8), region('b', 0x10f8n, 8), region('c', 0x1300n, 8), region('d', 0x1340n, 8)], line);
    const lineOf = (addr: bigint) => Math.floor(layout.offset(addr, 1)! / line);
    expect(lineOf(0x1070n)).not.toBe(lineOf(0x10f8n));
    expect(lineOf(0x10f8n)).not.toBe(lineOf(0x1300n));
    expect(lineOf(0x1300n)).toBe(lineOf(0x1340n)); // the same line of addresses
  });

  it('holds every byte of the last line, so a piece covering the end of memory reads zeros there', () => {
    for (const line of [128, 256, 4096]) {
      const layout = new MemoryLayout([region('func', 0x8000n, 8)], line);
      expect(layout.initial.length % line).toBe(0);
      expect(layout.initial.length).toBeGreaterThanOrEqual(line);
    }
  });
});

describe('atomicity: line N past 64 bytes', () => {
  // A hart that stores makes the search note what stores give each fetch piece (its
  // speculation candidates): a piece is a whole line, past the end of the code.
  const yaml = (atomicity: string) => `
name: wide-line
model: { fetch: [ziccif-only, ir-decode], atomicity: ${atomicity} }
data:
  flag: { at: 0x2000, asm: ".dword 0" }
code:
  func:
    at: 0x1000
    asm: |
      sd zero, 0(a1)
      ret
patch:
  - store: { at: func, insn: "c.nop" }
  - store: { at: flag, value: 1, size: 8 }
harts:
  - calls: func
    regs: { a1: flag }
claims:
  - never: crash
`;

  it('judges a store into code under line 128, 256 and 4096 as under line 64', () => {
    const line64 = run(yaml('line 64'));
    for (const n of [128, 256, 4096]) {
      const r = run(yaml(`line ${n}`));
      expect(r.configs.map((c) => c.verdict)).toEqual(line64.configs.map((c) => c.verdict));
      expect(r.configs.map((c) => outcomes(r, c.model.fetch))).toEqual(line64.configs.map((c) => outcomes(line64, c.model.fetch)));
    }
  });

  it('a store the patch writes into code beyond a piece\'s first 64 bits still makes the fetches speculate', () => {
    // No hart's code stores until the patch writes an sd 8 bytes into func: in a line of
    // 128 bytes that is bits 64 to 95 of the piece's value.
    const s = scenario(`
name: stores-later
code:
  func:
    at: 0x1000
    asm: |
      nop
      nop
      nop
      ret
patch:
  - store: { at: func+8, insn: "sd zero, 0(a1)" }
harts:
  - calls: func
claims:
  - never: crash
`);
    for (const atomicity of [{ kind: 'line', bytes: 8 }, { kind: 'line', bytes: 128 }] as const) {
      const model = { fetch: 'ziccif-only', stores: 'rvwmo', atomicity, fenceI: 'transitive' } as const;
      expect(new Machine(s.system, model, { future: seedFuture(s.system, model) }).core.speculates).toBe(true);
    }
  });
});
