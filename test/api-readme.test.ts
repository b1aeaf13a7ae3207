// The README's library section says what a consumer can use: every example in it
// type-checks against the library's entries as a consumer imports them ('patchlit',
// 'patchlit/vitest'), every type it lists is exported, and every function it names is;
// and `require('patchlit')` works, as it says: no module of the library's awaits at its
// top level, which Node's require(esm) cannot load (tsx's require, which compiles the
// sources for CommonJS, refuses the same).

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as library from '../src/index.ts';
import * as vitestHelper from '../src/vitest.ts';

const REPO = resolve(import.meta.dirname, '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const section = README.slice(README.indexOf('\n## The library\n'), README.indexOf('\n## ', README.indexOf('\n## The library\n') + 1));
const examples = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The names the types paragraph lists: those it says `patchlit` exports, then those of `patchlit/vitest`. */
function listedTypes(): { library: string[]; vitest: string[] } {
  const paragraph = section.slice(section.indexOf('The types a consumer uses'), section.indexOf('\n\n', section.indexOf('The types a consumer uses')));
  const [main, rest] = paragraph.split('from `patchlit/vitest`');
  const names = (text: string) => [...text.matchAll(/`([A-Z]\w*)`/g)].map((m) => m[1]);
  return { library: names(main), vitest: names(rest) };
}

describe("the README's library section", () => {
  it('has examples and a list of types', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(listedTypes().library).toContain('RunResult');
    expect(listedTypes().vitest).toEqual(['NotebookTestOptions']);
  });

  it('names only functions and classes the entries export', () => {
    const called = new Set([...section.matchAll(/`([A-Za-z]\w*)\(/g)].map((m) => m[1]));
    const exported = new Set([...Object.keys(library), ...Object.keys(vitestHelper)]);
    // JavaScript's own.
    for (const global of ['require']) called.delete(global);
    expect([...called].filter((name) => !exported.has(name))).toEqual([]);
    expect(called).toContain('run');
    expect(called).toContain('describeNotebook');
    for (const name of ['ScenarioError', 'FileError', 'NoScenarioError', 'REPORT_SCHEMA', 'FETCH_CONFIG_NAMES', 'JudgePool']) expect(exported).toContain(name);
  });

  it('type-checks: every example, and the types it lists, as a project importing patchlit would', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlit-readme-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    examples.forEach((code, i) => writeFileSync(join(dir, `example-${i}.ts`), code));
    const { library: types, vitest } = listedTypes();
    writeFileSync(join(dir, 'types.ts'), `export type { ${types.join(', ')} } from 'patchlit';\nexport type { ${vitest.join(', ')} } from 'patchlit/vitest';\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          // The sources import each other by their .ts names; a consumer's tsc reads the built .d.ts instead.
          allowImportingTsExtensions: true,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules/@types')],
          paths: { patchlit: [join(REPO, 'src/index.ts')], 'patchlit/vitest': [join(REPO, 'src/vitest.ts')] },
        },
        include: ['*.ts'],
      }),
    );
    const tsc = await promisify(execFile)(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir]).catch((e: { stdout: string }) => e);
    expect(tsc.stdout).toBe('');
  });

  it('holds of require: the library loads from CommonJS', { timeout: 60_000 }, async () => {
    const script = "const p = require('./src/index.ts'); console.log(typeof p.run, typeof p.ScenarioError, Object.keys(p).length)";
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO });
    expect(stdout).toBe(`function function ${Object.keys(library).length}\n`);
  });
});
