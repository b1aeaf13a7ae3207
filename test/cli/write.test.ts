// Writing a notebook or a report: through a temporary file renamed over it, through
// symlinks, keeping the mode, refusing a read-only file, and leaving no temporary file
// behind, whether the write fails, a signal comes meanwhile, or a process was killed
// outright before (issue 14).

import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { directoryProblem, tempPath, writeAtomically, WriteRefused } from '../../src/cli/write.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'patchlit-write-'));
const windows = process.platform === 'win32';

describe('writeAtomically', () => {
  it.skipIf(windows)('writes through a symlink (a chain of them, or one to a file not there yet): the link stays a link', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real/nb.md'), 'old\n');
    symlinkSync('real/nb.md', join(dir, 'one.md'));
    symlinkSync('one.md', join(dir, 'two.md'));
    writeAtomically(join(dir, 'two.md'), 'new\n');
    expect(readFileSync(join(dir, 'real/nb.md'), 'utf8')).toBe('new\n');
    expect(lstatSync(join(dir, 'two.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'two.md'))).toBe('one.md');
    expect(lstatSync(join(dir, 'one.md')).isSymbolicLink()).toBe(true);
    symlinkSync('real/later.md', join(dir, 'dangling.md'));
    writeAtomically(join(dir, 'dangling.md'), 'made\n');
    expect(readFileSync(join(dir, 'real/later.md'), 'utf8')).toBe('made\n');
    expect(lstatSync(join(dir, 'dangling.md')).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(dir, 'real')).sort()).toEqual(['later.md', 'nb.md']);
  });

  it.skipIf(windows)("keeps the file's mode, and refuses a read-only file, leaving it as it was", () => {
    const dir = scratch();
    const file = join(dir, 'nb.md');
    writeFileSync(file, 'old\n');
    for (const mode of [0o640, 0o755, 0o600]) {
      chmodSync(file, mode);
      writeAtomically(file, `mode ${mode}\n`);
      expect(statSync(file).mode & 0o7777).toBe(mode);
      expect(readFileSync(file, 'utf8')).toBe(`mode ${mode}\n`);
    }
    chmodSync(file, 0o444);
    expect(() => writeAtomically(file, 'new\n')).toThrow(WriteRefused);
    expect(() => writeAtomically(file, 'new\n')).toThrow(/nb\.md is read-only: not replaced/);
    expect(readFileSync(file, 'utf8')).toBe(`mode ${0o600}\n`);
    expect(readdirSync(dir)).toEqual(['nb.md']);
  });

  it('removes its temporary file when a write fails, and the file stays as it was', () => {
    const dir = scratch();
    const file = join(dir, 'r.md');
    writeFileSync(file, 'old\n');
    // Data fs cannot write: the temporary file is made, then the write throws.
    expect(() => writeAtomically(file, { not: 'text' } as unknown as string)).toThrow();
    expect(readdirSync(dir)).toEqual(['r.md']);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });

  it('sweeps away the temporary files of processes that are gone (killed outright), never those of one still running', () => {
    const dir = scratch();
    const file = join(dir, 'r.md');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = tempPath(file, gone);
    const live = tempPath(file, process.ppid);
    const other = tempPath(join(dir, 'other.md'), gone);
    for (const f of [stale, live, other]) writeFileSync(f, 'partial');
    expect(stale).toBe(join(dir, `.r.md.patchlit-${gone}.tmp`));
    writeAtomically(file, 'new\n');
    expect(readdirSync(dir).sort()).toEqual([`.other.md.patchlit-${gone}.tmp`, `.r.md.patchlit-${process.ppid}.tmp`, 'r.md']);
  });

  it.skipIf(windows)('holds a termination signal until the file being written is whole, then ends by it: no temporary file left', () => {
    const dir = scratch();
    const script = join(dir, 'child.mts');
    const module = pathToFileURL(join(process.cwd(), 'src/cli/write.ts')).href;
    // The signal comes while the file is being written (sent just before, to this very process): without the hold it ends the process there.
    writeFileSync(
      script,
      `import { writeAtomically, writeHoldingSignals } from ${JSON.stringify(module)};
await writeHoldingSignals([() => { process.kill(process.pid, 'SIGTERM'); writeAtomically(${JSON.stringify(join(dir, 'out/big.md'))}, 'x'.repeat(8_000_000)); }]);
console.log('not ended');
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGTERM');
    expect(r.stdout).toBe('');
    expect(readdirSync(join(dir, 'out'))).toEqual(['big.md']);
    expect(statSync(join(dir, 'out/big.md')).size).toBe(8_000_000);
  });
});

describe('directoryProblem', () => {
  it('names a file where the directory would be, or on the way to it', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'afile'), '');
    expect(directoryProblem(join(dir, 'afile'))).toBe(`${join(dir, 'afile')} is not a directory`);
    expect(directoryProblem(join(dir, 'afile', 'sub'))).toMatch(/afile\/sub: .*afile is not a directory$/);
    expect(directoryProblem(join(dir, 'new', 'sub'))).toBeUndefined();
    expect(directoryProblem(dir)).toBeUndefined();
  });
});
