// A claim's one-line text (claim tables, JUnit names, JSON) must be YAML that reads back as
// the claim the author wrote, however it was laid out: a block-style predicate joined onto
// one line (`any: - { ... } - { ... }`) is not.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PATCH_ONE_WORD, scenario } from '../helpers.ts';

const claims = (text: string) => scenario(`${PATCH_ONE_WORD.trim()}\nmodel: { fetch: ziccid }\nclaims:\n${text}`).claims;

describe("a claim's text", () => {
  it('is what the author wrote when the claim is on one line', () => {
    expect(claims('  - never: { calls: new_target }\n  - sometimes: no-calls\n').map((c) => c.text)).toEqual(['never: { calls: new_target }', 'sometimes: no-calls']);
  });

  it('is one line of YAML equal to the block-style claim it came from, scalars as spelled', () => {
    const block = `  - always:
      any:
        - { calls: old_target }
        - all:
            - calls: new_target
            - not: { executed: [NEW], at: 0x80000000 }
`;
    const [c] = claims(block);
    expect(c.text).not.toContain('\n');
    expect(c.text).toBe('always: { any: [{ calls: old_target }, { all: [{ calls: new_target }, { not: { executed: [NEW], at: 0x80000000 } }] }] }');
    expect(parse(c.text)).toEqual(parse(block.replace(/^  - /, '').replace(/^ {4}/gm, '')));
    expect(c.written).toContain('\n');
  });
});
