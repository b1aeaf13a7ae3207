// The RISC-V instruction-fetch litmus suite, read from where it is kept beside the project
// (../shared/litmus/riscv-ifetch): its tests, and the verdicts of its kinds files.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileLitmus } from '../../src/scenario/index.ts';
import type { FetchConfigName, Scenario } from '../../src/scenario/index.ts';

export const SUITE_DIR = fileURLToPath(new URL('../../../shared/litmus/riscv-ifetch/', import.meta.url));

export const KINDS_FILES: Readonly<Record<Exclude<FetchConfigName, 'coherent'>, string>> = {
  'ziccif-only': 'kinds-Ziccif-only.txt',
  ziccid: 'kinds-Ziccid.txt',
  'ir-decode-w': 'kinds-ir-decode-w.txt',
  'ir-decode': 'kinds-ir-decode.txt',
  'ir3-fetch': 'kinds-ir3-fetch.txt',
};

/** Fails loudly when the suite is not there: the yardstick must never be skipped. */
function suiteDir(): string {
  if (!existsSync(SUITE_DIR + '@all')) throw new Error(`the ifetch litmus suite is not at ${SUITE_DIR}: the model cannot be measured without it`);
  return SUITE_DIR;
}

/** Every test of @all, compiled. */
export function suiteTests(): Scenario[] {
  const dir = suiteDir();
  return readFileSync(dir + '@all', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((f) => compileLitmus(dir + f, readFileSync(dir + f, 'utf8')));
}

/** A kinds file: test name → Allow | Forbid. */
export function kinds(config: keyof typeof KINDS_FILES): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(suiteDir() + KINDS_FILES[config], 'utf8').split('\n')) {
    const m = /^(\S+)\s+(Allow|Forbid)\s*$/.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}
