// run(): the typed library entry. Directories are searched as the command searches them,
// every scenario is judged, statuses are counted, and bad input anywhere is one
// ScenarioError before any search; a path it cannot read is a FileError, and nothing to
// judge a NoScenarioError, with the message and hint the command prints.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runFile } from '../src/api.ts';
import { FileError, NoScenarioError } from '../src/errors.ts';
import { scenarioFiles } from '../src/files.ts';
import { ScenarioError } from '../src/scenario/index.ts';
import { inProcess, workspace } from './cli/command.ts';
import { PATCH_ONE_WORD } from './helpers.ts';

const scenarioWith = (claims: string) => `${PATCH_ONE_WORD.trim()}\nclaims:\n${claims}`;
const HOLDS = scenarioWith('  - never: crash\n');
const FAILS = scenarioWith('  - always: { calls: old_target }\n');

/** A tree: a notebook with a passing and a failing scenario, a YAML scenario in a subdirectory, and files the search must skip. */
function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'patchlit-run-'));
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, '.hidden'));
  mkdirSync(join(root, 'node_modules'));
  writeFileSync(join(root, 'b.md'), `# Two\n\n\`\`\`patchlit\n${HOLDS}\`\`\`\n\n\`\`\`patchlit\n${FAILS.replace('name: one-word', 'name: two-word')}\`\`\`\n`);
  writeFileSync(join(root, 'sub', 'a.yaml'), HOLDS);
  writeFileSync(join(root, 'notes.txt'), 'not a scenario');
  writeFileSync(join(root, 'sub', 'README.md'), '# An index of the notebooks here, with no scenario\n');
  writeFileSync(join(root, '.hidden', 'c.yaml'), 'name: [');
  writeFileSync(join(root, 'node_modules', 'd.yaml'), 'name: [');
  return root;
}

describe('scenarioFiles', () => {
  it('searches directories in sorted order, skipping hidden entries, node_modules, READMEs and other files; a named file is kept', () => {
    const root = tree();
    expect(scenarioFiles([root])).toEqual([join(root, 'b.md'), join(root, 'sub', 'a.yaml')]);
    expect(scenarioFiles([join(root, 'notes.txt'), join(root, 'sub')])).toEqual([join(root, 'notes.txt'), join(root, 'sub', 'a.yaml')]);
  });
});

describe('run', () => {
  it('judges every scenario of every file found and counts them by status', async () => {
    const root = tree();
    const r = await run(root, { configs: ['ziccif-only', 'ziccid'] });
    expect(r.files.map((f) => [f.path, f.notebook.kind, f.results.map((x) => `${x.scenario.name}: ${x.status}`)])).toEqual([
      [join(root, 'b.md'), 'markdown', ['one-word: pass', 'two-word: fail']],
      [join(root, 'sub', 'a.yaml'), 'yaml', ['one-word: pass']],
    ]);
    expect(r.files[0].results[1].configs.map((c) => c.model.fetch)).toEqual(['ziccif-only', 'ziccid']);
    expect(r).toMatchObject({ passed: 2, failed: 1, xfail: 0, xpass: 0, incomplete: 0 });
  });

  it('takes a list of paths and passes the budget on: a search cut short is incomplete', async () => {
    const root = tree();
    const r = await run([join(root, 'sub', 'a.yaml')], { configs: ['ziccid'], budget: { maxStates: 3 }, symmetry: false });
    expect(r.files[0].results[0].configs[0].stopped).toBe('states');
    expect(r).toMatchObject({ passed: 0, failed: 0, incomplete: 1 });
  });

  it('rejects with one ScenarioError with the problems of every bad file, before judging anything', async () => {
    const root = tree();
    writeFileSync(join(root, 'sub', 'bad.yaml'), HOLDS.replace('never: crash', 'never: crashes'));
    writeFileSync(join(root, 'worse.yaml'), 'name: worse\nharts: 3\n');
    let error: unknown;
    try {
      await run(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).diagnostics.map((d) => `${d.pos.file.slice(root.length + 1)}:${d.pos.line}`)).toEqual(['sub/bad.yaml:20', 'worse.yaml:2']);
  });

  it('rejects with a FileError for a path that does not exist, with its path and code, and a RangeError for an unknown configuration or a bad jobs', async () => {
    const error = await run(['no/such/dir']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ name: 'FileError', path: 'no/such/dir', code: 'ENOENT', reason: 'no such file or directory', message: 'no/such/dir: no such file or directory' });
    // @ts-expect-error: not a configuration's name
    await expect(run(tree(), { configs: ['ziccif'] })).rejects.toThrow(/unknown fetch configuration "ziccif": the configurations are ziccif-only, ziccid/);
    await expect(run(tree(), { jobs: 0 })).rejects.toThrow(RangeError);
  });

  it('rejects with a FileError for a file it will not read: a FIFO is not a regular file', async () => {
    const root = tree();
    const fifo = join(root, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    await expect(run(fifo)).rejects.toMatchObject({ name: 'FileError', path: fifo, code: 'ENOTREG', message: `${fifo}: not a regular file` });
  });

  it("holds a scenario's hardware: histograms against the model, as the command does, in run() and runFile()", async () => {
    const r = await run('scenarios/hw/qemu.md', { jobs: 1 });
    const checks = r.files[0].results.map((x) => x.hardware?.map((h) => [h.run.machine, h.comparison.forbidden.length, h.status]));
    const opensbi = 'QEMU 7.2 virt, TCG, 2 harts, S-mode under OpenSBI 1.1';
    expect(checks).toEqual([
      [['QEMU 7.2 virt, TCG, 2 harts', 0, 'pass'], [opensbi, 0, 'pass']],
      [['QEMU 7.2 virt, TCG, 2 harts', 0, 'pass']],
      // QEMU's stale translations, declared (xfail:) in the notebook.
      [[opensbi, 1, 'xfail']],
      [['QEMU 7.2 virt, multi-threaded TCG, 2 harts', 1, 'xfail']],
      [['QEMU 7.2 virt, multi-threaded TCG, 3 harts', 1, 'xfail']],
      // What QEMU showed that the model first lacked (sfence.vma), held since.
      [['QEMU 7.2 virt, TCG, 2 harts', 0, 'pass']],
    ]);
    expect(runFile('scenarios/hw/qemu.md').results.map((x) => x.hardware?.length)).toEqual([2, 1, 1, 1, 1, 1]);
  });

  it('names its errors, as Node names its own', async () => {
    const root = tree();
    writeFileSync(join(root, 'worse.yaml'), 'name: worse\nharts: 3\n');
    const error = await run(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect(String(error)).toMatch(/^ScenarioError: .*worse\.yaml:2:/);
  });

  describe('selecting nothing is an error, worded as the command words it', () => {
    it('a directory with no scenario file: NoScenarioError with the hint the command prints', async () => {
      const dir = workspace({});
      mkdirSync(join(dir, 'scenarios', 'empty'));
      const error = (await run(join(dir, 'scenarios/empty')).catch((e: unknown) => e)) as NoScenarioError;
      expect(error).toBeInstanceOf(NoScenarioError);
      expect(error).toMatchObject({ name: 'NoScenarioError', paths: [join(dir, 'scenarios/empty')], filesFound: false });
      const cli = await inProcess(['run', join(dir, 'scenarios/empty')], dir);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toBe(`patchlit: ${error.message}\n  hint: ${error.hint}\n`);
    });

    it('files that hold no scenario (libraries): NoScenarioError naming them', async () => {
      const dir = workspace({ 'scenarios/lib.yaml': 'symbols:\n  x: 0x1000\n' });
      const error = (await run(join(dir, 'scenarios')).catch((e: unknown) => e)) as NoScenarioError;
      expect(error).toMatchObject({ name: 'NoScenarioError', paths: [join(dir, 'scenarios/lib.yaml')], filesFound: true, hint: undefined });
      expect((await inProcess(['run', join(dir, 'scenarios')], dir)).stderr).toBe(`patchlit: ${error.message}\n`);
    });

    it('runFile on a library alike', () => {
      const dir = workspace({ 'scenarios/lib.yaml': 'symbols:\n  x: 0x1000\n' });
      expect(() => runFile(join(dir, 'scenarios/lib.yaml'))).toThrow(NoScenarioError);
    });
  });

  it('judges alike in this thread and in worker threads', async () => {
    const root = tree();
    const [here, threads] = [await run(root, { jobs: 1 }), await run(root, { jobs: 2 })];
    // Everything but the searches' own timings.
    const timeless = (r: typeof here) => r.files.map((f) => f.results.map((x) => ({ ...x, configs: x.configs.map((c) => ({ ...c, stats: { ...c.stats, seconds: 0 } })) })));
    expect(timeless(threads)).toStrictEqual(timeless(here));
    // The scenario is the caller's own object; what came back from a thread is a copy.
    expect(threads.files[0].results[0].scenario).toBe(threads.files[0].notebook.entries[0].scenario);
  });
});
