// The plain-text report: what a reviewer pastes into a mail. ASCII, no Markdown, no line
// over the width; the verdict first; the author's rows verbatim; herd7's block in herd's
// units, once per scenario; each distinct run drawn once, as lanes, the checks referring
// to it; a reply's worth by default, everything with `detail: 'full'`; the same bytes
// every time.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimLines, observation } from '../../src/report/herd.ts';
import { Names, runKey, stepText } from '../../src/report/describe.ts';
import { laneLines, LONG_RUN } from '../../src/report/lanes.ts';
import { ascii, wrap } from '../../src/report/layout.ts';
import { classesText } from '../../src/report/markdown.ts';
import { renderText } from '../../src/report/text.ts';
import { readNotebook, type Notebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ConfigResult, type Run, type ScenarioResult } from '../../src/verdict/index.ts';
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
  expect(text).not.toMatch(/[`*]|<details>|\u00d7/);
}

/** Wrapped lines joined again (a lane's continuation lines too), to look for a phrase wherever the width broke it. */
const flat = (text: string) => text.replace(/\n[ |]+/g, ' ');

/** The lines of the run drawn under the caption that starts with `caption` (which ends at a full stop): its header row of harts, then its steps. */
function lanesAfter(text: string, caption: string): string[] {
  const lines = text.split('\n');
  let at = lines.findIndex((l) => l.trim().startsWith(caption));
  expect(at, `no "${caption}"`).toBeGreaterThan(-1);
  while (!lines[at].endsWith('.')) at++;
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i] !== ''; i++) out.push(lines[i]);
  return out;
}

/** The run of every check that does not hold (a counterexample, or a witness of a declared failure that holds), by key. */
function checkRuns(r: ScenarioResult): Map<string, Run> {
  const names = new Names(r.scenario);
  const out = new Map<string, Run>();
  const add = (run: Run | undefined) => run && out.set(runKey(run, names), run);
  for (const c of r.configs) {
    for (const x of c.claims) add(x.status === 'xpass' ? x.witness : x.status === 'fail' || x.status === 'xfail' ? x.counterexample : undefined);
    for (const row of c.table?.rows ?? []) {
      const own = row.parts[0];
      if (row.status !== 'pass' && own.expect === 'impossible' && own.verdict === 'fail') add(c.table!.signatures.get(row.row.signature)?.example);
    }
  }
  return out;
}

/** The herd7 blocks of a report: each from its Test line to the blank line after it. */
function herdBlocks(text: string): string[][] {
  const lines = text.split('\n');
  const out: string[][] = [];
  lines.forEach((l, i) => {
    if (!/^ {4}Test /.test(l)) return;
    const block: string[] = [];
    for (let k = i; k < lines.length && lines[k] !== ''; k++) block.push(lines[k].trim());
    out.push(block);
  });
  return out;
}

describe('text report, small scenarios', () => {
  let small: { nb: Notebook; results: ScenarioResult[] };
  beforeAll(() => {
    small = oneWord();
  }, 60_000);

  it('keeps every line within the width, in ASCII, at 60, 72 and 100 columns, in either detail', () => {
    for (const detail of ['brief', 'full'] as const) {
      for (const width of WIDTHS) expectMailSafe(renderText(small.nb, small.results, { width, detail }), width);
    }
    expectMailSafe(renderText(small.nb, small.results), 72);
    expect(renderText(small.nb, small.results).split('\n').some((l) => l.length > 60)).toBe(true); // 72 is the default, not 60
  });

  it("transliterates the author's non-ASCII prose", () => {
    const text = flat(renderText(small.nb, small.results, { width: 100, detail: 'full' }));
    expect(text).toContain('because: a jump replaced by a jump -- nothing to tear, x nothing, +/- nothing, "quoted"');
  });

  it('says the verdict first: the status under each configuration, named, then which checks fail and how', () => {
    const text = renderText(small.nb, small.results);
    const r = small.results[0];
    expect(r.status).toBe('fail');
    const lines = text.split('\n');
    expect(lines[0]).toBe('patchlit report of one-word.md');
    expect(lines.slice(0, 3).join('\n')).toBe(`patchlit report of one-word.md\none-word, line ${r.scenario.pos.line}: FAIL under all 5 configurations (ziccif-only, ziccid,\n  ir-decode-w, ir-decode, ir3-fetch)`);
    expect(text).toContain('  Fail: claim 2 and rows 0f and 0.\n  Fail as declared: claim 4.\n');
  });

  it('lists the claims that do not hold, with their reasons and runs; those that hold only counted, unless in full', () => {
    const brief = renderText(small.nb, small.results);
    expect(brief).toContain('  Claims 1 and 3 hold under all 5; the others:\n');
    expect(brief).toContain('    2. FAIL   always: { calls: old_target } (run A)\n              because: claimed by someone who forgot the store\n');
    expect(brief).toContain('    4. XFAIL  never: { calls: new_target } (run A)\n              expected to fail: the new target is the point of the patch\n');
    expect(brief).not.toContain('1. ok');
    const full = renderText(small.nb, small.results, { detail: 'full' });
    expect(full).toContain('    1. ok     never: crash\n');
    expect(full).toContain('    3. ok     sometimes: { calls: old_target }\n');
  });

  it('writes the rows as the author did, with what was seen under those that do not hold (all of them in full)', () => {
    const brief = renderText(small.nb, small.results);
    const c = small.results[0].configs[0];
    const row = (k: number) => c.table!.rows[k];
    expect(row(1).status).toBe('pass');
    expect(brief).toContain('    f0 -- new seq\n    0 -- impossible');
    expect(row(0).status).toBe('fail');
    expect(brief).toContain(`    0f -- old seq\n      FAIL: seen as ${classesText(row(0).parts[0].classes).replace(/\u00d7/g, 'x')}\n`);
    expect(brief).toContain('    0 -- impossible, would be 0f (old)\n      FAIL: never seen; would be 0f: ');
    const full = renderText(small.nb, small.results, { detail: 'full' });
    expect(full).toContain(`    f0 -- new seq\n      ok: new x${row(1).parts[0].observed}\n`);
    expect(full).toContain('    ff -- impossible\n      ok: never seen\n');
  });

  it("prints herd7's block once, in herd's units: States are distinct outcomes, Positive and Negative count them", () => {
    const r = small.results[0];
    const c = r.configs[0];
    const states = c.outcomes.length;
    const calls = (stub: string) => c.outcomes.filter((o) => o.tasks.some((t) => t.calls.some((x) => x.stub === stub))).length;
    expect(c.claims.map((x) => x.satisfied)).toEqual([c.outcomes.filter((o) => o.ending.kind !== 'complete').length, calls('old_target'), calls('old_target'), calls('new_target')]);
    for (const detail of ['brief', 'full'] as const) {
      const text = renderText(small.nb, small.results, { detail });
      const blocks = herdBlocks(text);
      expect(blocks).toHaveLength(1);
      const [block] = blocks;
      expect(block.slice(0, 2)).toEqual(['Test one-word Required', `States ${states}`]);
      // Each line is one outcome, or says how many share it: they account for every state.
      const stateLines = block.slice(2, block.indexOf('No'));
      expect(stateLines.reduce((n, line) => n + Number(/\((\d+) outcomes\)$/.exec(line)?.[1] ?? 1), 0)).toBe(states);
      expect(block).toContain('No');
      expect(block).not.toContain('Ok');
      c.claims.forEach((x, i) => {
        const p = x.satisfied;
        const word = p === 0 ? 'Never' : p === states ? 'Always' : 'Sometimes';
        expect(block).toContain(`Observation one-word/${i + 1} ${word} ${p} ${states - p}`);
        if (detail === 'full') expect(block.join('\n')).toContain(`Positive: ${p} Negative: ${states - p}\nCondition ${x.claim.text}\nObservation one-word/${i + 1}`);
      });
      // Brief: one Observation per claim, the claims numbered above; no Condition repeated per claim.
      if (detail === 'brief') expect(block.filter((l) => /^(Condition|Positive)/.test(l))).toEqual([]);
      expect(text).not.toMatch(/\bruns\)/);
    }
  });

  it("draws a run once, with one column per hart, every check that has it referring to it", () => {
    const text = renderText(small.nb, small.results);
    const run = small.results[0].configs[0].claims[1].counterexample!;
    expect(text).toContain(`  Run A (${run.steps.length} steps, complete): claim 2 fails; claim 4 fails as declared.\n`);
    const lanes = lanesAfter(text, 'Run A (');
    expect(lanes[0].trim().split(/\s+/)).toEqual(['cpu0', 'cpu1']);
    const column = { cpu0: lanes[0].indexOf('cpu0'), cpu1: lanes[0].indexOf('cpu1') };
    // Every step starts on its own numbered line, its text in its hart's column, a bar in each lane to its left.
    run.steps.forEach((step, i) => {
      const line = lanes.find((l) => l.match(/^\s*(\d+)\s/)?.[1] === String(i + 1));
      expect(line, `step ${i + 1}`).toBeDefined();
      const hart = step.transition.kind === 'patch' ? 'cpu0' : 'cpu1';
      expect(line!.slice(0, column.cpu0).trim(), `step ${i + 1}`).toBe(String(i + 1));
      expect(line!.slice(column[hart]), `step ${i + 1} in ${hart}'s column`).toMatch(new RegExp(`^${ascii(stepText(step, new Names(small.results[0].scenario))).slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      if (hart === 'cpu1') expect(line![column.cpu0]).toBe('|');
    });
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

  it('names the configurations of each status, says under which each claim holds, and what decides it', () => {
    const text = renderText(fetchOrder.nb, fetchOrder.results, { width: 100 });
    const r = fetchOrder.results[0];
    expect(r.configs.map((c) => `${c.model.fetch}:${c.claims[0].status}`)).toEqual(['ziccif-only:fail', 'ziccid:pass', 'ir-decode-w:fail', 'ir-decode:fail', 'ir3-fetch:fail']);
    expect(text.split('\n')[1]).toBe('fetch-order, line 2: FAIL under ziccif-only, ir-decode-w, ir-decode and ir3-fetch; PASS under ziccid');
    expect(text).toContain('FAIL under ziccif-only, ir-decode-w, ir-decode and ir3-fetch; ok under ziccid\n');
    expect(text).toMatch(/decided by: ziccid has a hart's fetches in program order/);
    for (const width of WIDTHS) expectMailSafe(renderText(fetchOrder.nb, fetchOrder.results, { width }), width);
  });

  it('prints one herd7 block per group of configurations that agree, with final values', () => {
    const text = renderText(fetchOrder.nb, fetchOrder.results, { width: 100 });
    expect(text).toContain('  herd7 style, under ziccif-only, ir-decode-w, ir-decode and ir3-fetch:\n');
    expect(text).toContain('  herd7 style, under ziccid:\n');
    const blocks = text.split('  herd7 style, under ').slice(1);
    const [free, ziccid] = [blocks.find((b) => b.startsWith('ziccif-only'))!, blocks.find((b) => b.startsWith('ziccid'))!];
    expect(free).toMatch(/\n    complete; remote: no calls; remote:a0=1; remote:a1=0;\n/);
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
    expect(text.match(/Run [A-Z]+ \(/g)).toHaveLength(1);
    expect(text).toMatch(/Run A \(\d+ steps, complete\): claim 1 fails under ziccif-only, ir-decode-w, ir-decode and ir3-fetch\./);
    // No patching hart was named: the code's hart is cpu0, then the remote hart.
    expect(lanesAfter(text, 'Run A (')[0].trim().split(/\s+/)).toEqual(['cpu0', 'remote']);
  });
});

describe('lanes', () => {
  it('gives every hart a column, and lists the steps when the lanes would be too narrow', () => {
    const { nb, results } = yaml('two-harts.yaml', TWO_HARTS, { configs: ['ziccid'] });
    const wide = renderText(nb, results, { width: 72 });
    expectMailSafe(wide, 72);
    expect(lanesAfter(wide, 'Run A (')[0].trim().split(/\s+/)).toEqual(['cpu0', 'cpu1', 'cpu2']);
    const narrow = renderText(nb, results, { width: 32 });
    expectMailSafe(narrow, 32);
    expect(narrow).toMatch(/\n\s+1 {2}cpu[012]: /);
  }, 60_000);

  it('marks the loop of a run that never ends', () => {
    const text = readFileSync('scenarios/manual/fence-i.md', 'utf8');
    const nb = readNotebook('scenarios/manual/fence-i.md', text);
    const entry = nb.entries.find((e) => e.scenario.name === 'ziccid-consumer-loop')!;
    const r = judgeScenario(entry.scenario, { configs: ['ziccif-only'] });
    const run = r.configs[0].claims[0].counterexample!;
    expect(run.loopFrom).toBeDefined();
    const lines = laneLines(run, r.scenario, new Names(r.scenario), { width: 72, indent: '  ' });
    const loop = lines.findIndex((l) => l.trim() === `loop: steps ${run.loopFrom! + 1} to ${run.steps.length} repeat forever`);
    expect(loop).toBeGreaterThan(0);
    expect(lines[loop + 1]).toMatch(new RegExp(`^\\s*${run.loopFrom! + 1}\\s`));
    expect(lines[lines.length - 1].trim()).toBe(`(then back to step ${run.loopFrom! + 1})`);
    const report = renderText({ ...nb, entries: [entry] }, [r], { width: 60 });
    expectMailSafe(report, 60);
    expect(flat(report)).toContain(`a run that never ends: ${run.loopFrom} steps, then a loop of ${run.steps.length - run.loopFrom!} steps repeated forever`);
  }, 60_000);

  it('shows a long run by its first and last steps only when asked to, saying how many are left out; a run begun as another names it', () => {
    const FILE = 'scenarios/seed/three-step.md';
    const nb = readNotebook(FILE, readFileSync(FILE, 'utf8'));
    const r = judgeScenario(nb.entries[0].scenario, { configs: ['ziccif-only'] });
    const names = new Names(r.scenario);
    const run = r.configs[0].table!.signatures.get('ff04f')!.example;
    expect(run.steps.length).toBeGreaterThan(LONG_RUN);
    const numbered = (lines: string[]) => lines.map((l) => /^\s*(\d+)\s/.exec(l)?.[1]).filter(Boolean).map(Number);
    const whole = laneLines(run, r.scenario, names, { width: 72 });
    expect(numbered(whole)).toEqual(run.steps.map((_, i) => i + 1));
    expect(whole.join('\n')).not.toContain('...');
    const short = laneLines(run, r.scenario, names, { width: 72, elide: true });
    const shown = numbered(short);
    expect(shown[0]).toBe(1);
    expect(shown.at(-1)).toBe(run.steps.length);
    const gap = short.find((l) => l.includes('...'))!.trim();
    const [, hidden, from, to] = /^\.\.\. (\d+) steps \((\d+) to (\d+)\) \.\.\.$/.exec(gap)!;
    expect(Number(hidden)).toBe(run.steps.length - shown.length);
    expect(shown).toEqual(run.steps.map((_, i) => i + 1).filter((n) => n < Number(from) || n > Number(to)));
    const after = laneLines(run, r.scenario, names, { width: 72, sameAs: { steps: 5, run: 'B' } });
    expect(after[1].trim()).toBe('steps 1 to 5: as in run B');
    expect(numbered(after)[0]).toBe(6);
  }, 60_000);
});

describe('text layout', () => {
  it('wraps at word boundaries with a hanging indent, breaks a word longer than a line, and keeps words joined by a no-break space together', () => {
    expect(wrap('one two three four five', 12, '- ', '  ')).toEqual(['- one two', '  three four', '  five']);
    expect(wrap(`a ${'x'.repeat(25)} b`, 10, '  ')).toEqual(['  a', '  xxxxxxxx', '  xxxxxxxx', '  xxxxxxxx', '  x b']);
    expect(wrap('claim never: crash (run\u00a0A)', 22)).toEqual(['claim never: crash', '(run A)']);
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
  let results: ScenarioResult[];
  /** The `three-step` scenario alone, as `run FILE:LINE` reports it. */
  let one: Notebook;
  let r: ScenarioResult;
  let text72: string;
  beforeAll(() => {
    nb = readNotebook(FILE, readFileSync(FILE, 'utf8'));
    results = judged(nb);
    one = { ...nb, entries: nb.entries.slice(0, 1) };
    r = results[0];
    text72 = renderText(one, [r]);
  }, 180_000);

  it('fits a reply: at most 80 lines of at most 72 columns for three-step, mail-safe at every width', () => {
    expect(r.scenario.name).toBe('three-step');
    expect(text72.split('\n').length - 1).toBeLessThanOrEqual(80);
    for (const width of WIDTHS) expectMailSafe(renderText(one, [r], { width }), width);
  });

  it('keeps the whole notebook under 250 lines: the scenarios in turn, the configurations named once', () => {
    const text = renderText(nb, results);
    expect(text.split('\n').length - 1).toBeLessThan(250);
    expectMailSafe(text, 72);
    expect(text.split('\n').slice(0, 3).join(' ')).toMatch(/^patchlit report of scenarios\/seed\/three-step\.md 5 scenarios, each under ziccif-only, ziccid, ir-decode-w, ir-decode and\s+ir3-fetch: 3 XFAIL \(as declared\), 2 PASS\.$/);
    for (const x of results) expect(text).toContain(`\n\n${x.scenario.name}, line ${x.scenario.pos.line}: `);
  });

  it('says the verdict in its first three lines: the status as declared, under which configurations, by name', () => {
    expect(r.status).toBe('xfail');
    const head = text72.split('\n').slice(0, 3).join('\n');
    expect(flat(head)).toContain(`three-step, line ${r.scenario.pos.line}: XFAIL (as declared) under all 5 configurations (ziccif-only, ziccid, ir-decode-w, ir-decode, ir3-fetch)`);
    expect(flat(text72)).toContain('Fail as declared: rows ff04f, f0ff4, f0f4f and 0f4ff.');
  });

  it("writes the author's rows verbatim, what was seen under each that does not hold", () => {
    for (const row of r.scenario.table!.rows) {
      const written = `${row.signature} -- ${row.text}`;
      if (written.length <= 72 - 4) expect(text72).toContain(`\n    ${written}\n`);
    }
    const ff04f = r.configs[0].table!.rows.find((x) => x.row.signature === 'ff04f')!;
    expect(ff04f.status).toBe('xfail');
    expect(text72).toContain(`\n    ff04f -- impossible, would be ff08f, safe seq\n      XFAIL: seen as updated x${ff04f.parts[0].classes.updated} (run A)`);
    for (const sig of r.configs[0].table!.unlisted) expect(flat(text72)).toMatch(new RegExp(`Seen, not in the table: [^.]*\\b${sig}\\b`));
  });

  it('draws each distinct run once, the checks referring to it by letter, shortest first', () => {
    for (const x of results) {
      const text = renderText({ ...nb, entries: [nb.entries[results.indexOf(x)]] }, [x]);
      const runs = checkRuns(x);
      const captions = [...text.matchAll(/^ {2,4}Run ([A-Z]+) \((\d+) steps?/gm)];
      expect(captions.map((m) => m[1]), x.scenario.name).toEqual([...runs.keys()].map((_, i) => String.fromCharCode(65 + i)));
      const lengths = captions.map((m) => Number(m[2]));
      expect(lengths, x.scenario.name).toEqual([...lengths].sort((a, b) => a - b));
      expect(lengths.sort()).toEqual([...runs.values()].map((run) => run.steps.length).sort());
    }
    // three-step-no-rewind: claims 2 to 5 share one run, drawn once.
    const noRewind = results.find((x) => x.scenario.name === 'three-step-no-rewind')!;
    const text = renderText(nb, results);
    expect(text).toMatch(/\n {2}Run A \(10 steps\): claims 2, 3, 4 and 5 fail as declared\.\n/);
    expect(noRewind.configs.every((c) => [1, 2, 3, 4].every((i) => runKey(c.claims[i].counterexample!, new Names(noRewind.scenario)) === runKey(noRewind.configs[0].claims[1].counterexample!, new Names(noRewind.scenario))))).toBe(true);
  });

  it("gives herd7's block once per scenario, in herd's units, its Ok or No as the verdict is", () => {
    const text = renderText(nb, results);
    const blocks = herdBlocks(text);
    expect(blocks.map((b) => b[0])).toEqual(results.map((x) => `Test ${x.scenario.name} Required`));
    results.forEach((x, k) => {
      const c = x.configs[0];
      const states = c.outcomes.length;
      expect(blocks[k][1]).toBe(`States ${states}`);
      c.claims.forEach((y, i) => {
        const p = y.satisfied;
        const word = p === 0 ? 'Never' : p === states ? 'Always' : 'Sometimes';
        expect(blocks[k]).toContain(`Observation ${x.scenario.name}/${i + 1} ${word} ${p} ${states - p}`);
      });
      expect(blocks[k].filter((l) => l.startsWith('Observation'))).toHaveLength(c.claims.length);
      // A scenario that fails as declared is not Ok; it says it is an expected failure.
      if (x.status === 'xfail') expect(blocks[k].join('\n')).toContain('No\n(fails as declared: an expected failure, XFAIL)\nWitnesses');
      if (x.status === 'pass') expect(blocks[k]).toContain('Ok');
    });
    expect(text).not.toMatch(/\bruns\)|Positive:|Condition /);
  });

  it('shows a nested claim as its author laid it out, never flattened onto one line', () => {
    const noRewind = results.find((x) => x.scenario.name === 'three-step-no-rewind')!;
    const brief = renderText(nb, results);
    const full = renderText(nb, results, { detail: 'full' });
    for (const text of [brief, full]) {
      expect(text).not.toMatch(/any: - \{/);
      expect(text).toContain('XFAIL  always:\n                any:\n                  - { executed: [AUIPC, JALR], at: func }\n                  - { executed: J +8, at: func }\n                  - { executed: [AUIPC\', JALR\'], at: func } (run A)\n');
    }
    expect(claimLines(noRewind.scenario.claims[2])).toEqual(['always:', '  any:', '    - { executed: [AUIPC, JALR], at: func }', '    - { executed: J +8, at: func }', "    - { executed: [AUIPC', JALR'], at: func }"]);
    expect(full).toContain("    Condition always:\n                any:\n                  - { executed: [AUIPC, JALR], at: func }\n");
  });

  it('leaves nothing out with full detail: every claim, reason, row and observation, every state line and Condition, every run whole', () => {
    const full = renderText(nb, results, { detail: 'full' });
    const text = flat(full);
    for (const x of results) {
      const names = new Names(x.scenario);
      const section = flat(full.slice(full.indexOf(`\n${x.scenario.name}, line `), full.indexOf('\n\n', full.indexOf('herd7 style', full.indexOf(`\n${x.scenario.name}, line `)))));
      x.scenario.claims.forEach((claim, i) => {
        expect(section).toContain(`${i + 1}. `);
        for (const line of claimLines(claim)) expect(section).toContain(line.trim());
        if (claim.because) expect(section).toContain(`because: ${ascii(claim.because)}`);
        if (claim.xfail) expect(section).toContain(`expected to fail: ${claim.xfail}`);
      });
      for (const row of x.scenario.table?.rows ?? []) {
        expect(section).toContain(`${row.signature} -- ${row.text}`);
        if (row.xfail) expect(section).toContain(`expected to fail: ${row.xfail}`);
      }
      for (const c of x.configs) {
        for (const row of c.table?.rows ?? []) {
          for (const p of row.parts) if (p.observed) expect(section).toContain(classesText(p.classes).replace(/\u00d7/g, 'x'));
        }
        for (const sig of c.table?.unlisted ?? []) expect(full).toContain(`\n    ${sig} -- ${classesText(c.table!.signatures.get(sig)!.classes).replace(/\u00d7/g, 'x')}\n`);
        // Where each call was made from, as the old block said; every claim's Positive, Condition and Observation.
        if (c.outcomes.some((o) => o.tasks.some((t) => t.calls.length))) expect(section).toMatch(/ from func\+0x4/);
        expect(section).toContain(`States ${c.outcomes.length}`);
        c.claims.forEach((y, i) => expect(section).toContain(`Positive: ${observation(y, c).positive} Negative: ${observation(y, c).negative} Condition ${claimLines(y.claim).map((l) => l.trim()).join(' ')} Observation ${x.scenario.name}/${i + 1}`));
      }
      // Every run, every step of it, whatever its length.
      for (const run of checkRuns(x).values()) for (const step of run.steps) expect(text).toContain(ascii(stepText(step, names)));
    }
    expect(full).not.toMatch(/\.\.\. \d+ steps|as in run|drawn with --detail full|more lines/);
    expect(text).toContain('Observed but not in the table:');
  });

  it('is byte-identical over two runs', () => {
    const again = judgeScenario(one.entries[0].scenario);
    expect(renderText(one, [again])).toBe(text72);
  }, 60_000);
});
