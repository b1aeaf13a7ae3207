// What `patchlit run` writes, as a user meets it: --update through a symlink, keeping the
// mode, refusing a read-only notebook and a recording it cannot rewrite; reports that
// never replace a file patchlit did not write, nor each other; --out that cannot take
// them, said in one line before anything is judged (issue 14).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { BIN, patchlit, userEnv, workspace } from './command.ts';

const scenario = `${PATCH_ONE_WORD.trim()}\nmodel: { fetch: ziccif-only }\nclaims:\n  - never: crash\n`;
const windows = process.platform === 'win32';

/** A notebook whose block stands in a blockquote, its recording stale. */
const quoted = (recorded: string) => `# q\n\n${('```patchlit\n' + scenario + recorded + '```').replace(/^/gm, '> ')}\n\nAfter.\n`;
const STALE = 'outcomes: |\n  complete; cpu1: stale\n';
const SEEN = 'outcomes: |\n  complete; cpu1: new_target\n  complete; cpu1: old_target\n';

/** Every file under `dir`, hidden ones included (a temporary file left behind would be). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !statSync(join(dir, f)).isDirectory())
    .sort();
}

describe('patchlit run --update', () => {
  it.skipIf(windows)('writes a notebook through its symlink, keeps its mode, and its blockquote; refuses a read-only one, writing nothing', () => {
    const dir = workspace({ 'real/nb.md': quoted(STALE) });
    chmodSync(join(dir, 'real/nb.md'), 0o640);
    symlinkSync('../real/nb.md', join(dir, 'scenarios/nb.md'));
    const formats = ['--format', 'md,text,json,junit'];
    const u = patchlit(['run', '--update', ...formats, 'scenarios/nb.md'], dir);
    expect(u.stderr).toBe('');
    expect(u.code).toBe(0);
    expect(lstatSync(join(dir, 'scenarios/nb.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real/nb.md'), 'utf8')).toBe(quoted(SEEN));
    expect(statSync(join(dir, 'real/nb.md')).mode & 0o777).toBe(0o640);
    const files = ['real/nb.md', 'reports/junit.xml', 'reports/nb.json', 'reports/nb.md', 'reports/nb.txt', 'scenarios/nb.md'];
    expect(filesUnder(dir)).toEqual(files);
    // It reads back as recorded, and the reports patchlit wrote are its own to replace.
    expect(patchlit(['run', ...formats, 'scenarios/nb.md'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(filesUnder(dir)).toEqual(files);

    writeFileSync(join(dir, 'real/nb.md'), quoted(STALE));
    chmodSync(join(dir, 'real/nb.md'), 0o444);
    const ro = patchlit(['run', '--update', '--out', 'elsewhere', 'scenarios/nb.md'], dir);
    expect(ro.code).toBe(2);
    expect(ro.stderr).toBe('patchlit: scenarios/nb.md is read-only: --update does not rewrite it\npatchlit: nothing was written\n');
    expect(readFileSync(join(dir, 'real/nb.md'), 'utf8')).toBe(quoted(STALE));
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
  });

  it('refuses a recording it cannot rewrite faithfully, with a diagnostic at its key, and writes nothing', () => {
    const text = `# c\n\n\`\`\`patchlit\n${scenario}outcomes:\n  # as of v6.12\n  - stale\n\`\`\`\n`;
    const dir = workspace({ 'scenarios/c.md': text });
    const r = patchlit(['run', '--update', 'scenarios/c.md'], dir);
    expect(r.code).toBe(2);
    const line = text.split('\n').indexOf('outcomes:') + 1;
    expect(r.stderr).toBe(
      `scenarios/c.md:${line}:1: error: outcomes: a comment among the recorded lines ("# as of v6.12") would be lost\n  outcomes:\n  ^\n` +
        '  hint: move it above the key, or delete it, and run --update again\npatchlit: --update refused: no notebook or report was written\n',
    );
    expect(readFileSync(join(dir, 'scenarios/c.md'), 'utf8')).toBe(text);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('writes the reports of the notebook as it rewrote it: the same bytes as the next run without --update', () => {
    // Two scenarios, the first's recording growing by a line, so that every position after it moves.
    const two = (a: string, b: string) => `# two\n\n\`\`\`patchlit\n${scenario}${a}\`\`\`\n\nBetween.\n\n\`\`\`patchlit\n${scenario.replace('one-word', 'second')}${b}\`\`\`\n`;
    const dir = workspace({ 'scenarios/nb.md': two(STALE, STALE) });
    const formats = ['--format', 'md,text,json'];
    expect(patchlit(['run', '--update', ...formats, 'scenarios/nb.md'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'scenarios/nb.md'), 'utf8')).toBe(two(SEEN, SEEN));
    const written = ['nb.md', 'nb.txt', 'nb.json'].map((f) => readFileSync(join(dir, 'reports', f), 'utf8'));
    expect(written[0]).not.toContain('cpu1: stale');
    expect(written[0]).not.toMatch(/changed/);
    const stdout = patchlit(['run', '--update', '--out', '-', 'scenarios/nb.md'], dir);
    expect(patchlit(['run', ...formats, 'scenarios/nb.md'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(['nb.md', 'nb.txt', 'nb.json'].map((f) => readFileSync(join(dir, 'reports', f), 'utf8'))).toEqual(written);
    expect(stdout.stdout).toBe(written[0]);
    // --out - prints the rewritten notebook's report too.
    writeFileSync(join(dir, 'scenarios/nb.md'), two(STALE, STALE));
    expect(patchlit(['run', '--update', '--out', '-', 'scenarios/nb.md'], dir).stdout).toBe(written[0]);
  });
});

describe('patchlit run: reports', () => {
  it("never replace a file patchlit did not write: a user's notebook beside a YAML scenario, in CI too", () => {
    const dir = workspace({ 'dir/a.yaml': scenario, 'dir/a.md': '# My own notes on a.yaml\n' });
    const ci = spawnSync(process.execPath, [BIN, 'run', 'dir/a.yaml', '--out', 'dir'], { cwd: dir, encoding: 'utf8', env: { ...userEnv(), CI: 'true' } });
    expect(ci.status).toBe(2);
    expect(ci.stderr).toBe('patchlit: dir/a.md is not a report patchlit wrote: it is left alone (choose another --out, or remove it)\npatchlit: nothing was written\n');
    expect(readFileSync(join(dir, 'dir/a.md'), 'utf8')).toBe('# My own notes on a.yaml\n');
  });

  it('of t.md and t.yaml side by side would be one file: refused, naming both, nothing written', () => {
    const dir = workspace({ 'scenarios/t.yaml': scenario, 'scenarios/t.md': '# t\n\n```patchlit\n' + scenario.replace('one-word', 't') + '```\n' });
    const r = patchlit(['run', 'scenarios'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('patchlit: reports/t.md would be the report of both scenarios/t.md and scenarios/t.yaml: rename one of them, or run them with different --out\npatchlit: nothing was written\n');
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('--out naming a file, or nothing: one line, exit 2, before anything is judged', () => {
    const dir = workspace({ 'scenarios/ok.yaml': scenario, afile: '' });
    expect(patchlit(['run', '--out', 'afile', 'scenarios/ok.yaml'], dir)).toEqual({ code: 2, stdout: '', stderr: 'patchlit: --out afile is not a directory\n' });
    const empty = patchlit(['run', '--out', '', 'scenarios/ok.yaml'], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^patchlit: --out needs a directory \(or - for stdout\), not an empty name\n/);
    expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('');
    expect(filesUnder(dir)).toEqual(['afile', 'scenarios/ok.yaml']);
  });

  it.skipIf(windows)('--out an unwritable directory: one line, exit 2', () => {
    const dir = workspace({ 'scenarios/ok.yaml': scenario });
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o555);
    // Root may write anywhere: run as nobody then.
    const root = process.getuid?.() === 0;
    if (root) chmodSync(dir, 0o755);
    const r = spawnSync(process.execPath, [BIN, 'run', '--out', 'ro/sub', 'scenarios/ok.yaml'], { cwd: dir, encoding: 'utf8', env: userEnv(), ...(root ? { uid: 65534, gid: 65534 } : {}) });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: 'patchlit: --out ro/sub: ro is not writable (permission denied)\n' });
  });
});
