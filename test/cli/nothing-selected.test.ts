// A run that judges nothing is a mistake, never a green run (issue 14): a --filter typo,
// a shard past the last notebook, a directory with no scenario, a scenario that checks
// nothing. Each exits 2 with a message that says which.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { patchlit, workspace } from './command.ts';

const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;

/** `patchlit ARGS` in this process, from `cwd`: its exit status and stderr. */
async function inProcess(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const was = process.cwd();
  process.chdir(cwd);
  try {
    return { code: await main(args), stderr };
  } finally {
    process.chdir(was);
    err.mockRestore();
    out.mockRestore();
  }
}

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
    expect(await inProcess(['check', 'scenarios'], dir)).toEqual({ code: 2, stderr: expect.stringMatching(/^patchlit: no scenario files in scenarios\n/) });
    expect(await inProcess(['litmus', 'scenarios'], dir)).toEqual({ code: 2, stderr: 'patchlit: no litmus tests in scenarios\n' });
  });

  it('a --filter that matches no scenario, with the name it probably meant', async () => {
    const dir = workspace({ 'scenarios/one.yaml': passing });
    expect(await inProcess(['run', 'scenarios', '--filter', 'one-wrod'], dir)).toEqual({ code: 2, stderr: 'patchlit: --filter "one-wrod" matches none of the 1 scenario\n  hint: did you mean "one-word"?\n' });
  });

  it('--shard K/N past the last notebook', async () => {
    const dir = workspace({ 'scenarios/one.yaml': passing });
    expect(await inProcess(['run', 'scenarios', '--shard', '2/2'], dir)).toEqual({ code: 2, stderr: 'patchlit: --shard 2/2 selects no file: there is only 1\n  hint: split them into at most 1 shard (--shard K/1)\n' });
  });

  it('a directory of libraries only', async () => {
    const dir = workspace({ 'scenarios/lib.yaml': 'symbols:\n  x: 0x1000\n' });
    expect(await inProcess(['run', 'scenarios'], dir)).toEqual({ code: 2, stderr: 'patchlit: no scenario in scenarios/lib.yaml\n' });
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
