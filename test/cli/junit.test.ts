// junit.xml as CI reads it (issue 16): a testcase for every check that ran however the run
// selected its scenarios, an incomplete search as an error, and bad input as an error
// testcase at its place, so that a dashboard shows why a run stopped.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCH_ONE_WORD } from '../helpers.ts';
import { patchlit, workspace } from './command.ts';

const passing = `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n`;
const failing = `${PATCH_ONE_WORD.trim().replace('name: one-word', 'name: one-word-fails')}\nclaims:\n  - always: { calls: new_target }\n`;
/** Blocks fenced at lines 3-24 (one-word) and 28-49 (one-word-fails). */
const twoScenarios = '# two\n\n```patchlit\n' + passing + '```\n\nBetween.\n\n```patchlit\n' + failing + '```\n';

const junit = (dir: string) => readFileSync(join(dir, 'reports/junit.xml'), 'utf8');
const attr = (xml: string, element: string, name: string) => new RegExp(`<${element} [^>]*\\b${name}="([^"]*)"`).exec(xml)?.[1];
const names = (xml: string) => [...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]);

describe('patchlit run --format junit', () => {
  it('has a testcase per check of the scenarios a --filter selects, though their notebook gets no other report', () => {
    const dir = workspace({ 'scenarios/two.md': twoScenarios });
    const r = patchlit(['run', '--format', 'md,junit', '--filter', '*-fails', 'scenarios/two.md'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('patchlit: no report written for scenarios/two.md: only 1 of its scenarios ran (--out - prints one)\n');
    expect(existsSync(join(dir, 'reports/two.md'))).toBe(false);
    const xml = junit(dir);
    expect(attr(xml, 'testsuites', 'tests')).toBe('5');
    expect(attr(xml, 'testsuites', 'failures')).toBe('5');
    expect(new Set(names(xml))).toEqual(new Set(['always: { calls: new_target } [ziccif-only]', 'always: { calls: new_target } [ziccid]', 'always: { calls: new_target } [ir-decode-w]', 'always: { calls: new_target } [ir-decode]', 'always: { calls: new_target } [ir3-fetch]']));
    expect(xml).toContain('classname="scenarios/two.md:29 one-word-fails"');
  });

  it('so does FILE:LINE:COL, with no word about a notebook report when junit is the only format', () => {
    const dir = workspace({ 'scenarios/two.md': twoScenarios });
    const r = patchlit(['run', '--format', 'junit', 'scenarios/two.md:5:3'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(attr(junit(dir), 'testsuites', 'tests')).toBe('5');
    expect(names(junit(dir)).every((n) => n.startsWith('never: crash ['))).toBe(true);
  });

  it('makes each undecided check of a filtered run that stopped at its budget an error, exit 2', () => {
    const dir = workspace({ 'scenarios/two.md': twoScenarios });
    const r = patchlit(['run', '--format', 'junit', '--max-states', '3', '--filter', 'one-word-fails', 'scenarios/two.md'], dir);
    expect(r.code).toBe(2);
    const xml = junit(dir);
    expect(attr(xml, 'testsuites', 'tests')).toBe('5');
    expect(attr(xml, 'testsuites', 'errors')).toBe('5');
    expect(xml).toContain('<error message="is undecided under ziccif-only: the search stopped at its state budget" type="incomplete">');
  });

  it('writes bad input as an error testcase at its file and line, with the diagnostic, exit 2; to stdout with --out -', () => {
    const dir = workspace({ 'scenarios/ok.yaml': passing, 'scenarios/typo.yaml': passing.replace('insn: NEW', 'insn: "jalr t0, 4096(t0)"') });
    const r = patchlit(['run', '--format', 'md,junit', 'scenarios'], dir);
    expect(r.code).toBe(2);
    const first = r.stderr.split('\n')[0];
    const [, line, col, message] = /^scenarios\/typo\.yaml:(\d+):(\d+): error: (.*)$/.exec(first)!;
    const xml = junit(dir);
    expect(existsSync(join(dir, 'reports/ok.md'))).toBe(false); // nothing was judged
    expect(attr(xml, 'testsuites', 'errors')).toBe('1');
    expect(attr(xml, 'testsuite', 'name')).toBe('scenarios/typo.yaml');
    expect(xml).toContain(`file="scenarios/typo.yaml" line="${line}"`);
    const at = `scenarios/typo.yaml:${line}:${col}: ${message}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
    expect(xml).toContain(`<error message="${at}" type="bad input">`);
    // The diagnostic as printed, its line and caret too.
    expect(xml).toContain(r.stderr.trimEnd().split('\n').slice(0, 3).join('\n').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    const stdout = patchlit(['run', '--format', 'junit', '--out', '-', 'scenarios'], dir);
    expect(stdout.code).toBe(2);
    expect(stdout.stdout).toBe(xml);
  });

  it('writes none for bad input when junit is not asked for', () => {
    const dir = workspace({ 'scenarios/typo.yaml': passing.replace('insn: NEW', 'insn: "jalr t0, 4096(t0)"') });
    expect(patchlit(['run', 'scenarios'], dir).code).toBe(2);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});
