// The hw stage without a machine: what emit refuses, the histogram reader, the comparison
// with the model (a forbidden outcome fails, with its iteration), the endings' words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareHistogram, emitProgram, parseHistogram, sameOutcome, unsupportedFeatures, HistogramError } from '../../src/hw/index.ts';
import { endingTemplates } from '../../src/hw/emit.ts';
import { place, moved } from '../../src/hw/layout.ts';
import { readNotebook, ScenarioError, type Scenario } from '../../src/scenario/index.ts';
import { main } from '../../src/cli/main.ts';

const SEED = 'scenarios/seed/three-step.md';
const named = (file: string, name: string): Scenario => readNotebook(file, readFileSync(file, 'utf8')).entries.find((e) => e.scenario.name === name)!.scenario;
const COHERENT = { fetch: 'coherent' as const, atomicity: { kind: 'ziccif' as const } };

describe('emit', () => {
  it('refuses what it cannot run yet, naming it, at the scenario', () => {
    expect(unsupportedFeatures(named('scenarios/model/ipi.md', 'sbi-sent'))).toEqual(['SBI calls (the bare-metal target has no firmware)']);
    expect(unsupportedFeatures(named('scenarios/model/stop-machine.md', 'preemptible-caller'))).toContain('preemption');
    expect(unsupportedFeatures(named(SEED, 'three-step'))).toEqual([]);
    const s = named('scenarios/model/stop-machine.md', 'two-patchers');
    expect(() => emitProgram(s, { iterations: 1 })).toThrow(ScenarioError);
    expect(() => emitProgram(s, { iterations: 1 })).toThrow(/two-patchers.*emit does not support more than one patching hart yet|emit does not support more than one patching hart yet/);
  });

  it('moves every address by one amount, keeping the low 21 bits', () => {
    const s = named(SEED, 'three-step');
    const p = place(s);
    if (typeof p === 'string') throw new Error(p);
    const func = s.symbols.get('func')!;
    const tramp = s.symbols.get('new_tramp')!;
    expect(moved(p, func) - moved(p, tramp)).toBe(func - tramp);
    expect(moved(p, func) & 0x1fffffn).toBe(func & 0x1fffffn);
    expect(moved(p, tramp)).toBeGreaterThanOrEqual(0x81000000n);
    // The region's bytes go into the program unchanged: the encodings are the scenario's.
    const prog = emitProgram(s, { iterations: 5 });
    const b = s.system.regions[0].bytes;
    const word = (k: number) => (b[k] | (b[k + 1] << 8) | (b[k + 2] << 16) | (b[k + 3] << 24)) >>> 0;
    for (const k of [0, 4]) expect(prog.files.get('scenario.S')).toContain(`.insn 0x${word(k).toString(16)}\t`);
    expect(prog.qemuArgs).toEqual(expect.arrayContaining(['-smp', '2', '-bios', 'none']));
  });

  it("writes the endings in verdict/words.ts's words, holes where the machine fills them", () => {
    const t = endingTemplates(named(SEED, 'three-step'));
    expect(t.complete).toBe('complete');
    expect(t.illegal).toBe('illegal instruction 0x%x at %p on %h');
    expect(t.wild).toBe('wild jump on %h: from %f to %t, where there is no code');
  });

  it('the CLI refuses a scenario emit does not support with a diagnostic and exit 2', async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['emit', 'scenarios/model/ipi.md:219', '--out', '/tmp/patchlit-hw-refused'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/^scenarios\/model\/ipi.md:219:1: error: emit does not support SBI calls .* yet/m);
  });
});

describe('histograms', () => {
  const text = ['QEMU noise', 'patchlit hw: three-step: 10 iterations on 2 harts', '7 complete; cpu1: new_tramp # first at iteration 1', '3 complete; cpu1: no calls', 'patchlit hw: end', ''].join('\n');

  it('reads the lines between the header and the end', () => {
    const h = parseHistogram(text, 'h.txt');
    expect(h).toMatchObject({ scenario: 'three-step', iterations: 10, harts: 2, lost: 0 });
    expect(h.entries).toEqual([
      { count: 7, outcome: 'complete; cpu1: new_tramp', first: 1, line: 3 },
      { count: 3, outcome: 'complete; cpu1: no calls', line: 4 },
    ]);
  });

  it('says where a histogram is wrong or cut short', () => {
    expect(() => parseHistogram(text.replace('3 complete', 'three complete'), 'h.txt')).toThrow(/^h.txt:4:1: not a histogram line/);
    expect(() => parseHistogram(text.replace('patchlit hw: end', ''), 'h.txt')).toThrow(/no end line/);
    expect(() => parseHistogram('boot log only', 'h.txt')).toThrow(HistogramError);
  });

  it("matches a wild jump whose origin the machine cannot know to the model's, and nothing else", () => {
    const model = 'wild jump on cpu1: from func+0x4 to 0xffffffff80012000, where there is no code; cpu1: no calls';
    expect(sameOutcome('wild jump on cpu1: from ? to 0xffffffff80012000, where there is no code; cpu1: no calls', model)).toBe(true);
    expect(sameOutcome('wild jump on cpu1: from ? to 0xffffffff80012004, where there is no code; cpu1: no calls', model)).toBe(false);
    expect(sameOutcome('complete;  cpu1: no calls', 'complete; cpu1: no calls')).toBe(true);
  });
});

describe('comparison', () => {
  it('passes when every outcome seen is allowed, and says how often each allowed one was seen', () => {
    const s = named(SEED, 'three-step');
    const h = parseHistogram('patchlit hw: three-step: 10 iterations on 2 harts\n10 complete; cpu1: no calls # first at iteration 1\npatchlit hw: end\n', 'h');
    const c = compareHistogram(s, h, COHERENT);
    expect(c.forbidden).toEqual([]);
    expect(c.allowed).toEqual([
      { outcome: 'complete; cpu1: ftrace_caller', count: 0 },
      { outcome: 'complete; cpu1: new_tramp', count: 0 },
      { outcome: 'complete; cpu1: no calls', count: 10, first: 1 },
    ]);
  });

  // A histogram QEMU 7.2 printed (test/fixtures/hw): its translator reads the two halves of
  // a 4-byte instruction apart, and ran `j` half of J +8, half of AUIPC'.
  it('fails on an outcome the model forbids, with the first iteration that showed it', async () => {
    const file = 'test/fixtures/hw/three-step-no-rewind.qemu.txt';
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    let status;
    try {
      status = await main(['hw', `${SEED}:200`, '--results', file]);
    } finally {
      process.stdout.write = write;
    }
    expect(status).toBe(1);
    expect(out.join('')).toContain('FORBIDDEN     14  wild jump on cpu1: from ? to 0xffffffff7ffd00e2, where there is no code; cpu1: no calls (first at iteration 24)');
    // Fetching 16 bits at a time without coherence (ziccid, parcel atomicity), the model allows it.
    const c = compareHistogram(named(SEED, 'three-step-no-rewind'), parseHistogram(readFileSync(file, 'utf8'), file), { fetch: 'ziccid', atomicity: { kind: 'parcel' } });
    expect(c.forbidden).toEqual([]);
  });
});
