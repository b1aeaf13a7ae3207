// A notebook's `hardware:` histograms: read with the scenario (errors at their place),
// held against the model after judging, shown beside the outcomes; an outcome the model
// forbids fails the scenario.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withHardware } from '../../src/hw/index.ts';
import { checksOf, jsonReport, renderText, scenarioSection, toJsonText } from '../../src/report/index.ts';
import { plannedChecks } from '../../src/report/checks.ts';
import { readNotebook, ScenarioError } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { validateReport as validate } from '../report-schema.ts';

const SEED = resolve('scenarios/seed/three-step.md');

function notebook(histogram: string | undefined, entry = '{ machine: QEMU 7.2 virt, results: hw/run.txt, model: ziccid, atomicity: parcel }', extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-hw-'));
  if (histogram) {
    mkdirSync(join(dir, 'hw'));
    copyFileSync(histogram, join(dir, 'hw/run.txt'));
  }
  const file = join(dir, 'n.md');
  const text = ['# n', '', '```patchlit', 'name: on-qemu', `import: ${SEED}#three-step-no-rewind`, ...extra, 'hardware:', `  - ${entry}`, '```', ''].join('\n');
  writeFileSync(file, text);
  return { file, text };
}

const errors = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.diagnostics.map((d) => `${d.pos.file.replace(/.*\//, '')}:${d.pos.line}:${d.pos.col}: ${d.message}${(d.notes ?? []).map((n) => ` [${n.pos.file.replace(/.*\//, '')}:${n.pos.line}:${n.pos.col}: ${n.message}]`).join('')}`);
    throw e;
  }
  return [];
};

describe('hardware: in a notebook', () => {
  it('reports a missing file at its results: value', () => {
    const { file, text } = notebook(undefined);
    expect(errors(() => readNotebook(file, text))).toEqual([expect.stringMatching(/^n\.md:7:40: cannot read "hw\/run\.txt"/)]);
  });

  it('reports a histogram that does not parse at its line, with a note at the notebook', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlit-hw-bad-'));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'boot\npatchlit hw: x: 3 iterations on 2 harts\n3 complete\nthree complete\npatchlit hw: end\n');
    const { file, text } = notebook(bad);
    expect(errors(() => readNotebook(file, text))).toEqual(['run.txt:4:1: not a histogram line: "three complete" [n.md:7:40: the histogram of QEMU 7.2 virt, named here]']);
  });

  it('rejects a configuration that is none', () => {
    const { file, text } = notebook('test/fixtures/hw/three-step-no-rewind.qemu.txt', '{ machine: Q, results: hw/run.txt, model: tso }');
    expect(errors(() => readNotebook(file, text))).toEqual([expect.stringMatching(/^n\.md:7:47: hardware\[0\]\.model: "tso" is not one of/)]);
  });

  const judged = (histogram: string, entry?: string, extra?: string[]) => {
    const { file, text } = notebook(histogram, entry, extra);
    const s = readNotebook(file, text).entries[0].scenario;
    return withHardware(judgeScenario(s));
  };

  it('shows the machine beside the outcomes, and passes what the model allows', () => {
    const r = judged('test/fixtures/hw/three-step-no-rewind.qemu.txt');
    const h = r.hardware![0];
    expect(h.comparison.forbidden).toEqual([]);
    expect(h.comparison.config).toBe('ziccid, fetch atomicity parcel');
    const md = scenarioSection(r).join('\n');
    expect(md).toContain('Seen on QEMU 7.2 virt (`hw/run.txt`: 300 iterations, held against the model under ziccid, fetch atomicity parcel): every outcome seen is allowed;');
    expect(md).toContain('| `complete; cpu1: new_tramp` | allowed | 26 | 1 |');
    expect(md.indexOf('Seen on QEMU')).toBeGreaterThan(md.indexOf('Outcomes'));
    // Deterministic: the same input, the same lines.
    expect(scenarioSection(judged('test/fixtures/hw/three-step-no-rewind.qemu.txt')).join('\n')).toBe(md);
  });

  it('fails the scenario on an outcome the model forbids', () => {
    const r = judged('test/fixtures/hw/three-step-no-rewind.forbidden.txt');
    expect(r.status).toBe('fail');
    const md = scenarioSection(r).join('\n');
    expect(md).toContain('**FAIL: 1 outcome the model forbids**');
    expect(md).toContain('| `complete; cpu1: ftrace_caller, ftrace_caller` | **FORBIDDEN** | 3 | 7 |');
  });

  it('takes a forbidden outcome for an expected failure where the entry declares the machine shows one, and its absence for an unexpected pass', () => {
    const entry = '{ machine: QEMU 7.2 virt, results: hw/run.txt, model: ziccid, atomicity: parcel, xfail: "a known tear" }';
    // The scenario fails as declared under the model; the machine's check decides the rest.
    const declared = ['xfail: without the rewind a hart resumes at the new JALR'];
    const r = judged('test/fixtures/hw/three-step-no-rewind.forbidden.txt', entry, declared);
    expect([r.status, r.hardware![0].status]).toEqual(['xfail', 'xfail']);
    expect(scenarioSection(r).join('\n')).toContain('XFAIL (expected): 1 outcome the model forbids, as declared (xfail: a known tear).');
    expect(checksOf(r).find((c) => c.kind === 'hardware')).toMatchObject({ status: 'xfail', declared: 'a known tear' });
    const [h] = JSON.parse(toJsonText(jsonReport([{ path: 'n.md', results: [r] }]))).files[0].scenarios[0].hardware;
    expect([h.status, h.xfail]).toEqual(['xfail', 'a known tear']);
    const clean = judged('test/fixtures/hw/three-step-no-rewind.qemu.txt', entry, declared);
    expect([clean.status, clean.hardware![0].status]).toEqual(['xpass', 'xpass']);
    expect(scenarioSection(clean).join('\n')).toContain('**XPASS: no outcome the model forbids, though the entry declares one (xfail: a known tear)**');
    expect(checksOf(clean).find((c) => c.kind === 'hardware')).toMatchObject({ status: 'xpass' });
  });

  it('is in the mail report too: the machine, whether all it showed is allowed, each forbidden outcome first with its first iteration', () => {
    const r = judged('test/fixtures/hw/three-step-no-rewind.forbidden.txt');
    const lines = renderText(readNotebook(r.scenario.pos.file, readFileSync(r.scenario.pos.file, 'utf8')), [r]).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  Seen on QEMU 7.2 virt (hw/run.txt, '));
    expect(at).toBeGreaterThan(0);
    const section = lines.slice(at, at + 6).join(' ').replace(/\s+/g, ' ');
    expect(section).toMatch(/: FAIL: 1 outcome the model forbids\. FORBIDDEN 3 complete; cpu1: ftrace_caller, ftrace_caller \(first at iteration 7\) 6 complete; cpu1: ftrace_caller/);
    expect(lines.every((l) => l.length <= 72)).toBe(true);
  });

  it('is a check of its own, planned before judging (a JUnit testcase, a vitest test), failing with each forbidden outcome', () => {
    const r = judged('test/fixtures/hw/three-step-no-rewind.forbidden.txt');
    const name = 'hardware: what QEMU 7.2 virt showed (hw/run.txt) is allowed';
    expect(plannedChecks(r.scenario, ['ziccif-only']).filter((c) => c.kind === 'hardware').map((c) => c.text)).toEqual([name]);
    const [check] = checksOf(r).filter((c) => c.kind === 'hardware');
    expect(check).toMatchObject({ text: name, status: 'fail', why: '1 outcome the model forbids under ziccid, fetch atomicity parcel, in 303 iterations' });
    expect(check.lines).toEqual(['3 complete; cpu1: ftrace_caller, ftrace_caller (first at iteration 7)']);
    expect(checksOf(judged('test/fixtures/hw/three-step-no-rewind.qemu.txt')).find((c) => c.kind === 'hardware')).toMatchObject({ status: 'pass' });
  });

  it('is in the JSON report, as the schema describes it: each outcome seen, allowed or forbidden, with its count and first iteration', () => {
    const r = judged('test/fixtures/hw/three-step-no-rewind.forbidden.txt');
    const report = JSON.parse(toJsonText(jsonReport([{ path: 'n.md', results: [r] }])));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const [h] = report.files[0].scenarios[0].hardware;
    expect(h).toMatchObject({ machine: 'QEMU 7.2 virt', results: 'hw/run.txt', status: 'fail', modelIncomplete: false });
    expect(h.xfail).toBeUndefined();
    expect(h.forbidden).toEqual([{ outcome: 'complete; cpu1: ftrace_caller, ftrace_caller', count: 3, first: 7 }]);
    expect(h.allowed).toContainEqual({ outcome: 'complete; cpu1: new_tramp', count: 26, first: 1 });
    // A scenario that names no machine has no hardware field.
    expect(JSON.parse(toJsonText(jsonReport([{ path: 'n.md', results: [judgeScenario(r.scenario)] }]))).files[0].scenarios[0].hardware).toBeUndefined();
  });
});
