// The plain-text report: what a reviewer pastes into a mail. ASCII, no Markdown, no line
// over the width; the author's rows verbatim; herd7-style counts that are the result's
// own; failures drawn as lane diagrams, one column per hart; the same bytes every time.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ascii, laneDiagram, observation, renderText, wrap } from '../../src/report/text.ts';
import { Names } from '../../src/report/describe.ts';
import { count } from '../../src/report/markdown.ts';
import { readNotebook, type Notebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ConfigResult, type ScenarioResult } from '../../src/verdict/index.ts';
import { oneWordTable, PATCH_ONE_WORD } from '../helpers.ts';

const GOLDEN = 'test/fixtures/report/text.golden.txt';
const WIDTHS = [60, 72, 100];

/** One word patched under a remote hart's feet, with a table, a claim that fails, one expected to, and non-ASCII prose. */
const ONE_WORD = `# One word

\`\`\`patchlit
${PATCH_ONE_WORD.trim().replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }')}
claims:
  - never: crash
    because: a jump replaced by a jump — nothing to tear, × nothing, ± nothing, “quoted”
  - always: { calls: old_target }
    because: claimed by someone who forgot the store
  - sometimes: { calls: old_target }
  - never: { calls: new_target }
    xfail: the new target is the point of the patch
${oneWordTable(`    0f -- old seq
    f0 -- new seq
    0 -- impossible, would be 0f (old)
    ff -- impossible
`)}\`\`\`
`;

/** A hart runs code patched in two places; only Ziccid keeps its two fetches in order. Final values observed. */
const FETCH_ORDER = `
name: fetch-order
code:
  first:
    at: 0x80001000
    asm: |
      li a0, 0
      second:
      li a1, 0
patch:
  - store: { at: second, insn: "li a1, 1" }
  - fence w,w
  - store: { at: first, insn: "li a0, 1" }
harts:
  - name: remote
    run: first
claims:
  - never: { final: "remote:a0=1 /\\\\ remote:a1=0" }
  - sometimes: { final: "remote:a0=1 /\\\\ remote:a1=1" }
`;

/** Two identical remote harts and a patching hart: three lanes. */
const TWO_HARTS = `${PATCH_ONE_WORD.trim().replace('  - calls: func', '  - calls: func\n    count: 2')}
claims:
  - always: { calls: old_target }
`;

function judged(nb: Notebook, options: Parameters<typeof judgeScenario>[1] = {}): ScenarioResult[] {
  return nb.entries.map((e) => judgeScenario(e.scenario, options));
}

function oneWord(): { nb: Notebook; results: ScenarioResult[] } {
  const nb = readNotebook('one-word.md', ONE_WORD);
  return { nb, results: judged(nb) };
}

function yaml(file: string, text: string, options: Parameters<typeof judgeScenario>[1] = {}): { nb: Notebook; results: ScenarioResult[] } {
  const nb = readNotebook(file, text);
  return { nb, results: judged(nb, options) };
}

function expectMailSafe(text: string, width: number): void {
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    expect(line.length, line).toBeLessThanOrEqual(width);
    expect(line, 'printable ASCII only').toMatch(/^[\x20-\x7e]*$/);
    expect(line, 'no trailing blanks').not.toMatch(/ $/);
  }
  expect(Buffer.from(text, 'utf8').every((b) => b < 0x80)).toBe(true);
  expect(text).not.toMatch(/[`|*]|<details>|\u00d7/);
}

/** Wrapped lines joined again, to look for a phrase wherever the width broke it. */
const flat = (text: string) => text.replace(/\n +/g, ' ');

/** The lines of the lane diagram under the caption that starts with `caption`. */
function diagramAfter(text: string, caption: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim().startsWith(caption));
  expect(at, `no "${caption}"`).toBeGreaterThan(-1);
  let start = at + 1;
  while (lines[start] !== '') start++; // the caption may wrap
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && lines[i] !== ''; i++) out.push(lines[i]);
  return out;
}

describe('text report, small scenarios', () => {
  let small: { nb: Notebook; results: ScenarioResult[] };
  beforeAll(() => {
    small = oneWord();
  }, 60_000);

  it('keeps every line within the width, in ASCII, at 60, 72 and 100 columns', () => {
    for (const width of WIDTHS) expectMailSafe(renderText(small.nb, small.results, { width }), width);
    expectMailSafe(renderText(small.nb, small.results), 72);
    expect(renderText(small.nb, small.results).split('\n').some((l) => l.length > 60)).toBe(true); // 72 is the default, not 60
  });

  it('transliterates the author\'s non-ASCII prose', () => {
    const text = flat(renderText(small.nb, small.results, { width: 100 }));
    expect(text).toContain('because: a jump replaced by a jump -- nothing to tear, x nothing, +/- nothing, "quoted"');
  });

  it('heads each scenario with its place, status, configurations and model', () => {
    const text = renderText(small.nb, small.results);
    const r = small.results[0];
    expect(r.status).toBe('fail');
    expect(text).toContain(`Scenario one-word at one-word.md:${r.scenario.pos.line}: FAIL\n  FAIL under all 5 configurations\n  Model: stores rvwmo, atomicity ziccif, fence.i transitive; fetch\n    ziccif-only, ziccid,`);
  });

  it('gives each claim its status word, its reason, and its expected failure', () => {
    const text = renderText(small.nb, small.results);
    expect(text).toContain('    1. ok     never: crash\n');
    expect(text).toContain('    2. FAIL   always: { calls: old_target }\n              because: claimed by someone who forgot the store\n');
    expect(text).toContain('    4. XFAIL  never: { calls: new_target }\n              expected to fail: the new target is the point of the patch\n');
  });

  it('writes the rows as the author did, each followed by what was observed', () => {
    const text = renderText(small.nb, small.results);
    const c = small.results[0].configs[0];
    const row = (k: number) => c.table!.rows[k];
    expect(row(1).status).toBe('pass');
    expect(text).toContain(`    f0 -- new seq\n        ok: new x${row(1).parts[0].observed}\n`);
    expect(text).toContain('    ff -- impossible\n        ok: never seen\n');
    expect(row(0).status).toBe('fail');
    const classes = Object.entries(row(0).parts[0].classes).map(([k, n]) => `${k} x${n}`).join(', ');
    expect(text).toContain(`    0f -- old seq\n        FAIL: seen as ${classes}\n`);
    expect(text).toContain('    0 -- impossible, would be 0f (old)\n        FAIL: never seen; would be 0f: ');
  });

  it('prints a herd7 block whose counts are the result\'s, once when the configurations agree', () => {
    const text = renderText(small.nb, small.results);
    const r = small.results[0];
    expect(text.match(/Outcomes under /g)).toHaveLength(1);
    expect(text).toContain('  Outcomes under all 5 configurations, herd7 style:\n    Test one-word Required\n');
    const c = r.configs[0];
    const states = c.outcomes.length;
    expect(text).toContain(`    States ${states}\n`);
    // Outcomes, not runs: the claims count the distinct outcomes their predicates hold in.
    const calls = (stub: string) => c.outcomes.filter((o) => o.tasks.some((t) => t.calls.some((x) => x.stub === stub))).length;
    expect(c.claims.map((x) => x.satisfied)).toEqual([c.outcomes.filter((o) => o.ending.kind !== 'complete').length, calls('old_target'), calls('old_target'), calls('new_target')]);
    c.claims.forEach((x, i) => {
      const p = x.satisfied;
      const word = p === 0 ? 'Never' : p === states ? 'Always' : 'Sometimes';
      expect(text).toContain(`    Positive: ${p} Negative: ${states - p}\n    Condition ${x.claim.text}\n    Observation one-word/${i + 1} ${word} ${p} ${states - p}\n`);
    });
    expect(text).not.toMatch(/\bruns\)/);
    // Each line is one outcome, or says how many share it: they account for every state.
    const block = text.slice(text.indexOf(`    States ${states}\n`)).split('\n    Ok\n')[0].split('\n    No\n')[0].split('\n').slice(1);
    expect(block.reduce((n, line) => n + Number(/\((\d+) outcomes\)$/.exec(line)?.[1] ?? 1), 0)).toBe(states);
    expect(text).toContain('    No\n    Witnesses\n');
  });

  it('draws a failed claim\'s shortest counterexample with one column per hart, and an expected failure labelled so', () => {
    const text = renderText(small.nb, small.results);
    expect(text).toContain('    Claim 2 fails under all 5 configurations: always: { calls:');
    const run = small.results[0].configs[0].claims[1].counterexample!;
    const lanes = diagramAfter(text, 'The shortest counterexample (');
    expect(lanes[0].trim().split(/\s+/)).toEqual(['cpu0', 'cpu1']);
    const column = { cpu0: lanes[0].indexOf('cpu0'), cpu1: lanes[0].indexOf('cpu1') };
    // Every step starts on its own numbered line, its text in its hart's column.
    run.steps.forEach((step, i) => {
      const line = lanes.find((l) => l.match(/^\s*(\d+)\s/)?.[1] === String(i + 1));
      expect(line, `step ${i + 1}`).toBeDefined();
      const hart = step.transition.kind === 'patch' ? 'cpu0' : 'cpu1';
      expect(line!.slice(0, column[hart]).trim(), `step ${i + 1} in ${hart}'s column`).toBe(String(i + 1));
      expect(line![column[hart]], `step ${i + 1} in ${hart}'s column`).toMatch(/\S/);
    });
    expect(text).toContain('    Claim 4 fails, as expected, under all 5 configurations: never: {');
    // The same run breaks both: drawn once, referred to the second time.
    expect(flat(text)).toContain('The shortest counterexample, an expected failure: the run drawn for claim 2 above.\n');
    expect(text.match(/cpu1\.main: jal/g)).toHaveLength(1);
  });

  it('is byte-identical over two independent runs', () => {
    const again = oneWord();
    for (const width of WIDTHS) expect(renderText(again.nb, again.results, { width })).toBe(renderText(small.nb, small.results, { width }));
  });

  it('matches the golden file byte for byte (UPDATE_GOLDEN=1 rewrites it)', () => {
    const text = renderText(small.nb, small.results);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, text);
    }
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: run with UPDATE_GOLDEN=1 to write it`).toBe(true);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('refuses a width too narrow to lay out', () => {
    expect(() => renderText(small.nb, small.results, { width: 20 })).toThrow(RangeError);
  });
});

describe('text report, configurations that disagree', () => {
  let fetchOrder: { nb: Notebook; results: ScenarioResult[] };
  beforeAll(() => {
    fetchOrder = yaml('fetch-order.yaml', FETCH_ORDER);
  }, 60_000);

  it('says under which configurations each claim holds, and what decides it', () => {
    const text = renderText(fetchOrder.nb, fetchOrder.results, { width: 100 });
    const r = fetchOrder.results[0];
    expect(r.configs.map((c) => `${c.model.fetch}:${c.claims[0].status}`)).toEqual(['ziccif-only:fail', 'ziccid:pass', 'ir-decode-w:fail', 'ir-decode:fail', 'ir3-fetch:fail']);
    expect(text).toContain('  FAIL under ziccif-only, ir-decode-w, ir-decode, ir3-fetch; pass under ziccid\n');
    expect(text).toContain('FAIL under ziccif-only, ir-decode-w, ir-decode, ir3-fetch; ok under ziccid\n');
    expect(text).toMatch(/decided by: ziccid has a hart's fetches in program order/);
    for (const width of WIDTHS) expectMailSafe(renderText(fetchOrder.nb, fetchOrder.results, { width }), width);
  });

  it('prints one herd7 block per group of configurations that agree, with final values', () => {
    const text = renderText(fetchOrder.nb, fetchOrder.results, { width: 100 });
    expect(text).toContain('  Outcomes under ziccif-only, ir-decode-w, ir-decode, ir3-fetch, herd7 style:\n');
    expect(text).toContain('  Outcomes under ziccid, herd7 style:\n');
    const blocks = text.split('  Outcomes under ').slice(1);
    const [free, ziccid] = [blocks.find((b) => b.startsWith('ziccif-only'))!, blocks.find((b) => b.startsWith('ziccid'))!];
    expect(free).toMatch(/\n    complete; remote:a0=1; remote:a1=0;\n/);
    expect(ziccid).not.toContain('remote:a0=1; remote:a1=0;');
    const c = fetchOrder.results[0].configs.find((x) => x.model.fetch === 'ziccid')!;
    // Three final states under Ziccid (a0=1 with a1=0 is the one it forbids), one outcome each.
    expect(c.outcomes).toHaveLength(3);
    expect(ziccid).toContain('    States 3\n');
    expect(ziccid).toContain(`Observation fetch-order/1 Never 0 3\n`);
    expect(ziccid).toContain(`Observation fetch-order/2 Sometimes 1 2\n`);
    expect(ziccid).toContain('    Ok\n');
    expect(free).toContain('    No\n');
  });

  it('draws runs identical under several configurations once, naming them', () => {
    const text = renderText(fetchOrder.nb, fetchOrder.results, { width: 100 });
    expect(text.match(/Claim 1 fails under/g)).toHaveLength(1);
    expect(text).toContain('Claim 1 fails under ziccif-only, ir-decode-w, ir-decode, ir3-fetch: never:');
    // No patching hart was named: the code's hart is cpu0, then the remote hart.
    const lanes = diagramAfter(text, 'The shortest counterexample (');
    expect(lanes[0].trim().split(/\s+/)).toEqual(['cpu0', 'remote']);
  });
});

describe('text report, lanes', () => {
  it('gives every hart a column, and lists the steps when the lanes would be too narrow', () => {
    const { nb, results } = yaml('two-harts.yaml', TWO_HARTS, { configs: ['ziccid'] });
    const wide = renderText(nb, results, { width: 72 });
    expectMailSafe(wide, 72);
    expect(diagramAfter(wide, 'The shortest counterexample')[0].trim().split(/\s+/)).toEqual(['cpu0', 'cpu1', 'cpu2']);
    const narrow = renderText(nb, results, { width: 32 });
    expectMailSafe(narrow, 32);
    const listed = diagramAfter(narrow, 'The shortest counterexample');
    expect(listed[0]).toMatch(/^\s+1 {2}cpu[012]: /);
  }, 60_000);

  it('marks the loop of a run that never ends', () => {
    const text = readFileSync('scenarios/manual/fence-i.md', 'utf8');
    const nb = readNotebook('scenarios/manual/fence-i.md', text);
    const entry = nb.entries.find((e) => e.scenario.name === 'ziccid-consumer-loop')!;
    const r = judgeScenario(entry.scenario, { configs: ['ziccif-only'] });
    const run = r.configs[0].claims[0].counterexample!;
    expect(run.loopFrom).toBeDefined();
    const lines = laneDiagram(run, r.scenario, new Names(r.scenario), 72, '  ');
    const loop = lines.findIndex((l) => l.trim() === `loop: steps ${run.loopFrom! + 1} to ${run.steps.length} repeat forever`);
    expect(loop).toBeGreaterThan(0);
    expect(lines[loop + 1]).toMatch(new RegExp(`^\\s*${run.loopFrom! + 1}\\s`));
    expect(lines[lines.length - 1].trim()).toBe(`(then back to step ${run.loopFrom! + 1})`);
    const report = renderText({ ...nb, entries: [entry] }, [r], { width: 60 });
    expectMailSafe(report, 60);
    expect(flat(report)).toContain(`a run that never ends: ${run.loopFrom} steps, then a loop of ${run.steps.length - run.loopFrom!} steps repeated forever`);
  }, 60_000);
});

describe('text layout', () => {
  it('wraps at word boundaries with a hanging indent, and breaks a word longer than a line', () => {
    expect(wrap('one two three four five', 12, '- ', '  ')).toEqual(['- one two', '  three four', '  five']);
    expect(wrap(`a ${'x'.repeat(25)} b`, 10, '  ')).toEqual(['  a', '  xxxxxxxx', '  xxxxxxxx', '  xxxxxxxx', '  x b']);
  });

  it('spells non-ASCII characters the way plain-text mail does', () => {
    expect(ascii('x\u00d7460 \u2014 \u00b1 \u2018a\u2019 \u201cb\u201d caf\u00e9 \u2192 \u6f22')).toBe("xx460 -- +/- 'a' \"b\" cafe -> ?");
  });

  it('gives unknown counts as ?', () => {
    const { results } = yaml('one.yaml', `${PATCH_ONE_WORD.trim()}\nclaims:\n  - never: crash\n  - always: { calls: old_target }\n`, { configs: ['ziccid'] });
    const c = results[0].configs[0];
    // A search cut short saw only some outcomes: no count, the word from the verdict where it tells.
    const cut: ConfigResult = { ...c, complete: false };
    expect(observation(c.claims[0], cut)).toEqual({ word: 'Never', positive: '?', negative: '?' });
    expect(observation(c.claims[1], cut)).toEqual({ word: '?', positive: '?', negative: '?' });
    expect(observation(c.claims[1], c)).toEqual({ word: 'Sometimes', positive: String(c.claims[1].satisfied), negative: String(c.outcomes.length - c.claims[1].satisfied) });
  }, 60_000);
});

describe('text report, the seed notebook', () => {
  const FILE = 'scenarios/seed/three-step.md';
  let nb: Notebook;
  let r: ScenarioResult;
  let text72: string;
  beforeAll(() => {
    const full = readNotebook(FILE, readFileSync(FILE, 'utf8'));
    nb = { ...full, entries: full.entries.slice(0, 1) };
    r = judgeScenario(nb.entries[0].scenario, { configs: ['ziccif-only'] });
    text72 = renderText(nb, [r]);
  }, 120_000);

  it('is mail-safe at every width', () => {
    expect(r.scenario.name).toBe('three-step');
    for (const width of WIDTHS) expectMailSafe(renderText(nb, [r], { width }), width);
  });

  it("writes the author's rows verbatim, each with what was observed", () => {
    for (const row of r.scenario.table!.rows) {
      const written = `${row.signature} -- ${row.text}`;
      if (written.length <= 72 - 4) expect(text72).toContain(`\n    ${written}\n`);
    }
    expect(text72).toContain('\n    fff04 -- updated seq\n        ok: updated x');
    // The model disagrees with the thread here; the notebook may or may not declare it.
    const ff04f = r.configs[0].table!.rows.find((x) => x.row.signature === 'ff04f')!;
    expect(ff04f.verdict).toBe('fail');
    const word = ff04f.status === 'xfail' ? 'XFAIL' : 'FAIL';
    expect(text72).toContain(`\n    ff04f -- impossible, would be ff08f, safe seq\n        ${word}: seen as updated x${count(ff04f.parts[0].classes.updated)}`);
    expect(text72).toContain('    Observed but not in the table:\n');
    for (const sig of r.configs[0].table!.unlisted) expect(text72).toMatch(new RegExp(`\\n    ${sig} -- \\w+ x[\\d,]+`));
  });

  it("shows the failing row's shortest run as a lane diagram, one column per hart", () => {
    const lanes = diagramAfter(text72, 'The shortest run where cpu1 shows ff04f');
    expect(lanes[0].trim().split(/\s+/)).toEqual(['cpu0', 'cpu1']);
    const example = r.configs[0].table!.signatures.get('ff04f')!.example;
    const numbered = lanes.filter((l) => /^\s*\d+\s/.test(l)).map((l) => Number(l.trim().split(/\s/)[0]));
    expect(numbered).toEqual(example.steps.map((_, i) => i + 1));
    const cpu1 = lanes[0].indexOf('cpu1');
    expect(lanes.find((l) => /^\s*1\s/.test(l))!.indexOf('cpu1.main: jal')).toBe(cpu1);
    expect(lanes.find((l) => /^\s*2\s/.test(l))!.indexOf('store J +8 at func')).toBe(lanes[0].indexOf('cpu0'));
  });

  it("gives herd7 counts equal to the result's", () => {
    const c = r.configs[0];
    const states = c.outcomes.length;
    expect(text72).toContain(`    Test three-step Required\n    States ${states}\n`);
    c.claims.forEach((x, i) => {
      const p = x.satisfied;
      const word = p === 0 ? 'Never' : p === states ? 'Always' : 'Sometimes';
      expect(text72).toContain(`    Observation three-step/${i + 1} ${word} ${p} ${states - p}\n`);
    });
    expect(text72).not.toMatch(/\bruns\)/);
  });

  it('is byte-identical over two runs', () => {
    const again = judgeScenario(nb.entries[0].scenario, { configs: ['ziccif-only'] });
    expect(renderText(nb, [again])).toBe(text72);
  }, 60_000);
});
