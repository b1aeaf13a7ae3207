// Final states of completed runs as the oracle prints them (test/oracle/axiomatic.ts
// `project`): `0:s0=2; 1:s0=1; x=1;`, sorted and distinct.

import { registerName } from '../../src/isa/index.ts';
import type { FinalLocation } from '../../src/scenario/index.ts';
import type { ConfigResult } from '../../src/verdict/index.ts';

export function finalStates(c: ConfigResult, locs: readonly FinalLocation[]): string[] {
  const out = new Set<string>();
  for (const o of c.outcomes) {
    if (o.ending.kind !== 'complete') continue;
    out.add(
      locs
        .map((l, i) => (l.kind === 'reg' ? `${l.hart}:${registerName(l.reg)}=${BigInt.asIntN(64, o.final[i])};` : `${l.name}=${BigInt.asIntN(l.size * 8, o.final[i])};`))
        .join(' '),
    );
  }
  return [...out].sort();
}
