// The command starts without loading what it will not use (issue 17): each command's
// module is imported when it runs, and each report format's renderer when a run writes
// that format. Checked on the compiled command (dist/, as installed) by tracing every
// module it loads: a loader hook, registered before it starts, appends each URL to a file.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { BIN, userEnv, workspace } from './command.ts';

const DIST = join(process.cwd(), 'dist');
const TRACE_DIR = mkdtempSync(join(tmpdir(), 'patchlit-startup-'));
writeFileSync(
  join(TRACE_DIR, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.PATCHLIT_TRACE, url + '\\n');
  return next(url, context);
}
`,
);
writeFileSync(join(TRACE_DIR, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);

/**
 * The modules `patchlit ARGS` loads, run in `cwd`: the compiled ones by their path under
 * dist/, packages by name (markdown-it, yaml, ...). Its exit status must be 0.
 */
function loaded(args: string[], cwd: string = process.cwd()): string[] {
  const trace = join(mkdtempSync(join(TRACE_DIR, 'run-')), 'trace');
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', join(TRACE_DIR, 'register.mjs'), BIN, ...args], { cwd, encoding: 'utf8', env: { ...userEnv(), PATCHLIT_TRACE: trace } });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'))
    .map((u) => {
      const path = fileURLToPath(u);
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      return pkg ? pkg[1] : relative(DIST, path);
    });
}

const SEED = 'scenarios/seed/three-step.md';
const RENDERERS = ['report/markdown.js', 'report/text.js', 'report/json.js', 'report/junit.js', 'report/html.js'];

describe('what a command loads', () => {
  it('--version: the command line only', () => {
    expect(loaded(['--version']).sort()).toEqual(['cli/bin.js', 'cli/main.js', 'cli/usage.js', 'isa/suggest.js']);
  });

  it('asm: the instruction layer, no scenario reader, engine or report', () => {
    const modules = loaded(['asm', 'nop']);
    expect(modules).toContain('cli/asm.js');
    expect(modules.filter((m) => /^(scenario|machine|explore|verdict|report)\//.test(m) || !m.includes('/'))).toEqual([]);
  });

  it('check: the scenario reader, but no search and no report renderer', () => {
    const modules = loaded(['check', SEED]);
    expect(modules).toContain('scenario/validators.js');
    expect(modules.filter((m) => /^(explore\/|verdict\/judge|machine\/machine)/.test(m) || RENDERERS.includes(m))).toEqual([]);
  });

  it('run: the renderers of the formats it writes, and only those', () => {
    const dir = workspace({ 'one.md': `# One\n\n\`\`\`patchlit\n${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n\`\`\`\n` });
    const only = (format: string) => loaded(['run', '--format', format, '--out', 'out', '-j', '1', 'one.md'], dir).filter((m) => RENDERERS.includes(m) || m === 'markdown-it');
    // The Markdown renderer is the terminal's too; markdown-it reads notebooks as well as it writes pages.
    expect(only('json').sort()).toEqual(['markdown-it', 'report/json.js', 'report/markdown.js']);
    expect(only('text').sort()).toEqual(['markdown-it', 'report/markdown.js', 'report/text.js']);
    expect(only('html,junit').sort()).toEqual(['markdown-it', 'report/html.js', 'report/junit.js', 'report/markdown.js']);
  });
});
