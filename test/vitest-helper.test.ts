// The vitest helper used the way a project would: describeNotebook on a notebook (one
// passing scenario) registers a describe block whose test runs in this very file. A
// failing scenario's message is checked by calling scenarioFailure directly, and a bad
// notebook must fail at collection, before any test runs.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook, ScenarioError } from '../src/scenario/index.ts';
import { judgeScenario } from '../src/verdict/index.ts';
import { describeNotebook, scenarioFailure } from '../src/vitest.ts';
import { PATCH_ONE_WORD } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'patchlit-vitest-'));
const notebook = (claims: string) => `# One word\n\n\`\`\`patchlit\n${PATCH_ONE_WORD.trim()}\nclaims:\n${claims}\`\`\`\n`;

const GOOD = join(dir, 'good.md');
writeFileSync(GOOD, notebook('  - never: crash\n  - sometimes: { calls: new_target }\n'));
describeNotebook(GOOD, { name: 'a notebook that holds', configs: ['ziccif-only', 'ziccid'] });

const FAILING = notebook('  - never: crash\n  - never: { calls: new_target }\n    because: the patch never takes effect\n');

describe('describeNotebook', () => {
  it('registered one describe block, named as asked, with a test per scenario', ({ task }) => {
    const suite = task.file.tasks.find((t) => t.name === 'a notebook that holds');
    expect(suite?.type).toBe('suite');
    expect(suite?.type === 'suite' && suite.tasks.map((t) => `${t.type}: ${t.name}`)).toEqual(['test: one-word']);
  });

  it('fails at collection on a bad notebook, with its file:line:col', () => {
    const bad = join(dir, 'bad.md');
    writeFileSync(bad, notebook('  - never: crashes\n'));
    expect(() => describeNotebook(bad)).toThrow(ScenarioError);
    expect(() => describeNotebook(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:23:12: claims\\[0\\]\\.never: "crashes" is not one of`));
  });
});

describe('scenarioFailure', () => {
  it('is undefined for a scenario that passes', () => {
    const nb = readNotebook(GOOD, notebook('  - never: crash\n'));
    expect(scenarioFailure(judgeScenario(nb.entries[0].scenario, { configs: ['ziccid'] }))).toBeUndefined();
  });

  it('names the scenario and each failing check with its line, configurations and shortest counterexample', () => {
    const nb = readNotebook('notes/one-word.md', FAILING);
    const message = scenarioFailure(judgeScenario(nb.entries[0].scenario, { configs: ['ziccif-only', 'ziccid'] }))!;
    const lines = message.split('\n');
    expect(lines[0]).toBe('notes/one-word.md:4: scenario "one-word" fails');
    expect(lines[1]).toBe('  notes/one-word.md:24: never: { calls: new_target } fails under ziccif-only, ziccid');
    expect(lines[2]).toMatch(/^ {4}shortest counterexample: 3 steps, ending: complete \(under ziccif-only\)$/);
    expect(lines.slice(3)).toEqual([
      '      1. cpu1: cpu1.main: jal 80000000 <func>',
      '      2. cpu0: store NEW at func; func := j 80000900 <new_target>',
      '      3. cpu1: func: j 80000900 <new_target>; calls new_target, which returns to cpu1.idle',
      '      ending: complete',
    ]);
    // The claim that holds is not mentioned.
    expect(message).not.toContain('never: crash');
  });

  it('passes a scenario whose only failures are declared, and fails one whose declared failure holds', () => {
    const declare = (claim: string) => FAILING.replace(claim, `${claim}\n    xfail: a known race`);
    const expected = readNotebook('notes/one-word.md', declare('  - never: { calls: new_target }'));
    const r = judgeScenario(expected.entries[0].scenario, { configs: ['ziccid'] });
    expect(r.status).toBe('xfail');
    expect(scenarioFailure(r)).toBeUndefined();
    const held = readNotebook('notes/one-word.md', declare('  - never: crash'));
    expect(scenarioFailure(judgeScenario(held.entries[0].scenario, { configs: ['ziccid'] }))).toBe(
      [
        'notes/one-word.md:4: scenario "one-word" fails',
        '  notes/one-word.md:23: never: crash holds though declared to fail under ziccid',
        '    no run breaks it (xfail: a known race)',
        '  notes/one-word.md:25: never: { calls: new_target } fails under ziccid',
        '    shortest counterexample: 3 steps, ending: complete',
        '      1. cpu1: cpu1.main: jal 80000000 <func>',
        '      2. cpu0: store NEW at func; func := j 80000900 <new_target>',
        '      3. cpu1: func: j 80000900 <new_target>; calls new_target, which returns to cpu1.idle',
        '      ending: complete',
      ].join('\n'),
    );
  });
});
