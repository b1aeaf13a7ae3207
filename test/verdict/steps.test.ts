// Predicates about a particular interleaving (issue 12, item 8): an instruction run after
// (or before) a given patch step was made.

import { describe, expect, it } from 'vitest';
import { errors, PATCH_ONE_WORD, run, under } from '../helpers.ts';

/** One word patched, then a FENCE.I-less second store; the caller runs func once. */
const yaml = (model: string, claims: string) =>
  PATCH_ONE_WORD.replace('name: one-word', `name: one-word\nmodel: { fetch: ${model} }`).replace(
    '  - store: { at: func, insn: NEW }',
    '  - store: { at: func, insn: NEW }\n  - fence w,w\n  - store: { at: func, insn: "j old_target" }',
  ) + `claims:\n${claims}`;

const verdicts = (model: string, claims: string) => under(run(yaml(model, claims))).claims.map((c) => c.verdict);

describe('executed after or before a patch step', () => {
  it('tells the interleavings apart under the idealised reading: the new instruction only between its store and the one that takes it back', () => {
    expect(
      verdicts(
        'coherent',
        `  - sometimes: { executed: NEW, at: func, after: 1 }
  - never: { executed: NEW, at: func, before: 1 }
  - never: { executed: NEW, at: func, after: 3 }
  - sometimes: { executed: "j old_target", at: func, after: 3 }
`,
      ),
    ).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('counts steps as the patching hart makes them: a store it promised is visible before its step', () => {
    const between = '  - never: { executed: "j old_target", at: func, after: 1, before: 3 }\n';
    expect(verdicts('coherent', between)).toEqual(['fail']); // RVWMO: the third step's store may be promised before the fence
    expect(verdicts('coherent, stores: sc', between)).toEqual(['pass']);
  });

  it('lets a stale fetch show where the window allows it: the old instruction after the new one\'s store', () => {
    expect(verdicts('ziccif-only', '  - sometimes: { executed: "j old_target", at: func, after: 1, before: 3 }\n')).toEqual(['pass']);
  });

  it('refuses a step that does not exist, at its place', () => {
    expect(errors(yaml('coherent', '  - sometimes: { executed: NEW, at: func, after: 4 }\n'))).toEqual([expect.stringMatching(/^\d+:\d+: cpu0 has 3 steps: there is no step 4$/)]);
    expect(errors(yaml('coherent', '  - sometimes: { executed: NEW, at: func, after: cpu9 1 }\n'))).toEqual([expect.stringMatching(/no patching hart is named "cpu9"/)]);
  });
});
