// The hw stage without a machine: what emit refuses, the histogram reader, the comparison
// with the model (a forbidden outcome fails, with its iteration), the endings' words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareHistogram, comparisonText, emitProgram, runOnQemu, parseHistogram, sameOutcome, unsupportedFeatures, HistogramError } from '../../src/hw/index.ts';
import { endingTemplates, finalTemplates } from '../../src/hw/words.ts';
import { place, moved } from '../../src/hw/layout.ts';
import { readNotebook, ScenarioError, type Scenario } from '../../src/scenario/index.ts';
import { main } from '../../src/cli/main.ts';

const SEED = 'scenarios/seed/three-step.md';
const named = (file: string, name: string): Scenario => readNotebook(file, readFileSync(file, 'utf8')).entries.find((e) => e.scenario.name === name)!.scenario;
const COHERENT = { fetch: 'coherent' as const, atomicity: { kind: 'ziccif' as const } };

describe('emit', () => {
  it('refuses what it cannot run yet, naming it, at the scenario', () => {
    const sbi = named('scenarios/model/ipi.md', 'sbi-sent');
    expect(unsupportedFeatures(sbi, 'bare')).toEqual(['SBI calls on bare metal (no firmware here: --target sbi runs them)']);
    expect(unsupportedFeatures(sbi)).toEqual([]);
    expect(unsupportedFeatures(named(SEED, 'three-step'), 'sbi')).toEqual([]);
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

  it('runs a scenario that makes SBI calls in supervisor mode under OpenSBI, and refuses an ECALL of its own there', () => {
    const prog = emitProgram(named('scenarios/model/ipi.md', 'sbi-completed'), { iterations: 5 });
    expect(prog.target).toBe('sbi');
    expect(prog.qemuArgs).toEqual(expect.arrayContaining(['-bios', 'default']));
    expect(prog.buildArgs).toEqual(expect.arrayContaining(['-DHW_SBI', 'sbi.c']));
    expect(prog.buildArgs).not.toContain('bare.c');
    expect(prog.files.get('link.ld')).toContain('. = 0x80200000;');
    expect(prog.files.get('scenario.S')).toMatch(/# SBI remote fence.i[^\n]*\n\tcall hw_step_delay\n\tli a0, 0x2\n\tcall hw_remote_fence_i/);
    const bare = emitProgram(named(SEED, 'three-step'), { iterations: 5 });
    expect([bare.target, bare.files.get('link.ld')?.includes('. = 0x80000000;')]).toEqual(['bare', true]);
    const nb = readNotebook('ecall.yaml', 'name: own-ecall\ncode:\n  f: { at: 0x80001000, asm: "ecall" }\nharts:\n  - run: f\nclaims:\n  - never: crash\n');
    expect(unsupportedFeatures(nb.entries[0].scenario, 'sbi')).toEqual([expect.stringMatching(/^an ECALL in the scenario's code under SBI firmware/)]);
    expect(unsupportedFeatures(nb.entries[0].scenario, 'bare')).toEqual([]);
  });

  it('moves everything with the RAM base a board has, and builds a flat image to boot there, not a QEMU run', () => {
    const s = named(SEED, 'three-step');
    const prog = emitProgram(s, { iterations: 5, target: 'sbi', ramBase: 0x4000_0000n });
    expect(prog.files.get('link.ld')).toContain('. = 0x40200000;');
    expect(prog.placement.imageBase).toBe(0x4100_0000n);
    expect(moved(prog.placement, s.symbols.get('func')!) & 0x1fffffn).toBe(s.symbols.get('func')! & 0x1fffffn);
    const region = BigInt(/hw_regions\[\] = \{\n  \{(0x[0-9a-f]+)ull/.exec(prog.files.get('scenario.c')!)![1]);
    expect(region >= 0x4100_0000n && region < 0x4100_0000n + (2n << 30n)).toBe(true);
    const script = prog.files.get('build.sh')!;
    expect(script).toContain('booti 0x40200000');
    expect(script).toContain('riscv64-unknown-elf-objcopy -O binary');
    expect(script).not.toContain('qemu-system-riscv64');
    expect(runOnQemu(prog, { timeoutSeconds: 1 }).problem).toMatch(/^QEMU's virt machine has its RAM at 0x80000000; this program was emitted for RAM at 0x40000000/);
  });

  it("does a service stub's routine for the hart that calls it, and moves a page's base with the code", () => {
    const ipi = named('scenarios/model/services.md', 'ipi-with-fence');
    expect(unsupportedFeatures(ipi)).toEqual([]);
    // Both tasks are targets; the runtime leaves out the one that calls it.
    expect(emitProgram(ipi, { iterations: 1 }).files.get('scenario.c')).toMatch(/\{0x[0-9a-f]+ull, 1, "flush_icache_all", HW_SERVICE_IPI, 0x6, 3, 0\},/);
    const fixmap = named('scenarios/model/services.md', 'fixmap-mutex');
    const prog = emitProgram(fixmap, { iterations: 1 });
    expect(prog.files.get('scenario.c')).toMatch(/"mutex_lock", HW_SERVICE_LOCK, 0, 0, 0\},/);
    // cpu1's a0 is func_a's page, below every piece: an address all the same.
    const page = 0xffffffff80020000n;
    expect(prog.files.get('scenario.c')).toContain(`0x${moved(prog.placement, page).toString(16)}ull`);
  });

  it('moves far-apart pieces as clusters of their own, a CALL_OPS literal in code with them, and refuses a pointer written in halves', () => {
    const enable = named('scenarios/kernel/ftrace-callops.md', 'enable');
    const prog = emitProgram(enable, { iterations: 1 });
    const [module, kernel] = prog.placement.clusters;
    expect([module.low, kernel.low]).toEqual([0xffffffc6a0002000n, 0xffffffff80011000n]);
    // Each keeps its low 21 bits; the kernel's lands above the module's.
    for (const c of [module, kernel]) expect((c.low + c.delta) & 0x1fffffn).toBe(c.low & 0x1fffffn);
    expect(moved(prog.placement, kernel.low)).toBeGreaterThan(moved(prog.placement, module.high));
    // func-8's literal (.dword ftrace_nop_ops) is a pointer, moved; the instructions beside it are not.
    const literal = moved(prog.placement, enable.symbols.get('ftrace_nop_ops')!);
    const bytes = [...Buffer.from(literal.toString(16).padStart(16, '0'), 'hex').reverse()].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ');
    expect(prog.files.get('scenario.S')).toContain(`\t.byte ${bytes.split(', ')[0]}`);
    expect(prog.files.get('scenario.c')).toContain(bytes);
    const halves = named('scenarios/kernel/ftrace-callops.md', 'disable-halves');
    expect(() => emitProgram(halves, { iterations: 1 })).toThrow(/emit does not support a pointer written in parts yet \(scenario "disable-halves": store ftrace_nop_ops & 0xffffffff \(4 bytes\) at func-8\)/);
  });

  it('runs the tasks of a scenario with a masked region with interrupts off throughout', () => {
    const taskFlag = (file: string, name: string) => /hw_tasks\[\] = \{\n  \{0x[0-9a-f]+ull, 0x[0-9a-f]+ull, (\d),/.exec(emitProgram(named(file, name), { iterations: 1 }).files.get('scenario.c')!)![1];
    expect([taskFlag('scenarios/model/ipi.md', 'masked-sbi'), taskFlag('scenarios/model/ipi.md', 'sbi-completed')]).toEqual(['0', '1']);
  });

  it("turns a kprobe's emulated instructions into C, and refuses one it has no C for", () => {
    const far = named('scenarios/model/kprobes.md', 'emulate-far-call');
    const c = emitProgram(far, { iterations: 1 }).files.get('scenario.c')!;
    // AUIPC' and JALR' as at the trapping pc and the next: t0 from the pc, then the jump and its link.
    expect(c).toMatch(/static u64 hw_emulate0\(u64 \*r, u64 at, u64 len\) \{\n  \(void\)r;\n  u64 next = at \+ len;\n  \/\* AUIPC' \*\/\n  r\[5\] = \(at \+ 0\) \+ \(u64\)-?\d+ll;\n  next = at \+ 4;\n  \/\* JALR' \*\/\n  \{ u64 to = \(r\[5\] \+ \(u64\)-?\d+ll\) & ~1ull;\n  r\[5\] = \(at \+ 4\) \+ 4;\n  next = to; \}\n  return next;\n\}/);
    expect(c).toMatch(/hw_handlers\[\] = \{\n  \{3, 1, 0x[0-9a-f]+ull, 0, 1, hw_emulate0, "kprobe"\},/);
    const mul = readNotebook('k.yaml', 'name: k\ncode:\n  f: { at: 0x80001000, asm: "ebreak\\nret" }\ntraps:\n  - { on: ebreak, at: f, emulate: "mul a0, a0, a1" }\nharts:\n  - calls: f\nclaims:\n  - never: crash\n').entries[0].scenario;
    expect(unsupportedFeatures(mul)).toEqual(['a trap handler that emulates mul a0, a0, a1']);
  });

  it('runs FENCE.I first in the IPI handler when every IPI step asks for the bare handler', () => {
    const handler = (name: string) => /hw_ipi_bare_handler = (\d)/.exec(emitProgram(named('scenarios/model/ipi.md', name), { iterations: 1 }).files.get('scenario.c')!)![1];
    expect([handler('bare-handler'), handler('request-handler'), handler('sync-ipi')]).toEqual(['1', '0', '0']);
  });

  it("writes the final values in herd's words, cut where the machine's values go", () => {
    expect(finalTemplates(named(SEED, 'three-step'))).toBeUndefined();
    const t = finalTemplates(named('scenarios/model/fences.md', 'handshake-fence-tso'))!;
    expect(t.pieces.map((p) => p.before)).toEqual(['patcher:a0=', '; remote:a0=']);
    expect(t.after).toBe(';');
    // A litmus test's values are decimal, or named as the test names them.
    const litmus = readNotebook('CoRF.litmus', readFileSync('../shared/litmus/riscv-ifetch/CoRF.litmus', 'utf8')).entries[0].scenario;
    expect(unsupportedFeatures(litmus)).toEqual([]);
    expect(finalTemplates(litmus)).toEqual({ pieces: [{ before: '1:s0=', loc: 0 }, { before: '; 1:s1=', loc: 1 }], after: ';' });
    const lc = emitProgram(litmus, { iterations: 5 }).files.get('scenario.c')!;
    expect(lc).toContain('{0x200f93ull, "instr:\\"li t6, 2\\""},');
    expect(lc).toContain('const u64 hw_large_values_hex = 0;');
    const c = emitProgram(named('scenarios/model/fences.md', 'publish-no-fence'), { iterations: 5 }).files.get('scenario.c')!;
    expect(c).toContain('const u64 hw_large_values_hex = 1;');
    expect(c).toMatch(/hw_finals_n = 2;\nconst struct hw_final hw_finals\[\] = \{\n  \{"cpu1:a0=", 0, 1, 10, 0\},\n  \{"; cpu1:a1=", 0, 1, 11, 0\},/);
  });

  it("writes the endings in verdict/words.ts's words, holes where the machine fills them", () => {
    const t = endingTemplates();
    expect(t.complete).toBe('complete');
    expect(t.illegal).toBe('illegal instruction 0x%x at %p on %h');
    expect(t.wild).toBe('wild jump on %h: from %f to %t, where there is no code');
    expect(t.storeFault).toBe('store to unmapped address at %a (pc %p) on %h');
    expect(t.loadFault).toBe('load from unmapped address at %a (pc %p) on %h');
  });

  it('the CLI refuses a scenario emit does not support with a diagnostic and exit 2', async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['emit', 'scenarios/model/ipi.md:219', '--target', 'bare', '--out', '/tmp/patchlit-hw-refused'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/^scenarios\/model\/ipi.md:219:1: error: emit does not support SBI calls on bare metal .* yet/m);
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

  it('reads why the machine stopped early, and the comparison says it', () => {
    const h = parseHistogram(text.replace('patchlit hw: end', 'patchlit hw: stopped after iteration 10: a task running with interrupts off did not end\npatchlit hw: end'), 'h.txt');
    expect(h.stopped).toBe('after iteration 10: a task running with interrupts off did not end');
    expect(comparisonText(compareHistogram(named(SEED, 'three-step'), h, COHERENT))).toContain('  the machine stopped after iteration 10: a task running with interrupts off did not end');
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

  it("matches final values after a crash, and a run that did not end, to the model's, and nothing else", () => {
    const crash = 'wild jump on cpu1: from func to 0x80001800, where there is no code; cpu1: no calls; cpu1:a0=1; cpu1:a1=0x80001000;';
    expect(sameOutcome('wild jump on cpu1: from ? to 0x80001800, where there is no code; cpu1: no calls; cpu1:a0=?; cpu1:a1=?;', crash)).toBe(true);
    expect(sameOutcome('wild jump on cpu1: from ? to 0x80001800, where there is no code; cpu1: no calls; cpu1:a0=?; cpu1:a2=?;', crash)).toBe(false);
    expect(sameOutcome('complete; cpu1: no calls; cpu1:a0=?;', 'complete; cpu1: no calls; cpu1:a0=1;')).toBe(true);
    const loop = 'deadlock: no run from here ends, it loops for ever: cpu1 waits; for cpu2; cpu1: f; cpu1:a0=0;';
    expect(sameOutcome('deadlock: ?; cpu1: f; cpu1:a0=?;', loop)).toBe(true);
    expect(sameOutcome('deadlock: ?; cpu1: g; cpu1:a0=?;', loop)).toBe(false);
    expect(sameOutcome('deadlock: ?; cpu1: f; cpu1:a0=?;', 'complete; cpu1: f; cpu1:a0=0;')).toBe(false);
    // A `?` the author wrote elsewhere is a character like any other.
    expect(sameOutcome('complete; why?; cpu1: f', 'complete; whyX; cpu1: f')).toBe(false);
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
