// The axiomatic oracle against the RISC-V instruction-fetch litmus suite: for every test
// of @all and each of the five configurations, whether some final state satisfies the
// `exists` condition must match the suite's kinds-<configuration>.txt.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileLitmus } from '../../src/scenario/litmus/compile.ts';
import { axiomaticExplore, holds, ORACLE_CONFIGS, type OracleConfig } from './axiomatic.ts';

const SUITE = fileURLToPath(new URL('../../../shared/litmus/riscv-ifetch/', import.meta.url));

const KINDS_FILE: Record<OracleConfig, string> = {
  'ziccif-only': 'kinds-Ziccif-only.txt',
  ziccid: 'kinds-Ziccid.txt',
  'ir-decode-w': 'kinds-ir-decode-w.txt',
  'ir-decode': 'kinds-ir-decode.txt',
  'ir3-fetch': 'kinds-ir3-fetch.txt',
};

function kinds(config: OracleConfig): Map<string, 'Allow' | 'Forbid'> {
  const out = new Map<string, 'Allow' | 'Forbid'>();
  for (const line of readFileSync(SUITE + KINDS_FILE[config], 'utf8').split('\n')) {
    const m = /^(\S+)\s+(Allow|Forbid)\s*$/.exec(line);
    if (m) out.set(m[1], m[2] as 'Allow' | 'Forbid');
  }
  return out;
}

describe.skipIf(!existsSync(SUITE))('the ifetch litmus suite under the axiomatic oracle', () => {
  it('gives every one of the 320 verdicts of the kinds files', () => {
    const files = readFileSync(SUITE + '@all', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const expected = new Map(ORACLE_CONFIGS.map((c) => [c, kinds(c)]));
    const mismatches: string[] = [];
    let compared = 0;
    for (const file of files) {
      const scenario = compileLitmus(file, readFileSync(SUITE + file, 'utf8'));
      const litmus = scenario.litmus!;
      expect(litmus.quantifier).toBe('exists');
      const { finals } = axiomaticExplore(scenario.system);
      for (const config of ORACLE_CONFIGS) {
        const want = expected.get(config)!.get(litmus.name);
        expect(want, `${litmus.name} in ${KINDS_FILE[config]}`).toBeDefined();
        const got = finals.get(config)!.some((f) => holds(litmus.condition, f)) ? 'Allow' : 'Forbid';
        compared++;
        if (got !== want) mismatches.push(`${litmus.name} under ${config}: oracle ${got}, kinds file ${want}`);
      }
    }
    expect(compared).toBe(320);
    expect(mismatches).toEqual([]);
  });
});
