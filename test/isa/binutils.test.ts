// The instruction layer against GNU binutils: every line of the corpus was assembled,
// linked and disassembled by Debian's binutils-riscv64-linux-gnu 2.40 (see
// test/fixtures/binutils/generate.ts). patchlit must encode each source exactly as GNU as
// did and print each word exactly as objdump did.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, disassembleText } from '../../src/isa/index.ts';

interface Case {
  rvc: boolean;
  source: string;
  addr: bigint;
  words: string[];
  texts: string[];
  raw: string[];
}

/**
 * objdump annotates a JALR, a load or an ADDI with the address an earlier AUIPC/LUI of
 * the same register computes ("# 0x..."): a property of the instruction stream before
 * it, not of one word's disassembly.
 */
const dropStreamComment = (s: string) => s.replace(/ # .*$/, '');

const cases: Case[] = readFileSync(new URL('../fixtures/binutils/corpus.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [rvc, source, addr, words, texts, raw] = l.split('\t');
    const list = (s: string) => s.split(' | ').map((t) => dropStreamComment(t.replace(/\\t/g, '\t')));
    return { rvc: rvc === '1', source, addr: BigInt('0x' + addr), words: words.split(' '), texts: list(texts), raw: list(raw) };
  });

describe('agreement with GNU binutils 2.40', () => {
  it('has a corpus of at least 5000 instructions', () => {
    expect(cases.reduce((n, c) => n + c.words.length, 0)).toBeGreaterThanOrEqual(5000);
  });

  it('assembles every source as GNU as does, bit for bit', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const r = assemble(c.source, c.addr, undefined, { rvc: c.rvc });
      const got = r.items.map((i) => i.bits!.toString(16).padStart(i.size * 2, '0'));
      if (r.diagnostics.length || got.join(' ') !== c.words.join(' ')) {
        wrong.push(`${c.rvc ? '[rvc] ' : ''}${c.source}: ${r.diagnostics.map((d) => d.message).join('; ') || got.join(' ')} (GNU as: ${c.words.join(' ')})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('prints every word as objdump does, character for character, with and without aliases', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      let pc = c.addr;
      c.words.forEach((w, i) => {
        const bits = parseInt(w, 16);
        const text = disassembleText(bits, { pc });
        const raw = disassembleText(bits, { pc, aliases: false });
        if (text !== c.texts[i] || raw !== c.raw[i]) wrong.push(`${w}: ${JSON.stringify(text)} / ${JSON.stringify(raw)} (objdump: ${JSON.stringify(c.texts[i])} / ${JSON.stringify(c.raw[i])})`);
        pc += BigInt(w.length / 2);
      });
    }
    expect(wrong).toEqual([]);
  });
});

describe('the whole compressed space against objdump 2.40', () => {
  it('prints every 16-bit parcel as objdump does: hints and reserved encodings included', async () => {
    const { gunzipSync } = await import('node:zlib');
    const text = gunzipSync(readFileSync(new URL('../fixtures/binutils/parcels16.tsv.gz', import.meta.url))).toString('utf8');
    const base = 0xffffffff80000000n;
    const rows = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rows).toHaveLength(49152);
    const wrong: string[] = [];
    rows.forEach((row, i) => {
      const [hex, plain, raw] = row.split('\t').map((s) => dropStreamComment(s.replace(/\\t/g, '\t')));
      const pc = base + BigInt(2 * i);
      const p = parseInt(hex, 16);
      const got = disassembleText(p, { pc });
      const gotRaw = disassembleText(p, { pc, aliases: false });
      if (got !== plain || gotRaw !== raw) wrong.push(`${hex}: ${JSON.stringify(got)} / ${JSON.stringify(gotRaw)} (objdump: ${JSON.stringify(plain)} / ${JSON.stringify(raw)})`);
    });
    expect(wrong).toEqual([]);
  });
});
