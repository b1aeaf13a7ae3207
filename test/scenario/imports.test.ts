// `import:`: definitions shared between files. A scenario imports a library (a YAML file
// of definitions without name:), a YAML scenario, or another notebook's scenario
// (FILE#NAME), by a path relative to its own file; what it imports merges as what it
// extends does, and every error is reported in the file where it is, with a note at each
// import that led there.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook, ScenarioError, type Notebook, type SourcePos } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';

/** A fresh directory holding `files` (paths relative to it); returns its path. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-imports-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Reads a file of the workspace as the command does. */
function read(dir: string, file: string, options: Parameters<typeof readNotebook>[2] = {}): Notebook {
  const path = join(dir, file);
  return readNotebook(path, readFileSync(path, 'utf8'), options);
}

/** Positions relative to the workspace, as "file:line:col". */
function at(dir: string, p: SourcePos): string {
  return `${p.file.slice(dir.length + 1)}:${p.line}:${p.col}`;
}

/** The diagnostics of reading `file`: "file:line:col: message (hint)", each note on its own "  note file:line:col" line. */
function problems(dir: string, file: string): string[] {
  try {
    read(dir, file);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.diagnostics.map((d) => [`${at(dir, d.pos)}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`, ...(d.notes ?? []).map((n) => `  note ${at(dir, n.pos)}: ${n.message}`)].join('\n'));
  }
  throw new Error(`${file} was read without errors`);
}

// The tests name lines of this library: func's code is on lines 11 to 13.
const LIB = `symbols:
  ftrace_caller: 0xffffffff80011a40
  new_tramp: 0xffffffff0a3d6000
stubs:
  ftrace_caller: { return: t0 }
  new_tramp: { return: t0 }
code:
  func:
    at: 0xffffffff8001f840
    asm: |
      auipc t0, %hi(ftrace_caller - func)
      jalr  t0, %lo(ftrace_caller - func)(t0)
      ret
insns:
  AUIPC': auipc t0, %hi(new_tramp - func)
  JALR': jalr t0, %lo(new_tramp - func)(t0)
`;

/** A notebook whose one scenario (line 4 on) imports `imports` and stores the new JALR. */
function notebook(name: string, imports: string, claims = '  - sometimes: wild-jump\n'): string {
  return `# ${name}

\`\`\`patchlit
name: ${name}
import: ${imports}
model: { fetch: ziccif-only }
patch:
  - store: { at: func+4, insn: "JALR'" }
harts:
  - calls: func
claims:
${claims}\`\`\`
`;
}

describe('import: a library', () => {
  it('brings its symbols, stubs, code and instructions; the code keeps the library file and lines', () => {
    const dir = workspace({ 'scenarios/lib/ftrace.yaml': LIB, 'scenarios/model/site.md': notebook('site', '../lib/ftrace.yaml', '  - sometimes: wild-jump\n  - sometimes: { calls: ftrace_caller }\n') });
    const nb = read(dir, 'scenarios/model/site.md');
    const s = nb.entries[0].scenario;
    expect(s.symbols.get('new_tramp')).toBe(0xffffffff0a3d6000n);
    expect(s.system.stubs.map((x) => x.name)).toEqual(['ftrace_caller', 'new_tramp']);
    // The imported region's lines are cited in the library, the patch step in the notebook.
    expect(s.listing.filter((l) => l.region === 'func').map((l) => `${at(dir, l.pos)} ${l.source}`)).toEqual([
      'scenarios/lib/ftrace.yaml:11:7 auipc t0, %hi(ftrace_caller - func)',
      'scenarios/lib/ftrace.yaml:12:7 jalr  t0, %lo(ftrace_caller - func)(t0)',
      'scenarios/lib/ftrace.yaml:13:7 ret',
    ]);
    expect(at(dir, s.system.patchers[0].positions[0])).toBe('scenarios/model/site.md:8:5');
    // The named instruction from the library is what the step stores: jalr t0, 1984(t0).
    expect(s.system.patchers[0].steps[0]).toMatchObject({ kind: 'store', value: 0x7c0282e7n });
    const r = judgeScenario(s);
    expect(r.configs[0].claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
  });

  it('a library read on its own has no scenarios, and is checked as its importers would use it', () => {
    const dir = workspace({ 'lib.yaml': LIB, 'bad.yaml': 'symbols:\n  a: 0x1000\ncode:\n  f:\n    at: a\n    asm: j nowhere\n' });
    expect(read(dir, 'lib.yaml')).toMatchObject({ kind: 'library', entries: [] });
    expect(problems(dir, 'bad.yaml')).toEqual(['bad.yaml:6:12: undefined symbol "nowhere"']);
  });

  it('a YAML file without name: but with scenario keys is a scenario that lacks its name', () => {
    const dir = workspace({ 'x.yaml': 'symbols:\n  a: 0x1000\nharts:\n  - calls: a\n' });
    expect(problems(dir, 'x.yaml')).toEqual([
      'x.yaml:1:1: the scenario: "name" is missing (give the scenario a name; a YAML file without one is a library, which holds only definitions (import, symbols, stubs, code, data, insns, trap-return, traps))',
    ]);
  });

  it('a library holds definitions only: a key of its own it does not know is named at its place', () => {
    const dir = workspace({ 'lib.yaml': 'symbols:\n  a: 1\ninsn:\n  X: nop\n' });
    expect(problems(dir, 'lib.yaml')).toEqual(['lib.yaml:3:1: the library: unknown key "insn" (did you mean "insns"?)']);
  });
});

describe('import: another notebook\'s scenario', () => {
  const OTHER = `---
patchlit:
  model: { fetch: [ziccid] }
---

# Base

\`\`\`patchlit
name: base
import: ../lib/ftrace.yaml
patch:
  - store: { at: func, insn: "AUIPC'" }
  - store: { at: func+4, insn: "JALR'" }
harts:
  - calls: func
claims:
  - never: crash
\`\`\`
`;

  it('FILE#NAME brings that scenario as it stands, its own imports resolved from its own file', () => {
    const dir = workspace({
      'scenarios/lib/ftrace.yaml': LIB,
      'scenarios/model/other.md': OTHER,
      'scenarios/review/x.md': '# x\n\n```patchlit\nname: x\nimport: ../model/other.md#base\nclaims:\n  - sometimes: wild-jump\n```\n',
    });
    const s = read(dir, 'scenarios/review/x.md').entries[0].scenario;
    // Its patch steps and hart come along, cited where they are written.
    expect(s.system.patchers[0].positions.map((p) => at(dir, p))).toEqual(['scenarios/model/other.md:12:5', 'scenarios/model/other.md:13:5']);
    expect(s.system.harts.map((h) => h.name)).toEqual(['cpu1']);
    expect(at(dir, s.listing[0].pos)).toBe('scenarios/lib/ftrace.yaml:11:7');
    // Its claims are replaced by the importer's, as with extends.
    expect(s.claims.map((c) => `${c.text} ${at(dir, c.pos)}`)).toEqual(['sometimes: wild-jump scenarios/review/x.md:7:5']);
    // The other notebook's front matter belongs to that notebook: the importer has none, so all five configurations.
    expect(s.system.model.fetch).toHaveLength(5);
    expect(s.name).toBe('x');
  });

  it('a YAML scenario file is imported whole, by FILE', () => {
    const dir = workspace({
      'base.yaml': 'name: base\nsymbols:\n  f: 0x80000000\nharts:\n  - calls: f\n',
      'x.md': '```patchlit\nname: x\nimport: base.yaml\ncode:\n  g: { at: f, asm: ret }\n```\n',
    });
    const s = read(dir, 'x.md').entries[0].scenario;
    expect(s.system.harts).toHaveLength(1);
    expect(s.symbols.get('f')).toBe(0x80000000n);
  });
});

describe('merge rules: as extends has them', () => {
  it('symbols, stubs, insns, code and data merge key by key, the importer winning; other keys are replaced', () => {
    const dir = workspace({
      'lib.yaml': 'symbols:\n  a: 0x80001000\n  b: 0x80002000\ninsns:\n  X: nop\n  Y: ret\ncode:\n  f: { at: a, asm: nop }\n',
      'x.md': [
        '```patchlit',
        'name: x',
        'import: lib.yaml',
        'symbols:',
        '  b: 0x80003000',
        '  c: a + 4',
        'insns:',
        '  Y: ebreak',
        'code:',
        '  g: { at: b, asm: ret }',
        'patch:',
        '  - store: { at: f, insn: X }',
        '  - store: { at: g, insn: Y }',
        '```',
        '',
      ].join('\n'),
    });
    const s = read(dir, 'x.md').entries[0].scenario;
    expect([...['a', 'b', 'c', 'f', 'g']].map((n) => s.symbols.get(n)!.toString(16))).toEqual(['80001000', '80003000', '80001004', '80001000', '80003000']);
    expect(s.system.regions.map((r) => r.name)).toEqual(['f', 'g']);
    // X from the library, Y the importer's own.
    expect(s.system.patchers[0].steps.map((x) => (x.kind === 'store' ? x.value : 0n))).toEqual([0x00000013n, 0x00100073n]);
  });

  it('layers: the front matter, what the block extends, what it imports, its own keys, later winning', () => {
    const dir = workspace({
      'lib.yaml': 'code:\n  f: { at: 0x80000000, asm: "ret" }\n',
      'x.md': [
        '---',
        'patchlit:',
        '  model: { fetch: coherent }',
        '---',
        '```patchlit',
        'name: a',
        'code:',
        '  f: { at: 0x80000000, asm: "nop" }',
        '```',
        '```patchlit',
        'name: b',
        'extends: a',
        'import: lib.yaml',
        '```',
        '```patchlit',
        'name: c',
        'extends: b',
        'code:',
        '  f: { at: 0x80000000, asm: "ebreak" }',
        '```',
        '',
      ].join('\n'),
    });
    const nb = read(dir, 'x.md');
    expect(nb.entries.map((e) => e.scenario.listing[0].source)).toEqual(['nop', 'ret', 'ebreak']);
    expect(nb.entries.map((e) => e.scenario.system.model.fetch)).toEqual([['coherent'], ['coherent'], ['coherent']]);
  });

  it('a list imports several, later ones winning', () => {
    const dir = workspace({ 'one.yaml': 'symbols:\n  a: 1\n  b: 1\n', 'two.yaml': 'symbols:\n  b: 2\n', 'x.yaml': 'name: x\nimport: [one.yaml, two.yaml]\n' });
    const s = read(dir, 'x.yaml').entries[0].scenario;
    expect([s.symbols.get('a'), s.symbols.get('b')]).toEqual([1n, 2n]);
  });

  it('paths are relative to the file that names them: a notebook in a subdirectory, a library importing a library beside it', () => {
    const dir = workspace({
      'scenarios/lib/base.yaml': 'symbols:\n  a: 0x80001000\n',
      'scenarios/lib/site.yaml': 'import: base.yaml\ncode:\n  f: { at: a, asm: ret }\n',
      'scenarios/deep/er/x.yaml': 'name: x\nimport: ../../lib/site.yaml\n',
    });
    const s = read(dir, 'scenarios/deep/er/x.yaml').entries[0].scenario;
    expect(s.symbols.get('f')).toBe(0x80001000n);
    expect(at(dir, s.listing[0].pos)).toBe('scenarios/lib/site.yaml:3:20');
  });
});

describe('import errors point at the place to fix', () => {
  it('a path that leads to no file: at the path, with the nearest name there', () => {
    const dir = workspace({ 'scenarios/lib/ftrace.yaml': LIB, 'scenarios/model/x.md': notebook('x', '../lib/ftrace.yml') });
    expect(problems(dir, 'scenarios/model/x.md')).toEqual(['scenarios/model/x.md:5:9: cannot import "../lib/ftrace.yml": no such file or directory (did you mean "../lib/ftrace.yaml"?)']);
  });

  it('a path into no directory: the file it resolved to', () => {
    const dir = workspace({ 'x.md': notebook('x', '[lib.yaml, nowhere/lib.yaml]') });
    expect(problems(dir, 'x.md')).toEqual([
      `x.md:5:10: cannot import "lib.yaml": no such file or directory (paths are relative to the importing file, ${join(dir, 'x.md')}: this one names ${join(dir, 'lib.yaml')})`,
      `x.md:5:20: cannot import "nowhere/lib.yaml": no such file or directory (paths are relative to the importing file, ${join(dir, 'x.md')}: this one names ${join(dir, 'nowhere/lib.yaml')})`,
    ]);
  });

  it('a scenario name that is not in the notebook: at the name, with the nearest one', () => {
    const dir = workspace({ 'lib.yaml': LIB, 'other.md': notebook('base', 'lib.yaml'), 'x.md': notebook('x', '"other.md#bsae"') });
    expect(problems(dir, 'x.md')).toEqual([`x.md:5:19: no scenario named "bsae" in ${join(dir, 'other.md')} (did you mean "base"?)`]);
  });

  it('a notebook without a scenario name, a library with one, an empty name, a litmus test', () => {
    const dir = workspace({ 'lib.yaml': LIB, 'other.md': notebook('base', 'lib.yaml'), 't.litmus': 'RISCV t\n', 'x.md': notebook('x', '[other.md, lib.yaml#base, other.md#, t.litmus]') });
    expect(problems(dir, 'x.md')).toEqual([
      'x.md:5:10: "other.md" is a notebook: name the scenario to import, as other.md#NAME (its scenarios: base)',
      `x.md:5:29: ${join(dir, 'lib.yaml')} is a library, which has no scenarios: import it as "lib.yaml"`,
      'x.md:5:43: import: "other.md#" has no scenario name after "#" (write FILE#SCENARIO, or FILE for a library or a YAML file)',
      'x.md:5:46: cannot import "t.litmus": it is a litmus test; import patchlit scenarios and libraries',
    ]);
  });

  it('a cycle: where it closes, with the import that led there', () => {
    const dir = workspace({ 'a.md': notebook('a', 'b.md#b'), 'b.md': notebook('b', 'a.md#a') });
    expect(problems(dir, 'a.md')).toEqual([
      `b.md:5:9: import cycle: ${join(dir, 'a.md')}#a → ${join(dir, 'b.md')}#b → ${join(dir, 'a.md')}#a (a file cannot import, directly or through others, what imports it: move what both need into a library that each imports)\n` +
        '  note a.md:5:9: imported here, by scenario "a"',
    ]);
  });

  it('a cycle of libraries, and a scenario importing itself', () => {
    const dir = workspace({ 'one.yaml': 'import: two.yaml\n', 'two.yaml': 'symbols: { a: 1 }\nimport: one.yaml\n', 'x.md': '```patchlit\nname: x\nimport: x.md#x\n```\n' });
    expect(problems(dir, 'one.yaml')).toEqual([expect.stringMatching(/^two\.yaml:2:9: import cycle: \S+one\.yaml → \S+two\.yaml → \S+one\.yaml .*\n {2}note one\.yaml:1:9: imported here, by the library$/)]);
    expect(problems(dir, 'x.md')).toEqual([expect.stringMatching(/^x\.md:3:9: import cycle: \S+x\.md#x → \S+x\.md#x /)]);
  });

  it('a library imports only libraries', () => {
    const dir = workspace({ 'lib.yaml': 'import: s.yaml\n', 's.yaml': 'name: s\n' });
    expect(problems(dir, 'lib.yaml')).toEqual([
      'lib.yaml:1:9: a library imports only libraries, and "s.yaml" is a scenario (a library holds definitions; import the scenario from the scenario that needs it)',
    ]);
  });

  it('an error inside the imported file: where it is, in that file, with a note at each import on the way', () => {
    const bad = LIB.replace('      ret\n', '      ret\n      jarl t0, 0(t0)\n'); // line 14
    const dir = workspace({ 'scenarios/lib/ftrace.yaml': bad, 'scenarios/model/other.md': notebook('base', '../lib/ftrace.yaml'), 'scenarios/x.md': notebook('x', 'model/other.md#base') });
    expect(problems(dir, 'scenarios/x.md')).toEqual([
      'scenarios/lib/ftrace.yaml:14:7: unknown instruction "jarl" (did you mean "jalr"?)\n' +
        '  note scenarios/model/other.md:5:9: imported here, by scenario "base"\n' +
        '  note scenarios/x.md:5:9: imported here, by scenario "x"',
    ]);
  });

  it('a schema error and a YAML error inside the imported file, with their notes', () => {
    const dir = workspace({ 'lib.yaml': LIB.replace('insns:', 'insn:'), 'broken.yaml': 'symbols: [a\n', 'x.md': notebook('x', '[lib.yaml, broken.yaml]') });
    expect(problems(dir, 'x.md')).toEqual([
      'lib.yaml:14:1: the library: unknown key "insn" (did you mean "insns"?)\n  note x.md:5:10: imported here, by scenario "x"',
      expect.stringMatching(/^broken\.yaml:2:1: YAML: .*\n {2}note x\.md:5:20: imported here, by scenario "x"$/),
    ]);
  });

  it('an undefined symbol in the importer, used by imported code: in the library, noted at the import', () => {
    const dir = workspace({ 'lib.yaml': 'code:\n  f: { at: base, asm: "j target" }\n', 'x.yaml': 'name: x\nimport: lib.yaml\nsymbols:\n  base: 0x80000000\n' });
    expect(problems(dir, 'x.yaml')).toEqual(['lib.yaml:2:26: undefined symbol "target"\n  note x.yaml:2:9: imported here, by scenario "x"']);
  });

  it('extends with a path says to import it', () => {
    const dir = workspace({ 'x.md': '```patchlit\nname: x\nextends: other.md#base\n```\n' });
    expect(problems(dir, 'x.md')).toEqual(['x.md:3:10: "other.md#base" is not an earlier scenario of this file (a scenario of another file is imported: import: other.md#base)']);
  });
});

describe('what a notebook imports', () => {
  it('is reported through `dependencies`, imports of imports and files that are not there included', () => {
    const dir = workspace({ 'lib/a.yaml': 'import: b.yaml\n', 'lib/b.yaml': 'symbols: { a: 1 }\n', 'x.md': notebook('x', '[lib/a.yaml, lib/gone.yaml]') });
    const dependencies = new Set<string>();
    expect(() => read(dir, 'x.md', { dependencies })).toThrow(ScenarioError);
    expect([...dependencies].sort()).toEqual([join(dir, 'lib/a.yaml'), join(dir, 'lib/b.yaml'), join(dir, 'lib/gone.yaml')]);
  });
});
