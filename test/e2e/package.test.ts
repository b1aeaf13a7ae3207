// patchlit as someone else's project gets it (issue 17): `npm pack` of this repository
// (dist/ as the global set-up just built it), installed from the tarball into a fresh
// project with no tsx and no TypeScript loader, then used every way the README promises:
// imported from a plain .mjs file and required from a .cjs one, type-checked by a
// consumer's tsc, run as the `patchlit` command, and as the vitest helper.
//
// The install reads npm's cache first (--prefer-offline; CI's `npm ci` filled it with
// every package needed here), and fetches from the registry only what it lacks.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SEED = 'scenarios/seed/three-step.md';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const VITEST_VERSION = (createRequire(import.meta.url)('vitest/package.json') as { version: string }).version;
/** The seed notebook's scenarios, with how each comes out under every configuration (three are declared to fail). */
const SEED_STATUS = { 'three-step': 'xfail', 'three-step-2': 'pass', 'three-step-no-rewind': 'xfail', 'naive-two-store': 'xfail', 'auipc-nop4-toggle': 'pass' } as const;

interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: ReadonlyArray<{ path: string }>;
}

let packed: Packed;
let tarball: string;
let project: string;
let installLog: string;

/** Runs a command in the consumer's project; its exit status and output. */
function inProject(command: string, args: readonly string[]) {
  const r = spawnSync(command, args, { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-package-'));
  // --ignore-scripts: `prepare` would build again, under the feet of the tests running the built command meanwhile.
  [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as Packed[];
  tarball = join(dir, packed.filename);
  project = join(dir, 'consumer');
  mkdirSync(project);
  // npm (11.16 on) lists a package's `prepare` among the install scripts to review when it
  // comes from a tarball, though it does not run it then: this project says it need not.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, allowScripts: { [`file:${tarball}`]: false } }, null, 2));
  cpSync(join(ROOT, SEED), join(project, 'three-step.md'));
  const install = spawnSync('npm', ['install', tarball, `vitest@${VITEST_VERSION}`, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8' });
  installLog = install.stdout + install.stderr;
  expect(install.status, installLog).toBe(0);
});

describe('the tarball', () => {
  it('holds the build, the schemas, README and LICENSE: no sources, tests, reports or CI scripts', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of paths) expect(p, p).toMatch(/^(dist\/|schema\/[a-z]+\.schema\.json$|README\.md$|LICENSE$|package\.json$)/);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'dist/index.cjs', 'dist/vitest.js', 'dist/verdict/worker-main.js', 'dist/report/assets/mermaid.min.js', 'dist/report/assets/mermaid.LICENSE.txt', 'dist/scenario/validators.js']));
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the patchlit authors\n/);
  });

  it('installs with its three small dependencies: no tsx, esbuild or mermaid, and no warning', () => {
    const modules = join(project, 'node_modules');
    expect(existsSync(join(modules, 'patchlit', 'dist', 'cli', 'bin.js'))).toBe(true);
    for (const gone of ['tsx', 'esbuild', 'mermaid', 'typescript']) expect(existsSync(join(modules, gone)), gone).toBe(false);
    expect(installLog).not.toMatch(/\bwarn\b/i);
  });
});

describe('imported from a plain .mjs file', () => {
  let out: { passed: number; failed: number; xfail: number; xpass: number; incomplete: number; statuses: Record<string, string>; missing: unknown; bad: unknown };

  beforeAll(() => {
    writeFileSync(join(project, 'bad.md'), '# Bad\n\n```patchlit\nname: bad\nclaims:\n  - never: crashes\n```\n');
    writeFileSync(
      join(project, 'judge.mjs'),
      `import { FileError, run, ScenarioError } from 'patchlit';
const r = await run('three-step.md');
const statuses = Object.fromEntries(r.files[0].results.map((x) => [x.scenario.name, x.status]));
const caught = (p) => run(p).then(() => 'resolved', (e) => ({ name: e.name, file: e instanceof FileError, scenario: e instanceof ScenarioError, code: e.code, at: e.diagnostics?.map((d) => [d.pos.file, d.pos.line]) }));
console.log(JSON.stringify({ passed: r.passed, failed: r.failed, xfail: r.xfail, xpass: r.xpass, incomplete: r.incomplete, statuses, missing: await caught('no-such.md'), bad: await caught('bad.md') }));
`,
    );
    const r = inProject(process.execPath, ['judge.mjs']);
    expect(r.code, r.stderr).toBe(0);
    out = JSON.parse(r.stdout);
  });

  it('runs the seed notebook through run(), its worker threads on the compiled code', () => {
    expect(out.statuses).toEqual(SEED_STATUS);
    expect(out).toMatchObject({ passed: 2, failed: 0, xfail: 3, xpass: 0, incomplete: 0 });
  });

  it('rejects with the error classes it exports: FileError, ScenarioError with its diagnostics', () => {
    expect(out.missing).toEqual({ name: 'FileError', file: true, scenario: false, code: 'ENOENT' });
    expect(out.bad).toEqual({ name: 'ScenarioError', file: false, scenario: true, at: [['bad.md', 6]] });
  });

  it("serialises run()'s result with JSON.stringify", () => {
    writeFileSync(join(project, 'serialise.mjs'), `import { run } from 'patchlit';\nconst r = await run('three-step.md', { configs: ['ziccif-only'] });\nconsole.log(JSON.stringify(r).length > 0);\n`);
    const r = inProject(process.execPath, ['serialise.mjs']);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, stdout: 'true\n' });
  });
});

describe('required from a .cjs file', () => {
  it('gets the same module import gives (Node 20.19 and later load it for require)', () => {
    writeFileSync(
      join(project, 'judge.cjs'),
      `const patchlit = require('patchlit');
const { readFileSync } = require('node:fs');
const notebook = patchlit.readNotebook('three-step.md', readFileSync('three-step.md', 'utf8'));
const { scenario } = notebook.entries.find((e) => e.scenario.name === 'naive-two-store');
const status = patchlit.judgeScenario(scenario).status;
import('patchlit').then((esm) => console.log(JSON.stringify({ status, same: esm.run === patchlit.run && esm.ScenarioError === patchlit.ScenarioError })));
`,
    );
    const r = inProject(process.execPath, ['judge.cjs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'xfail', same: true });
  });
});

describe("type-checked by the consumer's tsc (nodenext, no allowImportingTsExtensions)", () => {
  it('finds the declarations of both entries, from ES modules and CommonJS', () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: ['typed.mts', 'typed.cts'] }));
    writeFileSync(join(project, 'typed.mts'), `import { run, ScenarioError, type RunResult } from 'patchlit';\nimport { describeNotebook } from 'patchlit/vitest';\nconst r: RunResult = await run('three-step.md');\nconst n: number = r.passed;\nconsole.log(n, ScenarioError.name, typeof describeNotebook);\n`);
    writeFileSync(join(project, 'typed.cts'), `import patchlit = require('patchlit');\nconst pending: Promise<patchlit.RunResult> = patchlit.run('three-step.md');\nvoid pending;\n`);
    const r = inProject(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the patchlit command', () => {
  it('prints its version and judges the notebook into Markdown and HTML reports, Mermaid from the package', () => {
    expect(inProject('npx', ['--no-install', 'patchlit', '--version'])).toMatchObject({ code: 0, stdout: `patchlit ${VERSION}\n` });
    const r = inProject('npx', ['--no-install', 'patchlit', 'run', '--format', 'md,html', 'three-step.md']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\n5 passed, 0 failed\n$/);
    expect(readFileSync(join(project, 'reports', 'three-step.md'), 'utf8')).toMatch(/^<!-- Generated by patchlit from three-step\.md/);
    expect(readFileSync(join(project, 'reports', 'three-step.html'), 'utf8')).toContain('<script src="assets/mermaid.min.js"></script>');
    expect(readFileSync(join(project, 'reports', 'assets', 'mermaid.min.js')).equals(readFileSync(join(ROOT, 'src', 'report', 'assets', 'mermaid.min.js')))).toBe(true);
  });
});

describe('the vitest helper', () => {
  it('gives every scenario its tests, judges those -t selects, and shows an expected failure as one, never as a pass', () => {
    writeFileSync(join(project, 'notebook.test.mjs'), `import { describeNotebook } from 'patchlit/vitest';\ndescribeNotebook('three-step.md');\n`);
    const selected = ['naive-two-store', 'auipc-nop4-toggle'];
    const r = inProject('npx', ['--no-install', 'vitest', 'run', '-t', selected.join('|'), '--reporter=json', '--outputFile.json=vitest.json', '--reporter=verbose']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(project, 'vitest.json'), 'utf8')) as { testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }> };
    const tests = report.testResults.flatMap((f) => f.assertionResults);
    for (const [name, status] of Object.entries(SEED_STATUS)) {
      // The name as a whole word: three-step is not three-step-2's test, nor the notebook three-step.md.
      const mine = tests.filter((t) => new RegExp(`(^|[^\\w.-])${name}([^\\w.-]|$)`).test(t.fullName));
      expect(mine.length, name).toBeGreaterThan(0);
      // Skipped: those -t leaves out, and the checks that fail as declared, each with its note.
      const want = selected.includes(name) && status === 'pass' ? 'passed' : 'skipped';
      for (const t of mine) expect(t.status, t.fullName).toBe(want);
      if (selected.includes(name) && status === 'xfail') {
        const noted = r.stdout.split('\n').filter((l) => l.includes(`> ${name} > `) && /\[expected failure under [a-z0-9-]+: /.test(l));
        expect(noted, r.stdout).toHaveLength(mine.length);
      }
    }
  });
});
