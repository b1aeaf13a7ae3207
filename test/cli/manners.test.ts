// The command line's manners (issue 16): a version, a short usage for a bare command,
// unknown options and commands answered with the closest known one, one "patchlit:"
// prefix, and places as patchlit prints them (FILE:LINE:COL) taken back as selectors.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitLine } from '../../src/cli/select.ts';
import { parseOptions, UsageError } from '../../src/cli/usage.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { inProcess, workspace } from './command.ts';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const COMMANDS = ['run', 'check', 'litmus', 'asm', 'disasm'];
const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;

describe('patchlit', () => {
  it('--version and -v print the version package.json gives, as node, npm and vitest take them', async () => {
    const dir = workspace({});
    for (const flag of ['--version', '-v']) expect(await inProcess([flag], dir)).toEqual({ code: 0, stdout: `patchlit ${VERSION}\n`, stderr: '' });
  });

  it('bare, prints a short usage: the commands and where the rest is, exit 2', async () => {
    const r = await inProcess([], workspace({}));
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^ {2}${c} `, 'm'));
    expect(r.stdout).toContain('patchlit COMMAND --help');
    expect(r.stdout).not.toContain('--max-states');
  });

  it('help and --help print every command\'s options; help COMMAND that one\'s', async () => {
    const dir = workspace({});
    const all = await inProcess(['help'], dir);
    expect(all.code).toBe(0);
    expect(await inProcess(['--help'], dir)).toEqual(all);
    for (const c of COMMANDS) expect(all.stdout).toContain(`usage: patchlit ${c} [options]`);
    expect(all.stdout).toContain('--max-states N');
    const run = await inProcess(['help', 'run'], dir);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: patchlit run \[options\]/);
    expect(run.stdout).not.toContain('usage: patchlit check');
  });

  it('answers an unknown option with the closest known one, in one line with one prefix, exit 2', async () => {
    const dir = workspace({ 'scenarios/one.yaml': passing });
    expect(await inProcess(['run', '--formt', 'md', 'scenarios'], dir)).toEqual({ code: 2, stdout: '', stderr: 'patchlit: unknown option --formt; did you mean --format?\n(patchlit run --help tells more)\n' });
    expect(await inProcess(['run', '--formt=md', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^patchlit: unknown option --formt; did you mean --format\?\n/) });
    expect(await inProcess(['check', '--quite', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: unknown option --quite; did you mean --quiet?\n(patchlit check --help tells more)\n' });
    expect(await inProcess(['run', '--frobnicate', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: unknown option --frobnicate\n(patchlit run --help tells more)\n' });
    expect(await inProcess(['run', '-x', 'scenarios'], dir)).toMatchObject({ code: 2, stderr: 'patchlit: unknown option -x\n(patchlit run --help tells more)\n' });
  });

  it('and an unknown command with the closest command', async () => {
    expect(await inProcess(['rnu', 'scenarios'], workspace({}))).toEqual({ code: 2, stdout: '', stderr: 'patchlit: unknown command "rnu"; did you mean "run"?\n(patchlit --help tells more)\n' });
  });

  it('prefixes a message with "patchlit:" once', async () => {
    const dir = workspace({});
    for (const c of ['run', 'check', 'litmus']) {
      expect(await inProcess([c], dir)).toEqual({ code: 2, stdout: '', stderr: `patchlit: name at least one ${c === 'litmus' ? 'litmus' : 'scenario'} file or directory\n(patchlit ${c} --help tells more)\n` });
    }
  });

  it('takes FILE:LINE:COL, as diagnostics print a place, for the scenario whose block holds the line', async () => {
    const notebook = `# two\n\n\`\`\`patchlit\n${passing}\`\`\`\n\n\`\`\`patchlit\n${passing.replace('name: one-word', 'name: other')}\`\`\`\n`;
    const dir = workspace({ 'scenarios/two.md': notebook });
    const r = await inProcess(['run', '--jobs', '1', '--out', '-', '--format', 'json', 'scenarios/two.md:30:7'], dir);
    expect(r.stderr).toMatch(/^PASS\s+other\s/m);
    expect(r.stderr).not.toMatch(/^PASS\s+one-word\s/m);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].scenarios.map((s: { name: string }) => s.name)).toEqual(['other']);
  });
});

describe('splitLine', () => {
  it('splits :LINE and :LINE:COL off a path, the column dropped', () => {
    const none = () => false;
    expect(splitLine('a/b.md', none)).toEqual({ path: 'a/b.md' });
    expect(splitLine('a/b.md:12', none)).toEqual({ path: 'a/b.md', line: 12 });
    expect(splitLine('a/b.md:12:5', none)).toEqual({ path: 'a/b.md', line: 12 });
    expect(splitLine('dir:1/b.md:12:5', none)).toEqual({ path: 'dir:1/b.md', line: 12 });
  });

  it('takes a file whose own name ends in :N whole', () => {
    const dir = workspace({});
    writeFileSync(join(dir, 'odd:3'), passing);
    expect(splitLine(join(dir, 'odd:3'))).toEqual({ path: join(dir, 'odd:3') });
    expect(splitLine(join(dir, 'odd:3:4'))).toEqual({ path: join(dir, 'odd'), line: 3 });
  });
});

describe('parseOptions', () => {
  const options = { format: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } as const;
  const problem = (args: string[]) => {
    try {
      parseOptions({ args, options, allowPositionals: true });
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
  };

  it("says what is wrong with a value in a user's words", () => {
    expect(problem(['--format'])).toBe('option --format needs a value');
    expect(problem(['--quiet=yes'])).toBe('option --quiet takes no value, not "yes"');
    expect(problem(['--format', '--quiet'])).toBe('option --format needs a value, not the option --quiet (--format=--quiet if that is the value)');
    expect(problem(['--format', '-', '-q', 'x'])).toBeUndefined();
    expect(problem(['--format=--odd'])).toBeUndefined();
  });
});
