// The README's examples read as written: every predicate it shows inline (`{final: ...}`,
// `{calls: STUB}`, ...) compiles as a claim, with its placeholders defined, and every
// ```patchlit block it holds compiles as a scenario. Its `final:` example once lost its
// `/\` to YAML's double-quote escapes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errors } from '../helpers.ts';

const README = readFileSync('README.md', 'utf8');

/** Inline code spans that are a predicate map: `{final: ...}`, `{calls: STUB}`, ... */
const SPANS = [...README.matchAll(/`(\{\s*(?:final|calls|call-outside|executed|not|all|any)\s*:[^`]*\})`/g)].map((m) => m[1]);
/** Those with an empty list are the README's examples of claims that cannot fail: errors. */
const VACUOUS = SPANS.filter((p) => /:\s*\[\s*\]\s*\}$/.test(p));
const PREDICATES = SPANS.filter((p) => !VACUOUS.includes(p));
/** A double-quoted `final:` condition written alone (`"cpu1:a0=1 /\\ flag=1"`). */
const QUOTED_FINALS = [...README.matchAll(/`("cpu\d[^`]*")`/g)].map((m) => m[1]);
/** ```patchlit blocks, also those shown inside a ````markdown example. */
const BLOCKS = [...README.matchAll(/^```patchlit\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

/** A scenario that defines what the README's placeholders name, with `claim` as its one claim. */
function withClaim(claim: string): string {
  return `name: readme
symbols:
  STUB: 0x2000
  STUBS: 0x2100
stubs:
  STUB: { return: ra }
  STUBS: { return: ra }
data:
  flag: { at: 0x3000, asm: ".dword 0" }
code:
  func:
    at: 0x1000
    asm: |
      ADDR:
      nop
      ret
insns:
  I1: nop
  I2: ret
harts:
  - calls: func
claims:
  - sometimes: ${claim}
`;
}

describe("the README's examples", () => {
  it('finds them', () => {
    expect(PREDICATES.length).toBeGreaterThanOrEqual(4);
    expect(PREDICATES.some((p) => p.startsWith('{final:'))).toBe(true);
    expect(QUOTED_FINALS.length).toBeGreaterThanOrEqual(1);
    expect(BLOCKS.length).toBeGreaterThanOrEqual(1);
  });

  it.each(PREDICATES)('the predicate %s compiles as a claim', (p) => {
    expect(errors(withClaim(p))).toEqual([]);
  });

  it.each(VACUOUS)('the predicate %s, which cannot fail, is an error', (p) => {
    expect(errors(withClaim(p))).not.toEqual([]);
  });

  it.each(QUOTED_FINALS)('the double-quoted condition %s compiles as a final claim', (q) => {
    expect(errors(withClaim(`{ final: ${q} }`))).toEqual([]);
  });

  it.each(BLOCKS.map((b, i) => [i, b]))('patchlit block %i compiles', (_i, block) => {
    expect(errors(block as string, 'readme.yaml')).toEqual([]);
  });
});
