// Scenarios run on QEMU's virt machine: the program emit writes, built with the cross
// toolchain, on bare metal and in supervisor mode under the OpenSBI QEMU ships, its
// outcomes a subset of the model's. Skipped with what to install when QEMU
// or the toolchain is missing outside CI (test/setup/debian-packages.ts installs them in CI).
//
// QEMU's TCG is meant to keep fetch coherent with stores, but its translator reads a 4-byte
// instruction as two 16-bit parcels: a store between the two reads runs a torn instruction
// (hw.test.ts keeps a histogram that shows it). The configuration that describes it here
// is therefore ziccid with parcel atomicity, not coherent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareHistogram, emitProgram, parseHistogram, runOnQemu, toolsMissing, type HwTarget } from '../../src/hw/index.ts';
import { moved } from '../../src/hw/layout.ts';
import { readNotebook, type Scenario } from '../../src/scenario/index.ts';

const missing = toolsMissing();
if (missing && process.env.CI) throw new Error(`the QEMU tests must run in CI: ${missing}`);
if (missing) console.log(`[hw] QEMU tests skipped: ${missing}`);

const QEMU_TCG = { fetch: 'ziccid' as const, atomicity: { kind: 'parcel' as const } };
const scenariosOf = (file: string) => readNotebook(file, readFileSync(file, 'utf8')).entries.map((e) => e.scenario);
/** Each scenario on its default target (sbi for those that make SBI calls), or the one named. */
const CASES: Array<{ file: string; names: string[]; target?: HwTarget }> = [
  { file: 'scenarios/seed/three-step.md', names: ['three-step', 'three-step-2', 'three-step-no-rewind', 'naive-two-store', 'auipc-nop4-toggle'] },
  { file: 'scenarios/model/ipi.md', names: ['bare-handler', 'request-handler', 'async-ipi', 'sync-ipi'] },
  { file: 'scenarios/model/stop-machine.md', names: ['two-stores', 'stop-machine'] },
  // Under OpenSBI: the kernel's IPI through sbi_send_ipi, stop_machine, and the SBI remote fence.i.
  { file: 'scenarios/seed/three-step.md', names: ['three-step-no-rewind'], target: 'sbi' },
  { file: 'scenarios/model/stop-machine.md', names: ['stop-machine'], target: 'sbi' },
  { file: 'scenarios/model/ipi.md', names: ['sbi-sent', 'sbi-completed'] },
  // A region run with interrupts masked: the firmware's machine-mode IPI is not masked.
  { file: 'scenarios/model/ipi.md', names: ['masked-sbi'] },
  { file: 'scenarios/model/interrupts.md', names: ['rewind-sbi'] },
  // Final registers and memory; after a crash, `?` for each (site-unaligned's wild jump).
  // Not a flag set after code and a remote FENCE.I (sbi-fence-w-o, remote-fence-i): QEMU's
  // multi-threaded TCG can run the old code after the FENCE.I (scenarios/hw/qemu.md), in
  // about 1 of 200 iterations, which would make this file fail at random.
  { file: 'scenarios/model/fences.md', names: ['publish-no-fence', 'handshake-fence-rw-rw'] },
  { file: 'scenarios/kernel/static-keys.md', names: ['site-unaligned'] },
  // Service stubs: flush_icache_all's IPI sent from a task, text_mutex taken and released;
  // a page's base in a register, moved with the code.
  { file: 'scenarios/model/services.md', names: ['ipi-with-fence', 'fixmap-mutex'] },
  // kprobes: emulated AUIPC and JALR; an ebreak armed in halves, whose torn word is sfence.vma.
  { file: 'scenarios/model/kprobes.md', names: ['emulate-far-call'] },
  { file: 'scenarios/kernel/kprobes.md', names: ['arm-misaligned-nosync'] },
  // v6.16's CALL_OPS ftrace: kernel text and a module's ops 228 GiB apart, two clusters.
  { file: 'scenarios/kernel/ftrace-callops.md', names: ['enable'] },
  { file: 'scenarios/kernel/ftrace-call-dest.md', names: ['update-func'] },
  // Litmus tests of the ifetch suite, as litmus7 runs herd's (npm run bench:hw runs them all).
  { file: '../shared/litmus/riscv-ifetch/CoFR+fencei.litmus', names: ['CoFR+fencei'] },
  { file: '../shared/litmus/riscv-ifetch/SB.FF.litmus', names: ['SB.FF'] },
];
/** Few iterations: the file runs beside others on two cores; a machine with three harts spins slower. */
const iterationsOf = (s: Scenario) => (s.system.harts.length > 1 ? 10 : 60);

describe.skipIf(missing !== undefined)('on QEMU', () => {
  for (const { file, names, target } of CASES) {
    for (const s of scenariosOf(file).filter((x) => names.includes(x.name))) {
      it(`${s.name}${target ? ` (${target})` : ''}: every outcome QEMU shows is one the model allows`, () => {
        const run = runOnQemu(emitProgram(s, { iterations: iterationsOf(s), ...(target ? { target } : {}) }), { timeoutSeconds: 30 });
        expect(run.problem).toBeUndefined();
        const h = parseHistogram(run.output, s.name);
        expect(h.entries.reduce((n, e) => n + e.count, 0)).toBe(iterationsOf(s));
        const c = compareHistogram(s, h, QEMU_TCG);
        expect(c.forbidden).toEqual([]);
        expect(c.allowed.some((a) => a.count > 0)).toBe(true);
      }, 40_000);
    }
  }

  // A task that never ends: the watchdog calls it home (or, with interrupts off, ends the
  // run), and the iteration's outcome is the model's endless loop.
  const spin = (extra: string) => readNotebook('spin.yaml', `name: spin\ncode:\n  f: { at: 0x80001000, asm: "li a0, 1\\nj f" }\nharts:\n  - run: f\n${extra}claims:\n  - sometimes: { final: "cpu1:a0=1" }\n`).entries[0].scenario;
  it('takes an iteration that does not end for a deadlock, any the model has, and goes on', () => {
    const s = spin('');
    // A short watchdog (0.1 s at QEMU's 10 MHz) keeps the test short.
    const h = parseHistogram(runOnQemu(emitProgram(s, { iterations: 2, watchdogTicks: 2 ** 20 }), { timeoutSeconds: 30 }).output, s.name);
    expect(h.entries.map((e) => [e.count, e.outcome])).toEqual([[2, 'deadlock: ?; cpu1: no calls; cpu1:a0=?;']]);
    expect(h.stopped).toBeUndefined();
    const c = compareHistogram(s, h, QEMU_TCG);
    expect(c.forbidden).toEqual([]);
    expect(c.allowed).toEqual([{ outcome: 'deadlock: no run from here ends, it loops for ever: cpu1 has not finished; cpu1: no calls; cpu1:a0=1;', count: 2, first: 1 }]);
  }, 40_000);
  it('stops the run at a task that does not end with interrupts off, and says so', () => {
    const s = spin('    interrupts: none\n');
    const h = parseHistogram(runOnQemu(emitProgram(s, { iterations: 5, watchdogTicks: 2 ** 20 }), { timeoutSeconds: 30 }).output, s.name);
    expect([h.iterations, h.stopped]).toEqual([1, 'after iteration 1: a task running with interrupts off did not end']);
    expect(h.entries.map((e) => e.outcome)).toEqual(['deadlock: ?; cpu1: no calls; cpu1:a0=?;']);
  }, 40_000);

  // An access outside every region: the model's fault, in its words, on both targets.
  for (const [target, access] of [['bare', 'sw a1, 0(a0)'], ['sbi', 'lw a1, 0(a0)']] as const) {
    it(`takes an access fault for the model's access outside every region (${target}, ${access.split(' ')[0]})`, () => {
      const s = readNotebook('stray.yaml', `name: stray\ncode:\n  f: { at: 0x80001000, asm: "li a0, 0x844\\n${access}" }\nharts:\n  - run: f\nclaims:\n  - sometimes: fault\n`).entries[0].scenario;
      const h = parseHistogram(runOnQemu(emitProgram(s, { iterations: 3, target }), { timeoutSeconds: 30 }).output, s.name);
      const words = access.startsWith('sw') ? 'store to' : 'load from';
      expect(h.entries.map((e) => [e.count, e.outcome])).toEqual([[3, `${words} unmapped address at 0x844 (pc f+0x8) on cpu1; cpu1: no calls`]]);
      expect(compareHistogram(s, h, QEMU_TCG).forbidden).toEqual([]);
    }, 40_000);
  }

  const dir = mkdtempSync(join(tmpdir(), 'patchlit-hw-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("puts the scenario's instructions at its moved addresses, encoded as patchlit lists them", () => {
    const s = scenariosOf('scenarios/seed/three-step.md')[0];
    const program = emitProgram(s, { iterations: 1 });
    runOnQemu(program, { timeoutSeconds: 30, keep: dir });
    const dump = spawnSync('riscv64-unknown-elf-objdump', ['-d', '-j', '.hw_region0', join(dir, 'prog.elf')], { encoding: 'utf8' }).stdout;
    // objdump's lines: "    8101f840:\t8a3b7297          \tauipc\tt0,0x8a3b7"
    const words = new Map([...dump.matchAll(/^\s*([0-9a-f]+):\s+([0-9a-f]+)\s+(\S+)/gm)].map((m) => [BigInt(`0x${m[1]}`), { bits: parseInt(m[2], 16), mnemonic: m[3] }]));
    const func = s.listing.filter((l) => l.region === 'func');
    expect(func.length).toBe(3);
    for (const l of func) {
      const at = moved(program.placement, l.addr);
      expect(words.get(at)?.bits).toBe(l.bits);
      expect(words.get(at)?.mnemonic).toBe(l.source.trim().split(/\s+/)[0]);
    }
  }, 40_000);

  it('boots under OpenSBI as a kernel does: a flat image with the Linux image header', () => {
    const s = scenariosOf('scenarios/seed/three-step.md')[0];
    const keep = join(dir, 'sbi');
    const run = runOnQemu(emitProgram(s, { iterations: 1, target: 'sbi' }), { timeoutSeconds: 30, keep });
    expect(run.problem).toBeUndefined();
    const image = readFileSync(join(keep, 'prog.bin'));
    expect(image.readUInt32LE(0) & 0x7f).toBe(0x6f); // a JAL over the header
    expect(image.readBigUInt64LE(8)).toBe(0x200000n); // text_offset
    expect(image.readBigUInt64LE(16)).toBe(BigInt(image.length)); // image_size: the whole runtime, .bss included
    expect(image.subarray(0x30, 0x3c).toString('latin1')).toBe('RISCV\0\0\0RSC\x05');
    expect(parseHistogram(run.output, s.name).entries.reduce((n, e) => n + e.count, 0)).toBe(1);
  }, 40_000);
});
