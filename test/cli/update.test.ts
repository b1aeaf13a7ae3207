// Recorded observations: compared with each run, and rewritten by --update byte for byte
// where they are and nowhere else.

import { describe, expect, it } from 'vitest';
import { updateRecords } from '../../src/cli/update.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';

const scenario = `${PATCH_ONE_WORD.trim()}\nmodel: { fetch: ziccif-only }\nclaims:\n  - never: crash\n`;

function notebook(recorded: string): string {
  return `# Notes\n\nProse before.\n\n  \`\`\`patchlit\n${(scenario + recorded)
    .split('\n')
    .map((l) => (l ? '  ' + l : l))
    .join('\n')}  \`\`\`\n\nProse after, with outcomes: | in it.\n`;
}

function judge(text: string) {
  const nb = readNotebook('nb.md', text);
  return judgeScenario(nb.entries[0].scenario);
}

describe('recorded outcomes', () => {
  it('match what the run sees, whatever their order and spacing', () => {
    const r = judge(notebook('outcomes: |\n  complete;   cpu1: new_target\n  complete; cpu1: old_target\n'));
    expect(r.records).toHaveLength(1);
    expect(r.records[0].observed).toEqual(['complete; cpu1: new_target', 'complete; cpu1: old_target']);
    expect(r.records[0].matches).toBe(true);
    expect(r.status).toBe('pass');
  });

  it('that changed fail the scenario, though every claim holds', () => {
    const r = judge(notebook('outcomes: |\n  complete; cpu1: old_target\n'));
    expect(r.verdict).toBe('pass');
    expect(r.records[0].matches).toBe(false);
    expect(r.status).toBe('fail');
  });

  it('are rewritten in place, every other byte kept', () => {
    for (const old of ['outcomes: |\n  complete; cpu1: old_target\n', 'outcomes:\n', 'outcomes: []\n', 'outcomes:\n  - stale\n']) {
      const text = notebook(old + 'budget: { states: 100000 }\n');
      const updated = updateRecords(text, judge(text).records);
      const want = notebook('outcomes: |\n  complete; cpu1: new_target\n  complete; cpu1: old_target\nbudget: { states: 100000 }\n');
      expect(updated).toBe(want);
      // And what was written reads back as matching.
      expect(judge(updated).status).toBe('pass');
    }
  });

  it('leave a file alone when they match', () => {
    const text = notebook('outcomes: |\n  complete; cpu1: new_target\n  complete; cpu1: old_target\n');
    expect(updateRecords(text, judge(text).records)).toBe(text);
  });
});

describe('expected failures', () => {
  it('turn a failing claim into xfail and a holding one into xpass', () => {
    const fails = judge(notebook('').replace('  - never: crash', '  - always: { calls: new_target }\n      xfail: the old target is still called'));
    expect(fails.verdict).toBe('fail');
    expect(fails.status).toBe('xfail');
    const holds = judge(notebook('').replace('  - never: crash', '  - never: crash\n      xfail: true'));
    expect(holds.status).toBe('xpass');
  });

  it('for a whole scenario: xfail when a check fails, xpass when none does', () => {
    expect(judge(notebook('xfail: a race\n').replace('never: crash', 'always: { calls: new_target }')).status).toBe('xfail');
    expect(judge(notebook('xfail: a race\n')).status).toBe('xpass');
  });
});
