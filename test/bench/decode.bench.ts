// npm run bench: decoding speed over a mixed stream of real instructions (32-bit and
// compressed, from the binutils corpus), cold (every word decoded from the table) and
// through the decode cache the simulator uses. Each operation decodes the whole stream:
// decodes per second = hz x stream length (printed in each bench's name).

import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { decode } from '../../src/isa/index.ts';
import { decodeUncached32or16 } from '../../src/isa/decode.ts';

const words = readFileSync(new URL('../fixtures/binutils/corpus.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .flatMap((l) => l.split('\t')[3].split(' ').map((w) => parseInt(w, 16)));

let sink = 0;
describe(`decode a stream of ${words.length} mixed RV64GC words`, () => {
  bench(`cold: from the table (${words.length} decodes per op)`, () => {
    for (const w of words) sink += decodeUncached32or16(w).rd;
  });
  bench(`cached: as the simulator decodes (${words.length} decodes per op)`, () => {
    for (const w of words) sink += decode(w).rd;
  });
});
void sink;
