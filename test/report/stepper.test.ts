// A run's states step by step (the HTML report's stepper): the instruction each hart ran,
// its bytes and the stores they came from, the registers it changed, memory as each step
// left it; and the data put after each run's table in the page.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlAssets, renderHtml } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/index.ts';
import { withStepData } from '../../src/report/stepper-page.ts';
import { steppedRun, type SteppedRun } from '../../src/report/stepper.ts';
import { readNotebook, type Notebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ScenarioResult } from '../../src/verdict/index.ts';

const SEED = 'scenarios/seed/three-step.md';

function notebook(file: string, text = readFileSync(file, 'utf8')): Notebook {
  return readNotebook(file, text);
}

function judged(nb: Notebook): ScenarioResult[] {
  return nb.entries.map((e) => judgeScenario(e.scenario, { configs: ['ziccif-only'] }));
}

/** The shortest counterexample (or witness) of claim `k` of scenario `name`, step by step. */
function stepped(nb: Notebook, name: string, k: number): SteppedRun {
  const s = nb.entries.find((e) => e.scenario.name === name)!.scenario;
  const c = judgeScenario(s, { configs: ['ziccif-only'] }).configs[0];
  const run = c.claims[k].counterexample ?? c.claims[k].witness;
  return steppedRun(run!, s, c);
}

describe('steppedRun', () => {
  const seed = notebook(SEED);

  it("the seed's no-rewind counterexample: each hart's pc, instruction, bytes and the store they came from, registers, memory", () => {
    const run = stepped(seed, 'three-step-no-rewind', 1);
    expect(run.steps.map((s) => s.actor)).toEqual(['cpu1', 'cpu1', 'cpu0', 'cpu0', 'cpu0', 'cpu0', 'cpu1', 'cpu1', 'cpu0', 'cpu1']);
    // Step 2: the old AUIPC, as loaded.
    const auipc = run.steps[1];
    expect(auipc.text).toBe('func: auipc t0,0xffff2');
    expect(auipc.fetch).toEqual({ pc: '0xffffffff8001f840', at: 'func', insn: 'auipc t0,0xffff2', bytes: '97 22 ff ff', parts: [{ at: 'func', bytes: '97 22 ff ff', from: 'initial memory' }] });
    expect(auipc.harts).toEqual([{ name: 'cpu1', pc: '0xffffffff8001f844', at: 'func+0x4', moved: true, fetched: 2, changed: [{ reg: 't0', value: '0xffffffff80011840' }] }]);
    // Step 3 stores J +8 over it: memory holds the new word, written by that step.
    expect(run.steps[2].memory).toEqual([{ addr: '0xffffffff8001f840', at: 'func', size: 4, value: '0x0080006f', insn: 'j ffffffff8001f848 <func+0x8>', by: "cpu0's store at step 3", changed: true }]);
    expect(run.steps[3].memory[0]).toMatchObject({ value: '0x0080006f', changed: false });
    expect(run.steps[2].harts[0]).toMatchObject({ moved: false, fetched: 2, changed: [] });
    expect(run.steps[2].patchers).toEqual([{ name: 'cpu0', moved: true, progress: '1 of 12 patch steps done; last: store J +8 at func' }]);
    // Step 7: in the IPI handler, its pc the interrupted one.
    expect(run.steps[6].harts[0].state).toBe('in the IPI handler (sepc func+0x4)');
    // Step 10: the new JALR, stored at step 9, with the old AUIPC's t0.
    const jalr = run.steps[9];
    expect(jalr.fetch).toMatchObject({ at: 'func+0x4', insn: 'jalr t0,1984(t0)', bytes: 'e7 82 02 7c', parts: [{ at: 'func+0x4', bytes: 'e7 82 02 7c', from: "cpu0's store at step 9" }] });
    expect(jalr.harts[0].changed).toEqual([{ reg: 't0', value: '0xffffffff8001f848', points: 'func+0x8' }]);
    expect(jalr.memory.map((m) => `${m.at}=${m.value} ${m.by}`)).toEqual(["func=0x0080006f cpu0's store at step 3", "func+0x4=0x7c0282e7 cpu0's store at step 9"]);
  });

  it('a torn fetch names the store each part of the instruction came from', () => {
    const tearing = notebook('scenarios/model/tearing.md');
    // a0=0x11112000: the upper parcel read before the store, the lower after it.
    const run = stepped(tearing, 'aligned-parcel', 0);
    const fetches = run.steps.flatMap((s) => (s.fetch ? [s.fetch] : []));
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toMatchObject({
      insn: 'lui a0,0x11112',
      parts: [
        { at: 'site', bytes: '37 25', from: "cpu0's store at step 1" },
        { at: 'site+0x2', bytes: '11 11', from: 'initial memory' },
      ],
      note: 'torn: memory never held these bytes together; memory now holds lui a0,0x22222',
    });
  });

  it("a hart in the SBI call's interrupt is in machine mode: no sepc of the kernel's", () => {
    const ipi = notebook('scenarios/model/ipi.md');
    const s = ipi.entries.find((e) => e.scenario.name === 'sbi-completed')!.scenario;
    const c = judgeScenario(s, { configs: ['ziccif-only'] }).configs[0];
    const states = c.claims.flatMap((x) => [x.counterexample, x.witness]).flatMap((run) => (run ? steppedRun(run, s, c).steps.flatMap((st) => st.harts.map((h) => h.state ?? '')) : []));
    expect(states).toContainEqual(expect.stringMatching(/^in the SBI call's interrupt, in machine mode, at \S+$/));
    expect(states.join('\n')).not.toContain('sepc');
  });

  it('a stale fetch says what memory holds instead; memory after a data store holds its value', () => {
    const nb = notebook(
      'stale.yaml',
      `
name: stale
data:
  flag: { at: 0x80001000, asm: ".word 0" }
code:
  consumer:
    at: 0x80000000
    asm: |
      lw a0, 0(s0)
      patch_me:
      li a1, 0
insns:
  NEW: li a1, 1
patch:
  - store: { at: patch_me, insn: NEW }
  - fence w,w
  - store: { at: flag, value: 1, size: 4 }
harts:
  - run: consumer
    regs: { s0: flag }
claims:
  - sometimes: { final: "cpu1:a0=1 /\\\\ cpu1:a1=0" }
`,
    );
    const run = stepped(nb, 'stale', 0);
    const li = run.steps.find((s) => s.fetch?.at === 'patch_me')!;
    expect(li.fetch).toMatchObject({ insn: 'li a1,0', parts: [{ from: 'initial memory' }], note: 'stale: memory now holds li a1,1' });
    expect(li.memory).toContainEqual(expect.objectContaining({ at: 'flag', size: 4, value: '0x00000001', changed: false }));
    const flagStore = run.steps.findIndex((s) => s.memory.some((m) => m.at === 'flag' && m.changed));
    expect(run.steps[flagStore].memory.find((m) => m.at === 'flag')!.by).toBe(`cpu0's store at step ${flagStore + 1}`);
  });
});

/** The data blocks of a page or Markdown text, parsed, with their raw text. */
function dataBlocks(text: string): Array<{ raw: string; run: SteppedRun }> {
  return [...text.matchAll(/<script type="application\/json" class="patchlit-steps">(.*?)<\/script>/g)].map((m) => ({ raw: m[1], run: JSON.parse(m[1]) }));
}

describe('withStepData', () => {
  const seed = notebook(SEED);
  const results = judged(seed);
  const md = renderMarkdown(seed, results);
  const withData = withStepData(md, { notebook: seed, results });

  it('puts the data of its run after every run table, in its own scenario, and changes nothing else', () => {
    const tables = md.match(/^\| # \| (?!Claim \|)/gm)!.length; // run tables, not the claims' (`| # | Claim |`)
    expect(tables).toBeGreaterThan(5);
    const blocks = dataBlocks(withData);
    expect(blocks).toHaveLength(tables);
    // Each block follows its table, a blank line between, and takes nothing away.
    expect(withData.replace(/\n\n<script type="application\/json" class="patchlit-steps">.*?<\/script>/g, '')).toBe(md);
    for (const m of withData.matchAll(/((?:^\|.*\|\n)+)\n<script type="application\/json" class="patchlit-steps">(.*?)<\/script>/gm)) {
      const rows = m[1].split('\n').filter((l) => /^\| \d+ \|/.test(l));
      const run: SteppedRun = JSON.parse(m[2]);
      expect(run.steps).toHaveLength(rows.length);
      // The steps are the table's, in order.
      run.steps.forEach((s, i) => expect(rows[i].replace(/&lt;/g, '<')).toContain(s.text));
    }
    // The first run shown after the no-rewind scenario's block is its first counterexample.
    const noRewind = withData.indexOf('name: three-step-no-rewind');
    expect(noRewind).toBeGreaterThan(0);
    expect(dataBlocks(withData.slice(noRewind))[0].run).toEqual(stepped(seed, 'three-step-no-rewind', 1));
  });

  it("gives each scenario's table its own run where two scenarios' runs read the same", () => {
    const nb = notebook(
      'two.md',
      [
        '# Two',
        '',
        '```patchlit',
        'name: five',
        'code:',
        '  f: { at: 0x80000000, asm: "addi a1, a1, 1" }',
        'harts:',
        '  - run: f',
        '    regs: { a1: 5 }',
        'claims:',
        '  - sometimes: { final: "cpu1:a1=6" }',
        '```',
        '',
        'From another value, the same table:',
        '',
        '```patchlit',
        'name: seven',
        'extends: five',
        'harts:',
        '  - run: f',
        '    regs: { a1: 7 }',
        'claims:',
        '  - sometimes: { final: "cpu1:a1=8" }',
        '```',
        '',
      ].join('\n'),
    );
    const rs = judged(nb);
    const text = renderMarkdown(nb, rs);
    expect(text.match(/\| 1 \| f: add a1,a1,1 \|/g)).toHaveLength(2);
    const a1 = dataBlocks(withStepData(text, { notebook: nb, results: rs })).map((b) => b.run.steps[0].harts[0].changed);
    expect(a1).toEqual([[{ reg: 'a1', value: '0x6' }], [{ reg: 'a1', value: '0x8' }]]);
    // A longer run's table that begins as this one does is another run's: no data goes into it.
    const longer = text.replace('| 1 | f: add a1,a1,1 |\n', '| 1 | f: add a1,a1,1 |\n| 2 | f+0x4: nop |\n');
    expect(dataBlocks(withStepData(longer, { notebook: nb, results: rs })).map((b) => b.run.steps[0].harts[0].changed)).toEqual([[{ reg: 'a1', value: '0x8' }]]);
  });

  it('escapes every < in the data, so that nothing in it closes the script element', () => {
    const blocks = dataBlocks(withData);
    expect(blocks.some((b) => JSON.stringify(b.run).includes('<func>'))).toBe(true);
    for (const b of blocks) expect(b.raw).not.toContain('<');
  });

  it('leaves the Markdown as it is without results', () => {
    expect(withStepData(md, undefined)).toBe(md);
  });

  it('gives the page its data and the script that makes the steppers, the same bytes every time', () => {
    const options = { title: 'three-step.md', assets: '../assets/', judged: { notebook: seed, results } };
    const html = renderHtml(md, options);
    expect(dataBlocks(html)).toHaveLength(dataBlocks(withData).length);
    expect(html).toContain('<script src="../assets/stepper.js"></script>');
    // The run's table stays: the stepper comes after it, for readers with JavaScript.
    expect(html).toMatch(/<\/table>\n<script type="application\/json" class="patchlit-steps">/);
    expect(renderHtml(md, options)).toBe(html);
    expect(renderHtml(renderMarkdown(seed, judged(seed)), options)).toBe(html);
    expect(renderHtml(md, { title: 'three-step.md', assets: '../assets/' })).not.toContain('stepper.js');
  });

  it('ships the stepper script with the assets', () => {
    const asset = htmlAssets().find((a) => a.name === 'stepper.js')!;
    const script = readFileSync(asset.source, 'utf8');
    expect(script).toContain("querySelectorAll('script.patchlit-steps')");
    expect(script).not.toMatch(/fetch\(|XMLHttpRequest|https?:/);
  });
});
