// The seed notebook through the command, as a subprocess, once in every format: each
// report compared byte for byte with its golden file (UPDATE_GOLDEN=1 rewrites them), and
// each checked for what its readers rely on.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../cli/command.ts';
import { junitWithoutTimes } from '../helpers.ts';

const ROOT = process.cwd();
const GOLDEN = join(ROOT, 'test', 'fixtures', 'golden');
const NOTEBOOK = 'scenarios/seed/three-step.md';

let dir: string;
let run: { status: number | null; stdout: string; stderr: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'patchlit-e2e-'));
  mkdirSync(join(dir, 'scenarios/seed'), { recursive: true });
  cpSync(join(ROOT, NOTEBOOK), join(dir, NOTEBOOK));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI; // a CI run must write the same reports as a local one
  run = spawnSync(process.execPath, [BIN, 'run', '--format', 'md,text,html,json,junit', NOTEBOOK], { cwd: dir, encoding: 'utf8', env });
}, 180_000);

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 npx vitest run test/e2e rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

const report = (ext: string) => readFileSync(join(dir, 'reports/seed', `three-step.${ext}`), 'utf8');

describe('the seed notebook in every format', () => {
  it('passes: its demonstrations of races are declared expected failures', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^XFAIL\s+three-step-no-rewind /m);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('md: matches its golden file and the committed report', () => {
    golden('three-step.md', report('md'));
    expect(report('md')).toBe(readFileSync(join(ROOT, 'reports/seed/three-step.md'), 'utf8'));
  });

  it('text: matches its golden file, ASCII only, no line over 72 columns, under 250 lines for the five scenarios', () => {
    const text = report('txt');
    golden('three-step.txt', text);
    expect(text).toMatch(/^[\x0a\x20-\x7e]*$/);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(72);
    expect(text).toContain('fff04 -- updated seq');
    expect(text.split('\n').length - 1).toBeLessThan(250);
  });

  it('json: matches its golden file and its committed schema', () => {
    const json = report('json');
    golden('three-step.json', json);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/report.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('junit: matches its golden file but for its wall times, one test case per claim and configuration', () => {
    const xml = readFileSync(join(dir, 'reports/junit.xml'), 'utf8');
    // The one report that carries wall times (report/junit.ts): the golden file has them at 0.
    golden('junit.xml', junitWithoutTimes(xml));
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('<testsuite name="scenarios/seed/three-step.md"');
    // Real times: the seed notebook's searches take a measurable while, and its suite says how long.
    const suite = /<testsuite name="scenarios\/seed\/three-step\.md"[^>]* time="(\d+\.\d{3})"/.exec(xml)!;
    expect(Number(suite[1])).toBeGreaterThan(0);
  });

  it('html: matches its golden file; the index counts the notebook; its runs have steppers, their script among the assets', () => {
    const html = report('html');
    golden('three-step.html', html);
    expect(readFileSync(join(dir, 'reports/index.html'), 'utf8')).toContain('seed/three-step.html');
    // One per run's table (`| # | cpu0 |`, a claims table is `| # | Claim |`).
    expect(html.match(/<script type="application\/json" class="patchlit-steps">/g)?.length).toBe(report('md').match(/^\| # \| (?!Claim \|)/gm)!.length);
    expect(html).toContain('<script src="../assets/stepper.js"></script>');
    expect(readFileSync(join(dir, 'reports/assets/stepper.js'), 'utf8')).toContain('patchlit-steps');
  });
});
