// `import:` through the command, as a user runs it: a library in a directory is checked
// and judged as nothing, an error inside an imported file is printed with that file's
// line and a note at the import, and --watch judges a notebook again when a file it
// imports changes, wherever that file is.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { patchlit, running, workspace } from './command.ts';

/** PATCH_ONE_WORD's definitions (symbols, stubs, code, insns: lines 1 to 13) as a library. */
const LIB = PATCH_ONE_WORD.trim().split('\n').slice(1, 14).join('\n') + '\n';

/** A notebook whose scenario imports `path`, and does the rest itself. */
const notebook = (path: string) => `# x

\`\`\`patchlit
name: x
import: ${path}
patch:
  - store: { at: func, insn: NEW }
harts:
  - calls: func
claims:
  - never: crash
  - sometimes: { calls: new_target }
\`\`\`
`;

describe('patchlit run and check with imports', () => {
  it('judges the notebook, and the library in the same directory as nothing: no line, no report', () => {
    const dir = workspace({ 'scenarios/lib/one-word.yaml': LIB, 'scenarios/model/x.md': notebook('../lib/one-word.yaml') });
    const r = patchlit(['run', 'scenarios'], dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^PASS\s+x  scenarios\/model\/x\.md:4  pass under all 5/);
    expect(r.stdout).toMatch(/ Notebooks {2}1 \(1 scenario\)\n/);
    expect(existsSync(join(dir, 'reports/lib'))).toBe(false);
    // The report repeats the notebook as written (the import, not the library) and lists the imported code as assembled.
    const report = readFileSync(join(dir, 'reports/model/x.md'), 'utf8');
    expect(report).toContain('import: ../lib/one-word.yaml\n');
    expect(report).not.toContain('old_target: 0x80000800');
    expect(report).toMatch(/\| 80000000 &lt;func> \| [0-9a-f]{8} \| `j 80000800 <old_target>` \| `j old_target` \|/);
    expect(patchlit(['check', 'scenarios'], dir)).toMatchObject({ code: 0, stdout: '1 scenario in 2 files (1 library): valid\n' });
  });

  it('an error inside the imported file: its line and caret, the hint, then the import as a note; exit 2', () => {
    const dir = workspace({ 'lib/one-word.yaml': LIB.replace('NEW: j new_target', 'NEW: jalr t0, 4096(t0)'), 'scenarios/x.md': notebook('../lib/one-word.yaml') });
    for (const command of ['run', 'check']) {
      const r = patchlit([command, 'scenarios/x.md'], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        [
          'lib/one-word.yaml:13:17: error: jalr: offset 4096 out of range -2048..2047: a JALR alone reaches ±2 KiB of its base register',
          '    NEW: jalr t0, 4096(t0)',
          '  ' + ' '.repeat(16) + '^',
          '  hint: the target is 0x1000 away from the base: use an AUIPC+JALR pair',
          'scenarios/x.md:5:9: note: imported here, by scenario "x"',
          '  import: ../lib/one-word.yaml',
          '  ' + ' '.repeat(8) + '^',
          '',
        ].join('\n'),
      );
    }
  });

  it('a library met again through each notebook that imports it is printed once', () => {
    const dir = workspace({ 'scenarios/lib/l.yaml': LIB.replace('j old_target', 'j old_targte'), 'scenarios/a.md': notebook('lib/l.yaml'), 'scenarios/b.md': notebook('lib/l.yaml') });
    const r = patchlit(['check', 'scenarios'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^scenarios\/lib\/l\.yaml:11:9: error: undefined symbol "old_targte"/);
  });
});

describe('patchlit run --watch with imports', () => {
  it('judges a notebook again when a file it imports changes, though that file is outside the paths watched', async () => {
    const dir = workspace({ 'lib/one-word.yaml': LIB, 'scenarios/x.md': notebook('../lib/one-word.yaml'), 'scenarios/y.md': notebook('../lib/other.yaml').replace('name: x', 'name: y') });
    writeFileSync(join(dir, 'lib/other.yaml'), LIB);
    const { child, output, until } = running(['run', '--watch', 'scenarios/x.md', 'scenarios/y.md'], dir);
    try {
      await until(/watching for changes/);
      expect(output().match(/^PASS/gm)).toHaveLength(2);
      await new Promise((r) => setTimeout(r, 300)); // the imports' watches in place
      writeFileSync(join(dir, 'lib/one-word.yaml'), LIB.replace('NEW: j new_target', 'NEW: j old_target'));
      await until(/changed: lib\/one-word\.yaml\n[^]*0 passed, 1 failed\n/);
      const after = output().split('changed:')[1];
      expect(after).toMatch(/^FAIL\s+x  scenarios\/x\.md:4/m);
      expect(after).not.toMatch(/ y  scenarios\/y\.md/); // y imports another file
    } finally {
      child.kill('SIGINT');
    }
  });
});
