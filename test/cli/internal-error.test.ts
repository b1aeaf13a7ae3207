// An internal error is neither a verdict nor bad input (issue 14): it exits 3 with one
// line that asks for a report, the stack only with --debug, whether the bug struck in
// the command's own thread or in a judging worker. In process: a real bug is needed, and
// a judgement under a fetch configuration that does not exist is one (the machine cannot
// be built), which only the pool, not the command line, lets through.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { FetchConfigName } from '../../src/scenario/types.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { BIN, userEnv } from './command.ts';

const bug = vi.hoisted(() => ({ on: false, workers: false }));
vi.mock('../../src/verdict/pool.ts', async (importOriginal) => {
  const pool = await importOriginal<typeof import('../../src/verdict/pool.ts')>();
  class BuggyPool extends pool.JudgePool {
    constructor(options: ConstructorParameters<typeof pool.JudgePool>[0] = {}) {
      super(bug.workers ? { ...options, jobs: 2, here: false } : options);
    }
    override judge(...[s, options]: Parameters<InstanceType<typeof pool.JudgePool>['judge']>) {
      return super.judge(s, bug.on ? { ...options, configs: ['no-such' as FetchConfigName] } : options);
    }
  }
  return { ...pool, JudgePool: BuggyPool };
});

/** `patchlit ARGS` in this process: its exit status and what it wrote to stderr. */
async function patchlit(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

function notebook(): { file: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-bug-'));
  const file = join(dir, 'one.yaml');
  writeFileSync(file, `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`);
  return { file, out: join(dir, 'reports') };
}

afterEach(() => {
  bug.on = false;
  bug.workers = false;
});

const LINE = /^patchlit: internal error: TypeError: [^\n]+\. This is a bug in patchlit, not in your input: please report it with the files and the command that caused it/;

describe('an internal error', () => {
  it('in this thread: exit status 3, one line asking for a report; no stack without --debug', async () => {
    const { file, out } = notebook();
    expect((await patchlit(['run', file, '--out', out, '-j', '1'])).code).toBe(0);
    bug.on = true;
    const r = await patchlit(['run', file, '--out', out, '-j', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`${LINE.source} \\(--debug prints the stack\\)\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('--debug, anywhere on the line, adds the stack', async () => {
    const { file, out } = notebook();
    bug.on = true;
    const r = await patchlit(['run', '--debug', file, '--out', out, '-j', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(LINE);
    expect(r.stderr).toMatch(/\n {4}at .*judge\.ts/);
  });

  it('in a judging worker thread: the same line and status, the stack the worker\'s', { timeout: 60_000 }, async () => {
    const { file, out } = notebook();
    bug.on = true;
    bug.workers = true;
    const r = await patchlit(['run', file, '--out', out, '--debug']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(LINE);
    expect(r.stderr).toContain('(in a judging worker thread)');
  });

  it('--debug, in the compiled command, gives the stack in the TypeScript sources\' lines (source maps)', () => {
    // A bug planted before the command starts: its first line of output throws.
    const dir = mkdtempSync(join(tmpdir(), 'patchlit-bug-'));
    const plant = join(dir, 'plant.mjs');
    writeFileSync(plant, `const write = process.stdout.write.bind(process.stdout);\nprocess.stdout.write = (chunk, ...rest) => { if (String(chunk) === '00000013\\n') throw new TypeError('planted'); return write(chunk, ...rest); };\n`);
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', plant, BIN, 'asm', 'nop', ...args], { encoding: 'utf8', env: userEnv() });
    const debug = run('--debug');
    expect(debug.status).toBe(3);
    expect(debug.stderr).toMatch(/\n {4}at .*asmCommand \(.*[/\\]src[/\\]cli[/\\]asm\.ts:\d+:\d+\)\n/);
    const plain = run();
    expect(plain.status).toBe(3);
    expect(plain.stderr).not.toMatch(/\n {4}at /);
  });
});
