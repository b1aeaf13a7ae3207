import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/explore.ts';
import { Machine } from '../../src/machine/index.ts';
import type { MachineEvent, MachineState } from '../../src/machine/types.ts';
import { outcomes, pairSite, PATCH_ONE_WORD, run, scenario } from '../helpers.ts';

const withModel = (yaml: string, fetch: string) => yaml.replace('name: one-word', `name: one-word\nmodel: { fetch: ${fetch} }`);

describe('instruction fetch', () => {
  it('coherent: a fetch after the store sees the new word', () => {
    expect(outcomes(run(withModel(PATCH_ONE_WORD, 'coherent')))).toEqual(['complete: new_target', 'complete: old_target']);
  });

  it('window: without FENCE.I a hart may still fetch the old word long after the store', () => {
    const s = scenario(PATCH_ONE_WORD);
    const m = new Machine(s.system);
    // Store first, then let the remote hart run: both words are fetchable.
    let st = m.initial();
    const patch = m.enabled(st).find((t) => t.kind === 'patch')!;
    st = m.apply(st, patch).state;
    const jal = m.enabled(st).find((t) => t.kind === 'exec')!;
    st = m.apply(st, jal).state; // cpu1: jal ra, func
    const fetches = m.enabled(st).filter((t) => t.kind === 'exec');
    expect(fetches.map((t) => t.kind === 'exec' && t.stale)).toEqual([false, true]);
  });

  it('window: FENCE.I (in the IPI handler) closes the window', () => {
    const yaml = PATCH_ONE_WORD.replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }');
    const m = new Machine(scenario(yaml).system);
    let st = m.initial();
    const step = (kind: string) => (st = m.apply(st, m.enabled(st).find((t) => t.kind === kind)!).state);
    step('patch'); // the store
    step('patch'); // the IPI
    step('take-ipi'); // FENCE.I in the handler
    step('trap-return');
    step('exec'); // cpu1: jal ra, func
    const fetches = m.enabled(st).filter((t) => t.kind === 'exec');
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toMatchObject({ stale: false });
  });

  it('reads a 32-bit instruction straddling two words in two atomic pieces, which can tear', async () => {
    const { assemble } = await import('../../src/isa/index.ts');
    const symbols = (n: string) => ({ a: 0x9000n, b: 0x9800n })[n as 'a' | 'b'];
    const next = assemble('c.nop\njal zero, b\nc.nop', 0x8000n, symbols).bytes;
    const word = (i: number) => next[i] | (next[i + 1] << 8) | (next[i + 2] << 16) | (next[i + 3] << 24);
    const yaml = `
name: straddle
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
  - store: { at: func, value: ${word(0) >>> 0}, size: 4 }
  - store: { at: func+4, value: ${word(4) >>> 0}, size: 4 }
harts:
  - calls: func
`;
    const kinds = outcomes(run(yaml));
    expect(kinds).toContain('complete: a');
    expect(kinds).toContain('complete: b');
    // Old low half with new high half (or the reverse) is a JAL to neither: a torn fetch.
    expect(kinds.some((o) => o.startsWith('wild-jump'))).toBe(true);
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
    const m = new Machine(scenario(yaml).system);
    let st: MachineState = m.initial();
    const take = (kind: string) => {
      const t = m.enabled(st).find((x) => x.kind === kind)!;
      const r = m.apply(st, t);
      st = r.state;
      return r.events;
    };
    take('exec'); // jal ra, func
    take('exec'); // auipc (old)
    take('patch'); // store the new AUIPC
    take('patch'); // send the IPI
    take('take-ipi');
    return take('trap-return') as MachineEvent[];
  };

  it('the rewind fixup resumes at sepc-4 when the word at sepc matches, read with a data load', () => {
    expect(scenario(rewinding).system.fixups).toEqual([{ name: 'rewind', mask: 0xfffff, match: 0x282e7, adjust: -4n }]);
    expect(interruptedBetween(rewinding)).toEqual([{ kind: 'trap-return', hart: 0, sepc: 0x80000004n, resume: 0x80000000n, fixup: 'rewind' }]);
  });

  it('without it, the trap returns to sepc: the JALR runs with the old AUIPC\'s t0', () => {
    const plain = rewinding.replace(/trap-return:\n.*\n/, '');
    expect(interruptedBetween(plain)).toEqual([{ kind: 'trap-return', hart: 0, sepc: 0x80000004n, resume: 0x80000004n, fixup: undefined }]);
  });

  it('a synchronous IPI waits for every acknowledgement; an idle hart still takes it', () => {
    const r = run(PATCH_ONE_WORD.replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }\n  - fence.i'));
    expect(r.outcomes.every((o) => o.ending.kind === 'complete')).toBe(true);
  });
});

describe('how runs end', () => {
  it('a jump to an address with neither code nor stub is a wild jump', () => {
    const r = run(PATCH_ONE_WORD.replace('NEW: j new_target', 'NEW: j 0x80000600'));
    const wild = r.outcomes.find((o) => o.ending.kind === 'wild-jump')!;
    expect(wild.ending).toMatchObject({ kind: 'wild-jump', from: 0x80000000n, to: 0x80000600n });
  });

  it('an illegal instruction ends the run', () => {
    const r = run(PATCH_ONE_WORD.replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, value: 0xffffffff, size: 4 }'));
    expect(r.outcomes.map((o) => o.ending.kind).sort()).toEqual(['complete', 'illegal-instruction']);
  });

  it('an unhandled EBREAK ends the run', () => {
    const r = run(PATCH_ONE_WORD.replace('NEW: j new_target', 'NEW: ebreak'));
    expect(r.outcomes.map((o) => o.ending.kind).sort()).toEqual(['breakpoint', 'complete']);
  });

  it('a state where someone waits forever is a deadlock', () => {
    const m = new Machine(scenario(PATCH_ONE_WORD).system);
    const idle = m.initial();
    const stuck: MachineState = {
      ...idle,
      harts: idle.harts.map((h) => ({ ...h, pc: m.program.harts[0].idleAt, id: undefined })),
      patchers: [{ step: 1, waiting: 1 }],
    };
    expect(m.enabled(stuck)).toEqual([]);
    expect(m.ending(stuck)).toEqual({ kind: 'deadlock', detail: 'cpu0 waits for the acknowledgement of cpu1' });
  });
});

describe('choice points', () => {
  it('a run replays from its choices to the same events', () => {
    const s = scenario(PATCH_ONE_WORD);
    const m = new Machine(s.system);
    const r = explore(m, { initial: 0, observe: (o) => o, key: () => '' });
    for (const t of r.terminals) {
      const steps = m.replay(r.choicesTo(t.index));
      expect(m.key(steps[steps.length - 1].state)).toBe(m.key(t.state));
    }
  });

  it('equal states have equal keys however they were reached', () => {
    const m = new Machine(scenario(PATCH_ONE_WORD).system);
    const s0 = m.initial();
    const ts = m.enabled(s0);
    const viaPatchFirst = m.apply(m.apply(s0, ts.find((t) => t.kind === 'patch')!).state, ts.find((t) => t.kind === 'exec')!).state;
    const viaExecFirst = (() => {
      const s1 = m.apply(s0, ts.find((t) => t.kind === 'exec')!).state;
      return m.apply(s1, m.enabled(s1).find((t) => t.kind === 'patch')!).state;
    })();
    expect(m.key(viaPatchFirst)).toBe(m.key(viaExecFirst));
  });
});
