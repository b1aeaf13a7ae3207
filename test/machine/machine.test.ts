import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/explore.ts';
import { Deadline, Machine, OutOfTime } from '../../src/machine/index.ts';
import type { MachineEvent, MachineState } from '../../src/machine/types.ts';
import type { FetchConfigName } from '../../src/scenario/index.ts';
import { outcomes, pairSite, PATCH_ONE_WORD, run, scenario, under } from '../helpers.ts';

const withModel = (yaml: string, fetch: string) => yaml.replace('name: one-word', `name: one-word\nmodel: { fetch: ${fetch} }`);

const model = (fetch: FetchConfigName) => ({ fetch, stores: 'rvwmo' as const, atomicity: { kind: 'ziccif' as const }, fenceI: 'transitive' as const });

/** Takes the first step of `kind` (and, for exec, whose events satisfy `pick`). */
function stepper(m: Machine) {
  let st: MachineState = m.initial();
  return {
    get state() {
      return st;
    },
    take(kind: string, pick: (events: readonly MachineEvent[]) => boolean = () => true) {
      const succ = m.successors(st).find((x) => x.transition.kind === kind && pick(x.events));
      if (!succ) throw new Error(`no ${kind} step enabled`);
      st = succ.state;
      return succ.events;
    },
    options(kind: string) {
      return m.successors(st).filter((x) => x.transition.kind === kind);
    },
  };
}

describe('instruction fetch', () => {
  it('coherent: a fetch after the store sees the new word', () => {
    expect(outcomes(run(withModel(PATCH_ONE_WORD, 'coherent')))).toEqual(['complete: new_target', 'complete: old_target']);
  });

  it('ziccif-only: without FENCE.I a hart may still fetch the old word long after the store', () => {
    const m = new Machine(scenario(PATCH_ONE_WORD).system, model('ziccif-only'));
    const run = stepper(m);
    run.take('patch'); // the store
    run.take('exec'); // cpu1: jal ra, func
    const fetches = run.options('exec').map((x) => x.events[0]);
    expect(fetches.map((e) => e.kind === 'exec' && e.stale)).toEqual([true, false]);
  });

  it('FENCE.I in the IPI handler closes the window: the handler acquires the request that followed the store', () => {
    const yaml = PATCH_ONE_WORD.replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }');
    const m = new Machine(scenario(yaml).system, model('ziccif-only'));
    const run = stepper(m);
    run.take('patch'); // the store
    run.take('patch'); // the IPI
    run.take('take-ipi'); // FENCE.I in the handler
    run.take('trap-return');
    run.take('exec'); // cpu1: jal ra, func
    const fetches = run.options('exec');
    expect(fetches).toHaveLength(1);
    expect(fetches[0].events[0]).toMatchObject({ stale: false });
  });

  it('reads a 32-bit instruction straddling two words in two atomic pieces, which can tear; a line of 8 bytes cannot', async () => {
    const { assemble } = await import('../../src/isa/index.ts');
    const symbols = (n: string) => ({ a: 0x9000n, b: 0x9800n })[n as 'a' | 'b'];
    const next = assemble('c.nop\njal zero, b\nc.nop', 0x8000n, symbols).bytes;
    const word = (i: number) => next[i] | (next[i + 1] << 8) | (next[i + 2] << 16) | (next[i + 3] << 24);
    const yaml = (atomicity: string) => `
name: straddle
model: { atomicity: ${atomicity} }
stubs:
  a: { at: 0x9000, return: ra }
  b: { at: 0x9800, return: ra }
code:
  func:
    at: 0x8000
    asm: |
      c.nop
      jal zero, a
      c.nop
patch:
  - store: { at: func, value: ${(BigInt(word(4) >>> 0) << 32n) | BigInt(word(0) >>> 0)}, size: 8 }
harts:
  - calls: func
`;
    // One 8-byte store changes both halves at once: a JAL to neither target means a
    // fetch read one half before the store and the other after it.
    const kinds = outcomes(run(yaml('ziccif')));
    expect(kinds).toContain('complete: a');
    expect(kinds).toContain('complete: b');
    expect(kinds.some((o) => o.startsWith('wild-jump'))).toBe(true);
    expect(outcomes(run(yaml('line 8')))).toEqual(['complete: a', 'complete: b']);
    expect(outcomes(run(yaml('parcel'))).some((o) => o.startsWith('wild-jump'))).toBe(true);
  });

  it('parcel: even an aligned 32-bit instruction is read a parcel at a time, and tears', () => {
    const yaml = (atomicity: string) => `
name: aligned
model: { atomicity: ${atomicity} }
symbols: { a: 0x9000, b: 0x7a000 }
stubs:
  a: { return: ra }
  b: { return: ra }
code:
  func:
    at: 0x8000
    asm: |
      j a
insns:
  FAR: j b
patch:
  - store: { at: func, insn: FAR }
harts:
  - calls: func
`;
    expect(outcomes(run(yaml('ziccif')))).toEqual(['complete: a', 'complete: b']);
    expect(outcomes(run(yaml('parcel'))).some((o) => o.startsWith('wild-jump'))).toBe(true);
  });
});

describe('IPIs and trap return', () => {
  const rewinding = `${pairSite('rewind', '0x80020000')}insns:
  NEWHI: auipc t0, %hi(t_new - func)
patch:
  - store: { at: func, insn: NEWHI }
  - ipi: { sync: true }
trap-return:
  - { name: rewind, when: "jalr t0, *(t0)", resume: sepc - 4 }
harts:
  - calls: func
`;
  const interruptedBetween = (yaml: string) => {
    const run = stepper(new Machine(scenario(yaml).system, model('ziccif-only')));
    run.take('exec'); // jal ra, func
    run.take('exec'); // auipc (old)
    run.take('patch'); // store the new AUIPC
    run.take('patch'); // send the IPI
    run.take('take-ipi');
    return run.take('trap-return') as MachineEvent[];
  };

  it('the rewind fixup resumes at sepc-4 when the word at sepc matches, read with a data load', () => {
    expect(scenario(rewinding).system.fixups).toEqual([{ name: 'rewind', mask: 0xfffff, match: 0x282e7, adjust: -4n }]);
    expect(interruptedBetween(rewinding)).toEqual([
      { kind: 'load', hart: 0, addr: 0x80000004n, size: 4, value: 0x282e7n, stale: false },
      { kind: 'trap-return', hart: 0, sepc: 0x80000004n, resume: 0x80000000n, fixup: 'rewind' },
    ]);
  });

  it('without it, the trap returns to sepc: the JALR runs with the old AUIPC\'s t0', () => {
    const plain = rewinding.replace(/trap-return:\n.*\n/, '');
    expect(interruptedBetween(plain).at(-1)).toEqual({ kind: 'trap-return', hart: 0, sepc: 0x80000004n, resume: 0x80000004n, fixup: undefined });
  });

  it('a synchronous IPI waits for every acknowledgement; an idle hart still takes it', () => {
    const r = run(PATCH_ONE_WORD.replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }\n  - fence.i'));
    for (const c of r.configs) expect(c.outcomes.every((o) => o.ending.kind === 'complete')).toBe(true);
  });
});

describe('how runs end', () => {
  it('a jump to an address with neither code nor stub is a wild jump', () => {
    const r = run(PATCH_ONE_WORD.replace('NEW: j new_target', 'NEW: j 0x80000600'));
    const wild = under(r).outcomes.find((o) => o.ending.kind === 'wild-jump')!;
    expect(wild.ending).toMatchObject({ kind: 'wild-jump', from: 0x80000000n, to: 0x80000600n });
  });

  it('an illegal instruction ends the run', () => {
    const r = run(PATCH_ONE_WORD.replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, value: 0xffffffff, size: 4 }'));
    expect(under(r).outcomes.map((o) => o.ending.kind).sort()).toEqual(['complete', 'illegal-instruction']);
  });

  it('an unhandled EBREAK ends the run', () => {
    const r = run(PATCH_ONE_WORD.replace('NEW: j new_target', 'NEW: ebreak'));
    expect(under(r).outcomes.map((o) => o.ending.kind).sort()).toEqual(['breakpoint', 'complete']);
  });

  it('a state where someone waits forever is a deadlock', () => {
    const m = new Machine(scenario(PATCH_ONE_WORD).system, model('ziccif-only'));
    const idle = m.initial();
    const stuck: MachineState = {
      ...idle,
      harts: idle.harts.map((h) => ({ ...h, pc: m.program.harts[0].idleAt, id: undefined })),
      patchers: [{ ...idle.patchers[0], step: 1, waiting: 1 }],
    };
    expect(m.successors(stuck)).toEqual([]);
    expect(m.ending(stuck)).toEqual({ kind: 'deadlock', detail: 'cpu0 waits for the acknowledgement of cpu1' });
  });
});

describe('choice points', () => {
  it('a run replays from its choices to the same events', () => {
    const s = scenario(PATCH_ONE_WORD);
    const m = new Machine(s.system, model('ziccif-only'));
    const r = explore(m, { initial: 0, observe: (o) => o, keyInto: () => {} });
    for (const t of r.terminals) {
      const steps = m.replay(r.choicesTo(t.index));
      expect(m.key(steps[steps.length - 1].state)).toBe(m.key(t.state));
    }
  });

  it('equal states have equal keys however they were reached', () => {
    const m = new Machine(scenario(PATCH_ONE_WORD).system, model('ziccif-only'));
    const s0 = m.initial();
    const first = (s: MachineState, kind: string) => m.successors(s).find((x) => x.transition.kind === kind)!.state;
    const viaPatchFirst = first(first(s0, 'patch'), 'exec');
    const viaExecFirst = first(first(s0, 'exec'), 'patch');
    expect(m.key(viaPatchFirst)).toBe(m.key(viaExecFirst));
  });
});

describe('M and A', () => {
  const program = (body: string, harts = '  - calls: func') => `
name: ma
symbols: { done: 0x9000 }
stubs: { done: { return: ra } }
data:
  counter: { at: 0x8800, asm: ".dword 5" }
code:
  func:
    at: 0x8000
    asm: |
${body
  .trim()
  .split('\n')
  .map((l) => `      ${l.trim()}`)
  .join('\n')}
      j done
    fail:
      ebreak
harts:
${harts}
`.replace('    fail:', '      fail:');

  it('compute as the ISA says: AMOs, LR/SC, multiply, division by zero', () => {
    const r = run(
      program(`
      li t1, 0x8800
      li t2, 3
      amoadd.d t3, t2, (t1)
      li a0, 5
      bne t3, a0, fail
      lr.d t4, (t1)
      addi t4, t4, 1
      sc.d t5, t4, (t1)
      bnez t5, fail
      ld t6, 0(t1)
      li a0, 9
      bne t6, a0, fail
      mulh a1, t6, t6
      bnez a1, fail
      li a2, -7
      li a3, 2
      div a4, a2, a3
      li a5, -3
      bne a4, a5, fail
      rem a4, a2, a3
      li a5, -1
      bne a4, a5, fail
      divu a4, a2, zero
      li a5, -1
      bne a4, a5, fail
      remw a4, a2, zero
      bne a4, a2, fail`),
    );
    expect(outcomes(r)).toEqual(['complete: done']);
  });

  it('an SC fails when another hart stored to the reserved bytes after the LR', () => {
    const yaml = program(
      `
      li t1, 0x8800
      lr.d t4, (t1)
      addi t4, t4, 1
      sc.d t5, t4, (t1)
      beqz t5, done
      j fail`,
      '  - calls: func\n    count: 2',
    );
    // Two harts incrementing with LR/SC: one may lose its reservation to the other's SC.
    const kinds = outcomes(run(yaml)).map((o) => o.split(':')[0]);
    expect(kinds).toContain('complete');
    expect(kinds).toContain('breakpoint');
  });

  it('instructions the model does not execute are refused where they are written', async () => {
    const { unsupportedInstructions } = await import('../../src/machine/index.ts');
    const s = scenario(program('li t1, 1\ncsrr a0, sstatus\nwfi'));
    expect(unsupportedInstructions(s).map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}`)).toEqual([
      '12:7: the model does not execute csrr a0,sstatus (csrrs)',
      '13:7: the model does not execute wfi (wfi)',
    ]);
  });
});

describe('the deadline inside certification', () => {
  /** The patching hart stores code, then a flag: it may promise the flag first (a certification search). */
  const PUBLISH = `
name: publish
data:
  flag: { at: 0x80002000, asm: ".word 0" }
code:
  consumer:
    at: 0x80001000
    asm: |
      lw a0, 0(s0)
      fence.i
      patch_me:
      li a1, 0
insns:
  NEW: li a1, 1
patch:
  - store: { at: patch_me, insn: NEW }
  - store: { at: flag, value: 1, size: 4 }
harts:
  - run: consumer
    regs: { s0: flag }
`;
  const steps = (m: Machine) => m.successors(m.initial()).map((x) => JSON.stringify(x.transition, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)));

  it('a search still running at the deadline throws, and leaves no answer cached: asked again in time, every step is offered', () => {
    let now = 0;
    const m = new Machine(scenario(PUBLISH).system, model('ziccid'), { deadline: new Deadline(10, () => now) });
    now = 20;
    expect(() => m.successors(m.initial())).toThrow(OutOfTime);
    expect(m.incomplete).toBe(false); // out of time is not a certification that gave up
    now = 0;
    const expected = steps(new Machine(scenario(PUBLISH).system, model('ziccid')));
    expect(expected.some((t) => t.includes('"promise"'))).toBe(true);
    expect(steps(m)).toEqual(expected);
  });

  it('replaying a run found earlier is never cut: its choices must index whole lists', () => {
    const promise = steps(new Machine(scenario(PUBLISH).system, model('ziccid'))).findIndex((t) => t.includes('"promise"'));
    const late = new Machine(scenario(PUBLISH).system, model('ziccid'), { deadline: new Deadline(10, () => 20) });
    const [step] = late.replay([promise]);
    expect(step.transition.kind).toBe('promise');
    expect(() => late.successors(step.state)).toThrow(OutOfTime); // and the deadline holds again after
  });
});
