// A run that judges nothing is a mistake, never a green run (issue 14): a --filter typo,
// a shard past the last notebook, a directory with no scenario, a scenario that checks
// nothing. Each exits 2 with a message that says which.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { inProcess, patchlit, workspace } from './command.ts';

const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;
const named = (name: string) => passing.replace('name: one-word', `name: ${name}`);
/** A notebook of two blocks, fenced at lines 3 and 24, and 28 and 49. */
const twoBlocks = `# two\n\n\`\`\`patchlit\n${named('first')}\`\`\`\n\nBetween.\n\n\`\`\`patchlit\n${named('second')}\`\`\`\n`;

describe('nothing to judge', () => {
  it('an empty directory: run exits 2, saying where it looked', { timeout: 30_000 }, () => {
    const dir = workspace({});
    mkdirSync(join(dir, 'scenarios', 'empty'));
    const r = patchlit(['run', 'scenarios/empty'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('patchlit: no scenario files in scenarios/empty\n  hint: patchlit reads notebooks (.md), YAML scenarios (.yaml, .yml) and litmus tests (.litmus)\n');
    expect(r.stdout).toBe('');
  });

  it('check and litmus on an empty directory exit 2 too', async () => {
    const dir = workspace({});
    expect(await inProcess(['check', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^patchlit: no scenario files in scenarios\n/) });
    expect(await inProcess(['litmus', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: no litmus tests in scenarios\n' });
  });

  it('a --filter that matches no scenario, with the name it probably meant', async () => {
    const dir = workspace({ 'scenarios/one.yaml': passing });
    expect(await inProcess(['run', 'scenarios', '--filter', 'one-wrod'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: --filter "one-wrod" matches none of the 1 scenario\n  hint: did you mean "one-word"?\n' });
  });

  it('a --filter near no name: the hint lists the scenarios there are', async () => {
    const dir = workspace({ 'scenarios/one.yaml': passing, 'scenarios/two.md': twoBlocks });
    expect(await inProcess(['run', 'scenarios', '--filter', 'nomatch'], dir)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'patchlit: --filter "nomatch" matches none of the 3 scenarios\n  hint: the scenarios are one-word, first, second\n',
    });
  });

  it('a FILE:LINE outside every scenario block: the hint says where the blocks are', async () => {
    const dir = workspace({ 'scenarios/two.md': twoBlocks });
    expect(twoBlocks.split('\n').flatMap((l, i) => (l.startsWith('```') ? [i + 1] : []))).toEqual([3, 24, 28, 49]);
    const hint = '  hint: its scenario blocks are at lines 3-24 (first), 28-49 (second)\n';
    // The line after a closing fence is outside too.
    for (const line of [2, 25]) {
      expect(await inProcess(['run', `scenarios/two.md:${line}`], dir)).toEqual({ code: 2, stdout: '', stderr: `patchlit: scenarios/two.md:${line} is not inside a scenario block\n${hint}` });
    }
  });

  it('--shard K/N past the last notebook', async () => {
    const dir = workspace({ 'scenarios/one.yaml': passing });
    expect(await inProcess(['run', 'scenarios', '--shard', '2/2'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: --shard 2/2 selects no file: there is only 1\n  hint: split them into at most 1 shard (--shard K/1)\n' });
  });

  it('a directory of libraries only', async () => {
    const dir = workspace({ 'scenarios/lib.yaml': 'symbols:\n  x: 0x1000\n' });
    expect(await inProcess(['run', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: no scenario in scenarios/lib.yaml\n' });
  });

  it('a scenario that checks nothing is bad input to check and run alike', async () => {
    const dir = workspace({ 'scenarios/none.yaml': PATCH_ONE_WORD });
    for (const command of ['check', 'run']) {
      const r = await inProcess([command, 'scenarios/none.yaml'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^scenarios\/none\.yaml:2:1: error: scenario "one-word" checks nothing: it has no claims, no table rows and no recorded outcomes\n/);
    }
  });
});
