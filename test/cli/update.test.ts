// Recorded observations: compared with each run, and rewritten by --update byte for byte
// where they are and nowhere else.

import { describe, expect, it } from 'vitest';
import { updateRecords } from '../../src/cli/update.ts';
import { readNotebook, ScenarioError } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { oneWordTable, PATCH_ONE_WORD } from '../helpers.ts';

const scenario = `${PATCH_ONE_WORD.trim()}\nmodel: { fetch: ziccif-only }\nclaims:\n  - never: crash\n`;

function notebook(recorded: string): string {
  return `# Notes\n\nProse before.\n\n  \`\`\`patchlit\n${(scenario + recorded)
    .split('\n')
    .map((l) => (l ? '  ' + l : l))
    .join('\n')}  \`\`\`\n\nProse after, with outcomes: | in it.\n`;
}

function judge(text: string, file = 'nb.md') {
  const nb = readNotebook(file, text);
  return judgeScenario(nb.entries[0].scenario);
}

/** What --update makes of `text`, which must then read back with its recordings matching. */
function updated(text: string, file = 'nb.md'): string {
  const out = updateRecords(file, text, judge(text, file).records);
  expect(judge(out, file).records.every((r) => r.matches)).toBe(true);
  return out;
}

/** A fenced scenario block ending with `recorded`, as a notebook. */
const fenced = (recorded: string) => '# t\n\n```patchlit\n' + scenario + recorded + '```\n\nAfter.\n';
const NEW = '  complete; cpu1: new_target\n  complete; cpu1: old_target\n';

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
      const out = updateRecords('nb.md', text, judge(text).records);
      const want = notebook('outcomes: |\n  complete; cpu1: new_target\n  complete; cpu1: old_target\nbudget: { states: 100000 }\n');
      expect(out).toBe(want);
      // And what was written reads back as matching.
      expect(judge(out).status).toBe('pass');
    }
  });

  it('in a blockquote or a list item come back with its prefix on every line (issue 14)', () => {
    const quote = (t: string, first: string, rest: string) => t.split('\n').map((l, i) => (l === '' ? l : (i ? rest : first) + l)).join('\n');
    const block = '```patchlit\n' + scenario + 'outcomes: |\n  complete; cpu1: old_target\n```\n';
    const want = '```patchlit\n' + scenario + 'outcomes: |\n' + NEW + '```\n';
    for (const [first, rest] of [['> ', '> '], ['>', '>'], ['- ', '  '], ['> - ', '>   '], ['1. ', '   ']]) {
      const text = `# t\n\n${quote(block, first, rest)}\nAfter.\n`;
      const out = updated(text);
      if (first !== '>') expect(out).toBe(`# t\n\n${quote(want, first, rest)}\nAfter.\n`);
      else expect(out).toBe(`# t\n\n${quote(want, first, rest).replace(/^>(?= {2}complete)/gm, '> ')}\nAfter.\n`);
    }
  });

  it('started as null, ~, !!null or a comment are replaced whole, the comment kept (issue 14)', () => {
    for (const old of ['null', '~', 'Null', 'NULL', '!!null', '!!null ""', '', '   ', '&rec ~']) {
      expect(updated(fenced(`outcomes: ${old}\nbudget: { states: 100000 }\n`))).toBe(fenced(`outcomes:${old.startsWith('&') ? ' &rec' : ''} |\n${NEW}budget: { states: 100000 }\n`));
    }
    expect(updated(fenced('outcomes: # to fill\nbudget: { states: 100000 }\n'))).toBe(fenced(`outcomes: | # to fill\n${NEW}budget: { states: 100000 }\n`));
    expect(updated(fenced('outcomes: null   # to fill\n'))).toBe(fenced(`outcomes: |   # to fill\n${NEW}`));
    expect(updated(fenced('outcomes: [stale, lines]  # seen\n'))).toBe(fenced(`outcomes: |  # seen\n${NEW}`));
  });

  it('keep the comment on the `outcomes: |` line (issue 14)', () => {
    expect(updated(fenced('outcomes: |  # as of v6.12\n  complete; cpu1: old_target\n'))).toBe(fenced(`outcomes: |  # as of v6.12\n${NEW}`));
    expect(updated(fenced('outcomes: |-  # x\n  stale\n\n'))).toBe(fenced(`outcomes: |  # x\n${NEW}\n`));
  });

  it('in a CRLF notebook or YAML file are written with CRLF, as every other line is (issue 14)', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    expect(updated(crlf(fenced('outcomes: ~\nbudget: { states: 100000 }\n')))).toBe(crlf(fenced(`outcomes: |\n${NEW}budget: { states: 100000 }\n`)));
    expect(updated(crlf(scenario + 'outcomes:\n'), 's.yaml')).toBe(crlf(scenario + `outcomes: |\n${NEW}`));
    // The last line of a file without a newline stays without one.
    expect(updated(crlf(scenario) + 'outcomes:', 's.yaml')).toBe(crlf(scenario + `outcomes: |\n${NEW}`).replace(/\r\n$/, ''));
  });

  it("a table's observed: is rewritten at its own indentation", () => {
    const table = oneWordTable('    0 -- new\n');
    const out = updated(fenced(`${table}  observed: ~  # seen\noutcomes: ~\n`));
    expect(out).toBe(fenced(`${table}  observed: |  # seen\n    0 -- new, old\noutcomes: |\n${NEW}`));
  });

  it('that cannot be rewritten faithfully are refused, at their key, with the reason (issue 14)', () => {
    const refused = (text: string) => {
      try {
        updateRecords('nb.md', text, judge(text).records);
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as ScenarioError).diagnostics.map((d) => `${d.pos.line}: ${d.message}`);
      }
      throw new Error('not refused');
    };
    const at = fenced('').split('\n').length - 3; // the line of the closing fence, where the key goes
    expect(refused(fenced('outcomes:\n  # as of v6.12\n  - stale\n'))).toEqual([`${at}: outcomes: a comment among the recorded lines ("# as of v6.12") would be lost`]);
    expect(refused(fenced('outcomes:\n  - stale  # why\n'))).toEqual([`${at}: outcomes: a comment among the recorded lines ("# why") would be lost`]);
    // Used elsewhere through an alias, or a line deeper than the key after it: the rest of the scenario would read otherwise.
    expect(refused(fenced('outcomes: &o stale\ndescription: *o\n'))).toEqual([`${at}: outcomes: --update cannot rewrite this recording so that the rest of the scenario reads the same`]);
    expect(refused(fenced('outcomes: ~\n    # deeper\n'))).toEqual([`${at}: outcomes: --update cannot rewrite this recording so that the rest of the scenario reads the same`]);
  });

  it('leave a file alone when they match', () => {
    const text = notebook('outcomes: |\n  complete; cpu1: new_target\n  complete; cpu1: old_target\n');
    expect(updateRecords('nb.md', text, judge(text).records)).toBe(text);
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
