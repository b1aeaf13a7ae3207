// What the readers' fuzzer mutates, read at test time from where it lives (nothing is
// copied into the repository): this repository's notebooks and YAML files under
// scenarios/, each notebook's patchlit blocks on their own as YAML scenarios, and the
// instruction-fetch litmus tests beside the repository (../shared/litmus/riscv-ifetch/),
// when they are there.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scenarioFiles } from '../../src/files.ts';
import { blocksOf, FENCE_INFO } from '../../src/scenario/index.ts';

export interface Seed {
  /** Where a mutant of it is written, relative to the fuzzer's directory: beside where the original is, so imports resolve. */
  readonly path: string;
  readonly text: string;
}

export const LITMUS_DIR = '../shared/litmus/riscv-ifetch';

export function corpus(root = process.cwd()): Seed[] {
  const seeds: Seed[] = [];
  for (const file of scenarioFiles([join(root, 'scenarios')])) {
    const text = readFileSync(file, 'utf8');
    const path = relative(root, file);
    seeds.push({ path, text });
    if (!file.endsWith('.md')) continue;
    const lines = text.split('\n');
    blocksOf(file, text).forEach((b, k) => {
      // A block that extends another means nothing on its own: its mutants would stop at the extends.
      if (lines[b.line - 1].trim().replace(/^`+/, '') !== FENCE_INFO || /^extends:/m.test(b.source)) return;
      seeds.push({ path: path.replace(/\.md$/, `.block${k}.yaml`), text: b.source });
    });
  }
  const litmus = join(root, LITMUS_DIR);
  if (existsSync(litmus)) {
    for (const name of readdirSync(litmus).sort()) {
      if (name.endsWith('.litmus')) seeds.push({ path: join('litmus', name), text: readFileSync(join(litmus, name), 'utf8') });
    }
  }
  return seeds;
}

/** The files a mutant's imports may need, as they are: written once into the fuzzer's directory. */
export function supportFiles(root = process.cwd()): Seed[] {
  return scenarioFiles([join(root, 'scenarios', 'lib')]).map((f) => ({ path: relative(root, f), text: readFileSync(f, 'utf8') }));
}
