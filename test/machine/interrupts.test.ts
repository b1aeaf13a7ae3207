// The kernel's patching mechanics, each shown to matter: every test runs a scenario with
// the mechanism and without it (or with its weaker option) and expects a different answer,
// so that a mechanism that silently stopped doing anything would fail here.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/index.ts';
import type { MachineEvent, MachineState } from '../../src/machine/types.ts';
import { Names, stepText } from '../../src/report/index.ts';
import { explore } from '../../src/explore/explore.ts';
import { executedPredicates, scenarioObserver } from '../../src/verdict/observer.ts';
import { stateKey, symmetryGroups } from '../../src/verdict/symmetry.ts';
import { pairSite, reachableEvents, run, scenario, under } from '../helpers.ts';

/**
 * Message passing through a remote FENCE.I: the patching hart stores `li a1, 1` over
 * `li a1, 0`, makes the remote FENCE.I happen (STEP), then sets `flag`. The reader loads
 * the flag and runs the patched instruction. "Stale" is a0=1, a1=0: it saw the flag, which
 * was set after its FENCE.I, and still ran the old instruction.
 */
function messagePassing(steps: string, opts: { fetch?: string; masked?: boolean } = {}): string {
  return `
name: mp
model: { fetch: ${opts.fetch ?? 'ziccif-only'} }
data:
  flag: { at: 0x80002000, asm: ".word 0" }
code:
  reader:
    at: 0x80001000${opts.masked ? '\n    interrupts: masked' : ''}
    asm: |
      la t2, flag
      lw a0, 0(t2)
      patch_me:
      li a1, 0
patch:
  - store: { at: patch_me, insn: "li a1, 1" }
${steps
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
  - store: { at: flag, value: 1, size: 4 }
harts:
  - name: reader
    run: reader
claims:
  - sometimes: { final: "reader:a0=1 /\\\\ reader:a1=0" }
  - sometimes: { final: "reader:a0=1 /\\\\ reader:a1=1" }
`;
}

/** Whether the reader can see the flag and run the old instruction. */
const stale = (yaml: string) => under(run(yaml)).claims[0].verdict === 'pass';
/** Whether the reader can see the flag at all (so the first answer is not vacuous). */
const seesFlag = (yaml: string) => under(run(yaml)).claims[1].verdict === 'pass';

describe('remote FENCE.I by IPI', () => {
  it('a handler that loads the request anchors its FENCE.I to the patch; a bare FENCE.I is anchored to nothing (ziccif-only)', () => {
    expect(stale(messagePassing('- ipi: { sync: true, handler: request }'))).toBe(false);
    expect(stale(messagePassing('- ipi: { sync: true, handler: bare }'))).toBe(true);
    expect(seesFlag(messagePassing('- ipi: { sync: true, handler: request }'))).toBe(true);
  });

  it('under ziccid a bare handler is enough: fetches are reads in the global memory order, after the interrupt (the manual\'s FENCE W,O + IPI recipe)', () => {
    expect(stale(messagePassing('- ipi: { sync: true, handler: bare }', { fetch: 'ziccid' }))).toBe(false);
    expect(stale(messagePassing('- ipi: { sync: true, handler: bare }', { fetch: 'ir3-fetch' }))).toBe(true);
    expect(stale(messagePassing('- ipi: { sync: true, handler: bare }', { fetch: 'coherent' }))).toBe(false);
    // The interrupt anchors the FENCE.I only to what its raise was ordered after.
    expect(stale(messagePassing('- sbi: { completion: completed, ordered: false }', { fetch: 'ziccid' }))).toBe(true);
    expect(stale(messagePassing('- fence w,o\n- sbi: { completion: completed, ordered: false }', { fetch: 'ziccid' }))).toBe(false);
  });

  it('an asynchronous IPI lets the next store overtake the remote FENCE.I', () => {
    expect(stale(messagePassing('- ipi: { sync: false }'))).toBe(true);
  });

  it('is not taken where interrupts are masked: the synchronous sender waits until the reader is done', () => {
    expect(seesFlag(messagePassing('- ipi: { sync: true }', { masked: true }))).toBe(false);
    expect(seesFlag(messagePassing('- ipi: { sync: true }'))).toBe(true);
  });
});

describe('the SBI remote fence.i call', () => {
  it('returning when the request is sent promises nothing about the remote FENCE.I; returning when completed does', () => {
    expect(stale(messagePassing('- sbi: { completion: sent, ordered: true }'))).toBe(true);
    expect(stale(messagePassing('- sbi: { completion: completed, ordered: true }'))).toBe(false);
  });

  it('a firmware that does not order the caller\'s stores needs fence w,o before the call; fence w,w does not do', () => {
    expect(stale(messagePassing('- sbi: { completion: completed, ordered: false }'))).toBe(true);
    expect(stale(messagePassing('- fence w,w\n- sbi: { completion: completed, ordered: false }'))).toBe(true);
    expect(stale(messagePassing('- fence w,o\n- sbi: { completion: completed, ordered: false }'))).toBe(false);
  });

  it('under stores: sc the call comes after every earlier store, device output included', () => {
    const sc = (yaml: string) => yaml.replace('model: { fetch: ziccif-only }', 'model: { fetch: ziccif-only, stores: sc }');
    expect(stale(sc(messagePassing('- sbi: { completion: completed, ordered: false }')))).toBe(false);
    expect(stale(sc(messagePassing('- sbi: { completion: sent, ordered: false }')))).toBe(true);
  });

  it('interrupts the hart in machine mode: masked supervisor interrupts do not hold it off', () => {
    expect(seesFlag(messagePassing('- sbi: { completion: completed, ordered: true }', { masked: true }))).toBe(true);
    expect(stale(messagePassing('- sbi: { completion: completed, ordered: true }', { masked: true }))).toBe(false);
  });
});

/** An AUIPC+JALR call site; both words change from t_old to t_new (STEPS around the stores). */
function pairRewrite(steps: (stores: string) => string, extra = ''): string {
  const stores = `- store: { at: func, insn: "auipc t0, %hi(t_new - func)" }\n- store: { at: func+4, insn: "jalr t0, %lo(t_new - func)(t0)" }`;
  // t_new is in another page and has another low part: both words differ.
  return `${pairSite('pair', '0x80051b40')}model: { fetch: [ziccif-only, ziccid] }
patch:
${steps(stores)
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
${extra}
claims:
  - never: { call-outside: [t_old, t_new] }
  - sometimes: { calls: t_new }
`;
}

const mixes = (yaml: string) => run(yaml).configs.map((c) => c.claims[0].verdict);
const reachesNew = (yaml: string) => run(yaml).configs.every((c) => c.claims[1].verdict === 'pass');

describe('stop_machine', () => {
  const harts = 'harts:\n  - calls: func';

  it('rewriting both words of a call site: mixed pairs without it, none inside it', () => {
    expect(mixes(pairRewrite((s) => `${s}\n- fence w,w\n- ipi: { sync: true }`, harts))).toEqual(['fail', 'fail']);
    expect(mixes(pairRewrite((s) => `- stop_machine:\n${s.replace(/^/gm, '    ')}`, harts))).toEqual(['pass', 'pass']);
    expect(reachesNew(pairRewrite((s) => `- stop_machine:\n${s.replace(/^/gm, '    ')}`, harts))).toBe(true);
  });

  it('parks every hart before the first store, and lets each go only after FENCE.I', () => {
    const yaml = pairRewrite((s) => `- stop_machine:\n${s.replace(/^/gm, '    ')}`, harts);
    const m = new Machine(scenario(yaml).system, { fetch: 'ziccif-only', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const events = everyEvent(m);
    for (const run of events) {
      const stores = run.findIndex((e) => e.kind === 'store');
      const parked = run.findIndex((e) => e.kind === 'parked');
      const unparked = run.findIndex((e) => e.kind === 'unparked');
      expect(parked).toBeGreaterThanOrEqual(0);
      expect(parked).toBeLessThan(stores);
      expect(unparked).toBeGreaterThan(stores);
      expect(run[unparked + 1]).toMatchObject({ kind: 'fence.i', hart: 0 });
    }
  });

  it('parks a task only where it can be scheduled out: a preemptible one anywhere interrupts are enabled, masked code not', () => {
    const yaml = (masked: boolean) => `
name: masked
model: { fetch: ziccid }
code:
  work:
    at: 0x80001000${masked ? '\n    interrupts: masked' : ''}
    asm: |
      li a0, 1
      li a1, 2
data:
  x: { at: 0x80002000, asm: ".dword 0" }
patch:
  - stop_machine:
    - store: { at: x, value: 1, size: 8 }
harts:
  - name: worker
    run: work
    preempt: true
claims:
  - never: { final: "worker:a0=0 /\\\\ x=1" }
  - sometimes: { final: "worker:a0=1 /\\\\ x=1" }
`;
    const parkedAt = (masked: boolean) => {
      const m = new Machine(scenario(yaml(masked)).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
      return [...new Set(reachableEvents(m).flatMap((e) => (e.kind === 'trap' ? [e.sepc] : [])))].sort();
    };
    expect(under(run(yaml(true))).claims.map((x) => x.verdict)).toEqual(['pass', 'pass']);
    expect(parkedAt(true)).toEqual([0x80001008n]); // only where the masked code ends
    expect(parkedAt(false)).toEqual([0x80001000n, 0x80001004n, 0x80001008n]);
  });

  it('a task that is not preemptible is parked between its calls, never inside a call site; a preemptible one can be, and resumes into the new JALR', () => {
    const inside = (preempt: string) => pairRewrite((s) => `- stop_machine:\n${s.replace(/^/gm, '    ')}`, `harts:\n  - calls: func\n${preempt}`);
    expect(mixes(inside(''))).toEqual(['pass', 'pass']);
    expect(mixes(inside('    preempt: true'))).toEqual(['fail', 'fail']);
    const rewind = 'trap-return:\n  - { when: "jalr t0, *(t0)", resume: sepc - 4 }';
    expect(mixes(inside(`    preempt: true\n${rewind}`))).toEqual(['pass', 'pass']);
  });
});

describe('several patching harts', () => {
  /** Two patching harts each write both halves of an 8-byte datum; with a lock between them the halves never mix. */
  const twoWriters = (lock: boolean) => {
    const steps = (v: number) =>
      [lock ? '- lock: text_mutex' : '', `- store: { at: x, value: ${v}, size: 4 }`, `- store: { at: x+4, value: ${v}, size: 4 }`, lock ? '- unlock: text_mutex' : '']
        .filter(Boolean)
        .map((l) => `      ${l}`)
        .join('\n');
    return `
name: writers
model: { fetch: ziccid, stores: sc }
data:
  x: { at: 0x80002000, asm: ".dword 0" }
code:
  idle: { at: 0x80001000, asm: "nop" }
patchers:
  - name: cpu0
    steps:
${steps(1)}
  - name: cpu2
    steps:
${steps(2)}
harts:
  - run: idle
claims:
  - sometimes: { final: "x=0x0000000100000002" }
  - sometimes: { final: "x=0x0000000200000002" }
`;
  };

  it('interleave their stores without a lock, and not with one (text_mutex)', () => {
    expect(under(run(twoWriters(false))).claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
    expect(under(run(twoWriters(true))).claims.map((c) => c.verdict)).toEqual(['fail', 'pass']);
  });

  it('a wait step holds a patching hart until memory holds the value: its store comes after the load before it', () => {
    const yaml = `
name: wait
model: { fetch: ziccid }
data:
  ready: { at: 0x80002000, asm: ".word 0" }
  x: { at: 0x80002008, asm: ".word 0" }
code:
  w:
    at: 0x80001000
    asm: |
      la t0, x
      lw a0, 0(t0)
      fence r,w
      la t0, ready
      li t1, 1
      sw t1, 0(t0)
patch:
  - WAIT
  - store: { at: x, value: 7, size: 4 }
harts:
  - name: w
    run: w
claims:
  - sometimes: { final: "w:a0=7" }
`;
    expect(under(run(yaml.replace('- WAIT', '- wait: { at: ready, value: 1, size: 4 }'))).claims[0].verdict).toBe('fail');
    expect(under(run(yaml.replace('- WAIT', '- fence w,w'))).claims[0].verdict).toBe('pass');
  });
});

describe('timer interrupts', () => {
  const base = (fenceI: boolean) => `
name: timer
model: { fetch: ziccif-only }
data:
  flag: { at: 0x80002000, asm: ".word 0" }
code:
  reader:
    at: 0x80001000
    asm: |
      la t2, flag
      lw a0, 0(t2)
      nop
      patch_me:
      li a1, 0
patch:
  - store: { at: patch_me, insn: "li a1, 1" }
  - fence w,w
  - store: { at: flag, value: 1, size: 4 }
harts:
  - name: reader
    run: reader
    timer: { count: 1, fence.i: ${fenceI} }
`;

  /** Run the reader to the nop with the flag seen, take the timer and return: can its next fetch be stale? */
  function staleAfterTimer(fenceI: boolean): boolean {
    const m = new Machine(scenario(base(fenceI)).system, { fetch: 'ziccif-only', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    let s: MachineState = m.initial();
    const take = (kind: string, pick: (e: readonly MachineEvent[]) => boolean = () => true) => {
      const next = m.successors(s).find((x) => x.transition.kind === kind && pick(x.events));
      if (!next) throw new Error(`no ${kind} step`);
      s = next.state;
      return next.events;
    };
    take('patch');
    take('patch');
    take('patch');
    take('exec'); // auipc (la)
    take('exec'); // addi
    take('exec', (e) => e.some((x) => x.kind === 'load' && x.value === 1n));
    take('exec'); // nop
    const trap = take('take-timer');
    expect(trap.some((e) => e.kind === 'fence.i')).toBe(fenceI);
    take('trap-return');
    return m.successors(s).some((x) => x.transition.kind === 'exec' && x.events.some((e) => e.kind === 'exec' && e.stale));
  }

  it('a handler that runs FENCE.I orders the hart\'s earlier load before its later fetches; one that does not, does not', () => {
    expect(staleAfterTimer(true)).toBe(false);
    expect(staleAfterTimer(false)).toBe(true);
  });

  it('are bounded per hart', () => {
    const m = new Machine(scenario(base(false)).system, { fetch: 'ziccif-only', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const counts = everyEvent(m).map((evs) => evs.filter((e) => e.kind === 'trap' && e.cause === 'timer').length);
    expect(Math.max(...counts)).toBe(1);
    expect(Math.min(...counts)).toBe(0);
  });
});

describe('patch steps', () => {
  it('fence.tso orders the patching hart\'s stores like fence w,w; fence r,r does not', () => {
    const flagFirst = (fence: string) => messagePassing(`- ipi: { sync: true }`).replace('  - store: { at: patch_me, insn: "li a1, 1" }\n  - ipi: { sync: true }', `  - store: { at: patch_me, insn: "li a1, 1" }\n  - ${fence}`);
    // No IPI: the reader runs FENCE.I itself after loading the flag.
    const withFenceI = (y: string) => y.replace('      lw a0, 0(t2)\n', '      lw a0, 0(t2)\n      fence.i\n');
    expect(stale(withFenceI(flagFirst('fence.tso')))).toBe(false);
    expect(stale(withFenceI(flagFirst('fence w,w')))).toBe(false);
    expect(stale(withFenceI(flagFirst('fence r,r')))).toBe(true);
  });
});

describe('the patching hart\'s FENCE.I', () => {
  it('orders its stores as the instructions fetched after it would (the suite\'s MP+fencei+fence.r.r is forbidden)', () => {
    const yaml = (step: string) => `
name: mp-fencei
model: { fetch: [ziccif-only, ziccid, ir-decode-w, ir-decode, ir3-fetch] }
data: { x: { at: 0x80002000, asm: ".word 0" }, y: { at: 0x80002008, asm: ".word 0" } }
code: { reader: { at: 0x80001000, asm: "lw a0, 0(t1)\\nfence r,r\\nlw a1, 0(t0)" } }
patch: [ { store: { at: x, value: 1, size: 4 } }, ${step}, { store: { at: y, value: 1, size: 4 } } ]
harts: [ { name: reader, run: reader, regs: { t0: x, t1: y } } ]
claims: [ { never: { final: "reader:a0=1 /\\\\ reader:a1=0" } } ]
`;
    expect(run(yaml('fence.i')).configs.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(run(yaml("'fence r,r'")).configs.map((c) => c.verdict)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail']);
  });
});

describe('trap handlers (kprobes-style)', () => {
  const kprobe = (traps: string) => `
name: kprobe
model: { fetch: ziccid }
code:
  func:
    at: 0x80000000
    asm: |
      li a0, 5
      ret
patch:
  - store: { at: func, insn: ebreak }
  - fence w,w
  - ipi: { sync: true }
harts:
  - name: caller
    calls: func
${traps}
claims:
  - never: breakpoint
  - always: { final: "caller:a0=5" }
  - sometimes: { final: "caller:a0=5" }
`;

  it('an EBREAK with no handler ends the run; a handler that emulates the probed instruction carries on as if it ran', () => {
    expect(under(run(kprobe(''))).claims.map((c) => c.verdict)).toEqual(['fail', 'fail', 'pass']);
    const handled = kprobe('traps:\n  - { on: ebreak, at: func, emulate: "li a0, 5" }');
    expect(under(run(handled)).claims.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a handler can redirect instead of emulating', () => {
    const yaml = kprobe('traps:\n  - { on: ebreak, at: func, resume: func+4 }').replace('always: { final: "caller:a0=5" }', 'sometimes: { final: "caller:a0=0" }');
    expect(under(run(yaml)).claims.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('emulates a list in sequence, each instruction as if at the trapping pc and the pcs after it, and resumes after the last', () => {
    const yaml = kprobe('traps:\n  - { on: ebreak, at: func, emulate: ["li a0, 4", "addi a0, a0, 1", "auipc a1, 0"] }')
      .replace('      li a0, 5\n      ret', '      li a0, 5\n      li a1, 0\n      li a2, 0\n      ret')
      .replace('  - sometimes: { final: "caller:a0=5" }', '  - sometimes: { final: "caller:a1=0x80000008" }');
    expect(under(run(yaml)).claims.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('emulates a far call, AUIPC and JALR as kprobes simulates them, and the hart goes where the call goes', () => {
    const yaml = `${pairSite('far', '0x80051b40')}model: { fetch: ziccid }
patch:
  - store: { at: func, insn: ebreak }
  - ipi: { sync: true }
traps:
  - { on: ebreak, at: func, emulate: ["auipc t0, %hi(t_new - func)", "jalr t0, %lo(t_new - func)(t0)"] }
harts:
  - calls: func
claims:
  - never: crash
  - sometimes: { calls: t_new }
`;
    const r = run(yaml);
    expect(under(r).claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
    // Through the handler the call is to t_new, made from func, and returns after the pair.
    const viaHandler = under(r).outcomes.find((o) => o.tasks[0].calls.some((c) => c.stub === 't_new'))!;
    expect(viaHandler.tasks[0].calls).toEqual([{ stub: 't_new', site: 0x80000000n }]);
    expect(viaHandler.ending.kind).toBe('complete');
  });

  it('tells what a list emulates, each instruction at its pc', () => {
    const s = scenario(kprobe('traps:\n  - { name: kprobe, on: ebreak, at: func, emulate: ["li a0, 4", "auipc a1, 0"] }'));
    const text = stepText({ transition: { kind: 'take-timer', hart: 0 }, events: [{ kind: 'handler', hart: 0, name: 'kprobe', emulated: [{ bits: 0x00400513, pc: 0x80000000n }, { bits: 0x00000597, pc: 0x80000004n }], resume: 0x80000008n }] }, new Names(s));
    expect(text).toBe('kprobe emulates li a0,4 then auipc a1,0x0; resumes at func+0x8');
  });
});

describe('registering and unregistering trap handlers', () => {
  /** A kprobe on func (an EBREAK, armed when the run begins, or by the patch), its handler emulating the instruction it replaced. */
  const probe = (patch: string, opts: { armed?: boolean; registered?: boolean } = {}) => `
name: probe
model: { fetch: [ziccif-only, ziccid] }
code:
  func:
    at: 0x80000000
    asm: |
      ${opts.armed ? 'ebreak' : 'li a0, 5'}
      ret
traps:
  - { name: kprobe, on: ebreak, at: func, emulate: "li a0, 5"${opts.registered === false ? ', registered: false' : ''} }
patch:
${patch}
harts:
  - name: caller
    calls: func
claims:
  - never: breakpoint
  - always: { final: "caller:a0=5" }
`;
  const verdicts = (yaml: string) => run(yaml).configs.map((c) => c.claims[0].verdict);

  it('a handler that starts unregistered claims no breakpoint until it is registered', () => {
    expect(verdicts(probe('  - store: { at: func, insn: ebreak }\n  - ipi: { sync: true }', { registered: false }))).toEqual(['fail', 'fail']);
    expect(verdicts(probe('  - register: kprobe\n  - store: { at: func, insn: ebreak }\n  - ipi: { sync: true }', { registered: false }))).toEqual(['pass', 'pass']);
    expect(verdicts(probe('  - store: { at: func, insn: ebreak }\n  - ipi: { sync: true }\n  - register: kprobe', { registered: false }))).toEqual(['fail', 'fail']);
  });

  it('unregistering while a hart can still fetch the breakpoint leaves it unhandled; disarm, synchronize, then unregister does not', () => {
    expect(verdicts(probe('  - store: { at: func, insn: "li a0, 5" }\n  - unregister: kprobe\n  - ipi: { sync: true }', { armed: true }))).toEqual(['fail', 'fail']);
    expect(verdicts(probe('  - store: { at: func, insn: "li a0, 5" }\n  - ipi: { sync: true }\n  - unregister: kprobe', { armed: true }))).toEqual(['pass', 'pass']);
    expect(verdicts(probe('  - store: { at: func, insn: "li a0, 5" }\n  - stop_machine: []\n  - unregister: kprobe', { armed: true }))).toEqual(['pass', 'pass']);
  });

  it('keys tell the handler tables apart', () => {
    const m = new Machine(scenario(probe('  - unregister: kprobe')).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const s = m.initial();
    expect(s.handlers).toBe(1);
    expect(m.key({ ...s, handlers: 0 })).not.toBe(m.key(s));
  });
});

describe('preemption', () => {
  /** The pre-v6.16 flow: both words of a call site rewritten under stop_machine; the caller may be preempted at a timer interrupt. */
  const preempted = (preempt: string) =>
    pairRewrite(
      (s) => `- stop_machine:\n${s.replace(/^/gm, '    ')}`,
      `harts:
  - name: caller
    calls: func
    timer: { count: 1 }
${preempt}
spare-harts: 1
trap-return:
  - { name: rewind, when: "jalr t0, *(t0)", resume: sepc - 4 }`,
    );

  it('a task preempted between AUIPC and JALR resumes elsewhere with the old AUIPC\'s t0 and runs the new JALR', () => {
    expect(mixes(preempted(''))).toEqual(['pass', 'pass']);
    expect(mixes(preempted('    preempt: { fixups: false }'))).toEqual(['fail', 'fail']);
    expect(reachesNew(preempted('    preempt: { fixups: false }'))).toBe(true);
  });

  it('the trap-return rewind on the resumed task\'s path runs the AUIPC again', () => {
    expect(mixes(preempted('    preempt: { fixups: true }'))).toEqual(['pass', 'pass']);
  });

  it('moves the registers, not the fetch state: the resuming hart is another hart', () => {
    const m = new Machine(scenario(preempted('    preempt: { fixups: false }')).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const events = reachableEvents(m);
    const preemptedAt = new Set(events.flatMap((e) => (e.kind === 'preempted' ? [e.sepc] : [])));
    const resumed = events.filter((e) => e.kind === 'resumed');
    expect(preemptedAt.has(0x80000004n)).toBe(true); // between the AUIPC and the JALR
    expect(resumed.length).toBeGreaterThan(0);
    for (const r of resumed) if (r.kind === 'resumed') expect(preemptedAt.has(r.sepc)).toBe(true);
    expect(resumed.some((e) => e.kind === 'resumed' && e.hart === 1)).toBe(true); // on the spare hart
  });
});

describe('state merging with tasks that move', () => {
  it('changes no run count: the explorer, asked to count runs over the judge\'s merged states, counts what a plain enumeration of the unmerged graph counts', () => {
    // Two rounds of the J +8 protocol; two identical callers that may be preempted once.
    const yaml = pairRewrite(
      () => `- store: { at: func, insn: "j .+8" }\n- ipi: { sync: true }\n- store: { at: func+4, insn: "jalr t0, %lo(t_new - func)(t0)" }\n- ipi: { sync: true }`,
      `harts:
  - calls: func
    count: 2
    timer: { count: 1 }
    preempt: { fixups: false }`,
    );
    const sc = scenario(yaml);
    const m = new Machine(sc.system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    // Every field of the state, caches left out: states equal only if they are the same.
    const raw = (st: MachineState) =>
      JSON.stringify(st, (k, v) => (k === 'id' || k === 'regsId' || k === 'restId' ? undefined : typeof v === 'bigint' ? v.toString(16) : v instanceof Map ? [...v] : v));
    const memo = new Map<string, bigint>();
    const runs = (st: MachineState): bigint => {
      const k = raw(st);
      const known = memo.get(k);
      if (known !== undefined) return known;
      const next = m.successors(st);
      const n = next.length ? next.reduce((acc, x) => acc + runs(x.state), 0n) : m.valid(st) ? 1n : 0n;
      memo.set(k, n);
      return n;
    };
    // The judge counts no runs (it counts outcomes): its search is run here as it runs it,
    // states merged up to swapping the two callers, and asked to count them.
    const groups = symmetryGroups(sc);
    expect(groups).toEqual([[0, 1]]);
    const merged = new Machine(sc.system, m.model, { taskClasses: sc.system.harts.map((_, i) => groups.find((g) => g.includes(i))?.[0] ?? i) });
    const observer = scenarioObserver(sc, executedPredicates(sc));
    const key = stateKey(merged, groups, (o, out) => observer.actorKeys!(o, out), (o) => observer.sharedKey!(o));
    const r = explore(merged, observer, { key, countRuns: true });
    expect(r.complete).toBe(true);
    const valid = r.terminals.filter((t) => merged.valid(t.state)).reduce((n, t) => n + t.runs!, 0n);
    expect(valid).toBe(runs(m.initial()));
  }, 120_000);
});

describe('final registers of tasks that move', () => {
  it('are read where the task ended, and kept when its hart takes up another task', () => {
    const yaml = `
name: moving
model: { fetch: ziccid }
code:
  a: { at: 0x80001000, asm: "li a0, 1\\nnop\\nnop" }
  b: { at: 0x80001100, asm: "li a0, 2\\nnop\\nnop" }
harts:
  - { run: a, timer: { count: 1 }, preempt: true }
  - { run: b, timer: { count: 1 }, preempt: true }
spare-harts: 1
claims:
  - always: { final: "cpu1:a0=1 /\\\\ cpu2:a0=2" }
`;
    const m = new Machine(scenario(yaml).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const events = reachableEvents(m);
    expect(events.some((e) => e.kind === 'resumed' && e.hart === 0 && e.task === 1)).toBe(true); // cpu1, its own task done, resumes cpu2's
    expect(under(run(yaml)).claims[0].verdict).toBe('pass');
  });
});


/** The events of every complete run of a small machine, depth first (for scenarios of a few dozen states). */
function everyEvent(m: Machine): MachineEvent[][] {
  const out: MachineEvent[][] = [];
  const walk = (s: MachineState, evs: MachineEvent[]) => {
    const next = m.successors(s);
    if (!next.length) {
      if (m.valid(s)) out.push(evs);
      return;
    }
    for (const n of next) walk(n.state, [...evs, ...n.events]);
  };
  walk(m.initial(), []);
  if (out.length > 200_000) throw new Error('too many runs for a test');
  return out;
}
