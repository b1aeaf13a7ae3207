// The library face: what `import ... from 'patchlit'` offers.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isa, runFile } from '../src/index.ts';
import { PATCH_ONE_WORD } from './helpers.ts';

describe('library API', () => {
  it('runs a file through the whole pipeline', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'patchlit-api-')), 'one.yaml');
    writeFileSync(file, `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`);
    const { results, markdown } = runFile(file);
    expect(results.map((r) => [r.scenario.name, r.verdict])).toEqual([['one-word', 'pass']]);
    expect(markdown).toContain('**patchlit** `one-word`: pass');
  });

  it('exposes the instruction layer', () => {
    expect(isa.disassembleText(0x000282e7)).toBe('jalr\tt0,t0');
    expect(isa.assemble('fence.i', 0n).items[0].bits).toBe(0x100f);
  });
});
