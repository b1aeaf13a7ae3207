// Only regular files are read, and none over the size limit (issue 14): a FIFO or a link
// to /dev/zero named *.md blocked `check` forever; now each is an error that names it, and
// the command exits 2. In process: the command's own function, its output captured.

import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.ts';
import { LIMITS } from '../../src/scenario/limits.ts';
import { PATCH_ONE_WORD as ONE_WORD } from '../helpers.ts';

/** A scenario `check` accepts: it has a claim. */
const PATCH_ONE_WORD = `${ONE_WORD.trimEnd()}\nclaims:\n  - never: crash\n`;
import { workspace } from './command.ts';

/** `patchlit check ARGS`: its exit status and what it wrote. */
function check(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const sink = (write: (s: string) => void) => ({ write: (s: string) => (write(s), true) }) as never;
  const code = checkCommand(args, sink((s) => (out += s)), sink((s) => (err += s)));
  return { code, out, err };
}

const fifoSupported = process.platform !== 'win32';

describe('input files', () => {
  it.runIf(fifoSupported)('a FIFO named *.md, named or met in a directory: not a regular file, exit 2', () => {
    const dir = workspace({ 'ok.yaml': PATCH_ONE_WORD });
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    expect(check([join(dir, 'pipe.md')])).toEqual({ code: 2, out: '', err: `patchlit: ${join(dir, 'pipe.md')}: not a regular file\n` });
    expect(check([dir]).err).toBe(`patchlit: ${join(dir, 'pipe.md')}: not a regular file\n`);
  });

  it.runIf(fifoSupported)('a link to /dev/zero named *.md: not a regular file', () => {
    const dir = workspace({});
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    expect(check([join(dir, 'zero.md')])).toEqual({ code: 2, out: '', err: `patchlit: ${join(dir, 'zero.md')}: not a regular file\n` });
  });

  it('a file over the size limit, named in the error', () => {
    const dir = workspace({});
    writeFileSync(join(dir, 'big.yaml'), PATCH_ONE_WORD + `description: "${'x'.repeat(LIMITS.fileBytes)}"\n`);
    expect(check([join(dir, 'big.yaml')])).toEqual({ code: 2, out: '', err: `patchlit: ${join(dir, 'big.yaml')}: larger than 1 MiB, the limit on an input file\n` });
  });

  it('a link to a regular file is read', () => {
    const dir = workspace({ 'a.yaml': PATCH_ONE_WORD });
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
    expect(check([join(dir, 'b.yaml')])).toEqual({ code: 0, out: '1 scenario in 1 file: valid\n', err: '' });
  });

  it.runIf(fifoSupported)('an import of a FIFO: cannot import it, at the import', () => {
    const dir = workspace({ 'a.yaml': PATCH_ONE_WORD.replace('name: one-word', 'name: one-word\nimport: lib.yaml') });
    execFileSync('mkfifo', [join(dir, 'lib.yaml')]);
    const r = check([join(dir, 'a.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`a.yaml:3:9: error: cannot import "lib.yaml": not a regular file`);
  });
});

describe('the library API', () => {
  it.runIf(fifoSupported)('run() rejects a FIFO with a FileError, in the words the command prints', async () => {
    const { run } = await import('../../src/api.ts');
    const { FileError } = await import('../../src/errors.ts');
    const dir = workspace({});
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    const rejected = run(join(dir, 'pipe.md'));
    await expect(rejected).rejects.toBeInstanceOf(FileError);
    await expect(rejected).rejects.toMatchObject({ path: join(dir, 'pipe.md'), code: 'ENOTREG', message: `${join(dir, 'pipe.md')}: not a regular file` });
  });
});
