// Kernel services reachable from code (issue 12, item 1): a hart's code calls a stub that
// raises an IPI or makes the SBI call or takes a lock, and that means exactly what the
// patch step of the same kind means. The patch steps are the short form: the first test
// holds every request option to that, configuration by configuration.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/index.ts';
import { outcomesUpTo, run, satisfiedUpTo, scenario, under } from '../helpers.ts';

/**
 * A trampoline published before its call site (scenarios/model/ipi.md): the patching hart
 * stores `jr t0` at the empty trampoline, orders it (ORDER), makes a request (REQUEST),
 * then stores the call. As patch steps, or as a hart's own code calling a service stub.
 */
function publish(form: 'steps' | 'code', order: string | undefined, request: string, fenceI = 'transitive'): string {
  const head = `
name: publish-${form}
model: { fence-i: ${fenceI} }
symbols:
  flush: 0x80090000
stubs:
  flush: ${form === 'code' ? request : '{}'}
code:
  func: { at: 0x80001000, asm: "nop\\nret" }
  tramp: { at: 0x80002000, asm: ".word 0" }
`;
  const claims = `
claims:
  - never: illegal-instruction
  - sometimes: { executed: "jr t0", at: tramp }
`;
  if (form === 'steps')
    return `${head}patch:
  - store: { at: tramp, insn: "jr t0" }
${order ? `  - ${order}\n` : ''}  - ${request.replace(/^\{ (\w+): (.*) \}$/, '$1: $2')}
  - store: { at: func, insn: "jal t0, tramp" }
harts:
  - name: caller
    calls: func
${claims}`;
  return `${head}  patcher:
    at: 0x80003000
    asm: |
      lla a0, tramp
      li a1, 0x00028067     # jr t0
      sw a1, 0(a0)
${order ? `      ${order}\n` : ''}      call flush
      lla a0, func
      li a1, 0x000012ef     # jal t0, tramp (from func)
      sw a1, 0(a0)
harts:
  - name: caller
    calls: func
  - name: cpu0
    run: patcher
${claims}`;
}

const verdicts = (yaml: string) => run(yaml).configs.map((c) => `${c.model.fetch}: ${c.claims.map((x) => x.verdict).join(' ')}`);

describe('a service called from code is the patch step of its kind', () => {
  const cases: Array<[string | undefined, string, string?]> = [
    ['fence w,w', '{ sbi: { completion: completed } }'],
    ['fence w,o', '{ sbi: { completion: completed } }'],
    ['fence.i', '{ sbi: { completion: completed } }'],
    ['fence.i', '{ sbi: { completion: completed } }', 'fetch-only'],
    ['fence w,w', '{ sbi: { completion: completed, ordered: true } }'],
    ['fence w,o', '{ sbi: { completion: sent } }'],
    [undefined, '{ ipi: { sync: true } }'],
    [undefined, '{ ipi: { sync: true, fence: false } }'],
    [undefined, '{ ipi: { sync: true, handler: bare } }'],
    [undefined, '{ ipi: { sync: true, fence: false, queue: relaxed } }'],
    [undefined, '{ ipi: { sync: false } }'],
  ];
  for (const [order, request, reading] of cases) {
    it(`${order ?? 'nothing'}, then ${request}${reading ? ` (fence-i: ${reading})` : ''}`, () => {
      const steps = verdicts(publish('steps', order, request, reading));
      expect(verdicts(publish('code', order, request, reading))).toEqual(steps);
    });
  }

  it('shows the options matter: some of these verdicts differ from others', () => {
    const all = new Set(cases.map(([o, r, f]) => verdicts(publish('steps', o, r, f)).join('|')));
    expect(all.size).toBeGreaterThan(2);
  });
});

describe('the IPI options', () => {
  const mp = (options: string) => publish('steps', undefined, `{ ipi: { sync: true${options} } }`);
  it('Linux\'s IPI (request queued with a fully ordered atomic, fence w,o) publishes the trampoline under every configuration', () => {
    expect(run(mp('')).configs.every((c) => c.claims[0].verdict === 'pass')).toBe(true);
  });

  it('without its fence w,o, the IPI may overtake its request: the handler finds none, and the sender waits forever', () => {
    const withDeadlock = (options: string) => mp(options).replace('claims:', 'claims:\n  - never: deadlock');
    expect(run(withDeadlock('')).configs.every((c) => c.claims[0].verdict === 'pass')).toBe(true);
    const r = run(withDeadlock(', fence: false'));
    for (const c of r.configs) {
      expect(c.claims[0].verdict, c.model.fetch).toBe('fail');
      expect(c.claims[0].counterexample!.ending).toMatchObject({ kind: 'deadlock', detail: 'cpu0 waits for the acknowledgement of caller' });
      expect(c.claims[1].verdict, c.model.fetch).toBe('pass'); // when the handler finds it, it carries the stores
    }
  });

  it('with a relaxed queue the handler\'s FENCE.I is anchored to nothing where fetches are unordered, fence or not', () => {
    for (const options of [', queue: relaxed', ', fence: false, queue: relaxed']) {
      const r = run(mp(options));
      expect(under(r, 'ziccif-only').claims[0].verdict, options).toBe('fail');
      // Under ziccid the call site, stored after the acknowledgement, is fetched before the trampoline.
      expect(under(r, 'ziccid').claims[0].verdict, options).toBe('pass');
    }
  });
});

/** Two harts' code each bumps a shared counter (a load, an add, a store) between LOCK and UNLOCK. */
function counter(lock: boolean, count = 'count: 2'): string {
  return `
name: counter
model: { fetch: ziccid }
symbols:
  mutex_lock: 0x80090000
  mutex_unlock: 0x80090100
stubs:
  mutex_lock: { lock: text_mutex }
  mutex_unlock: { unlock: text_mutex }
data:
  shared: { at: 0x80080000, asm: ".word 0" }
code:
  bump:
    at: 0x80001000
    asm: |
      ${lock ? 'call mutex_lock' : 'nop'}
      la t1, shared
      lw t2, 0(t1)
      addi t2, t2, 1
      sw t2, 0(t1)
      ${lock ? 'call mutex_unlock' : 'nop'}
harts:
  - run: bump
    ${count}
claims:
  - always: { final: "shared=2" }
  - never: deadlock
`;
}

describe('locks taken from code', () => {
  it('serialise two harts\' critical sections (and without the lock an update is lost)', () => {
    expect(under(run(counter(true))).claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
    expect(under(run(counter(false))).claims.map((c) => c.verdict)).toEqual(['fail', 'pass']);
  });

  it('give the plain search\'s verdicts and outcomes with symmetry', () => {
    const sym = run(counter(true));
    const plain = run(counter(true), { symmetry: false });
    expect(sym.symmetry.length).toBe(1);
    expect(under(sym).claims.map((c) => c.verdict)).toEqual(under(plain).claims.map((c) => c.verdict));
    // Counted up to swapping the two harts, the plain search's outcomes are the symmetric one's.
    expect(under(sym).outcomes).toHaveLength(outcomesUpTo(under(plain), sym.symmetry));
    expect(under(sym).claims.map((c) => c.satisfied)).toEqual(under(plain).claims.map((_, k) => satisfiedUpTo(plain, under(plain), k, sym.symmetry)));
  });

  it('are shared with the patching harts\' lock steps', () => {
    const s = scenario(counter(true).replace('harts:', 'patch:\n  - lock: text_mutex\n  - unlock: text_mutex\nharts:'));
    expect(s.system.locks).toEqual(['text_mutex']);
    expect(s.system.stubs.find((x) => x.name === 'mutex_lock')?.service).toMatchObject({ kind: 'lock', lock: 0 });
  });
});

describe('harts that interrupt each other', () => {
  // Both harts publish a word and flush with a synchronous IPI to the other: each waits for
  // the other's acknowledgement and takes the other's IPI while it waits (csd_lock_wait
  // with interrupts on), so neither waits forever.
  const yaml = `
name: cross
model: { fetch: [ziccif-only, ziccid] }
symbols:
  flush_icache_all: 0x80090000
stubs:
  flush_icache_all: { ipi: { sync: true } }
data:
  words: { at: 0x80080000, asm: ".word 0\\n.word 0" }
code:
  pub:
    at: 0x80001000
    asm: |
      la t1, words
      slli t2, a0, 2
      add t1, t1, t2
      li t3, 1
      sw t3, 0(t1)
      fence.i
      call flush_icache_all
harts:
  - { name: a, run: pub, regs: { a0: 0 } }
  - { name: b, run: pub, regs: { a0: 1 } }
claims:
  - never: deadlock
  - always: { final: "words=1" }
  - sometimes: { calls: flush_icache_all }
`;
  it('never deadlock, and each acknowledgement reaches the hart that waits for it', () => {
    for (const c of run(yaml).configs) expect(c.claims.map((x) => x.verdict), c.model.fetch).toEqual(['pass', 'pass', 'pass']);
  });

  it('a hart never interrupts itself', () => {
    const c = under(run(yaml));
    const sent = c.claims[2].witness!.steps.flatMap((st) => st.events).filter((e) => e.kind === 'ipi-sent');
    for (const e of sent) if (e.kind === 'ipi-sent') expect(e.targets).not.toContain(e.hart);
  });
});

describe('a task that waits for acknowledgements', () => {
  // A preemptible code patcher flushes with a synchronous IPI: it waits with preemption
  // disabled (get_cpu() in smp_call_function_many), so it is never switched out while it
  // waits, though it takes interrupts there.
  const yaml = `
name: waiting-patcher
model: { fetch: ziccid }
symbols:
  flush_icache_all: 0x80090000
stubs:
  flush_icache_all: { ipi: { sync: true } }
code:
  patcher:
    at: 0x80003000
    asm: |
      fence.i
      call flush_icache_all
      nop
  other: { at: 0x80004000, asm: "nop\\nnop" }
harts:
  - { name: cpu0, run: patcher, timer: { count: 2 }, preempt: true }
  - { name: cpu1, run: other }
spare-harts: 1
claims:
  - never: deadlock
  - sometimes: preempted
`;
  it('is not preempted while it waits', () => {
    const m = new Machine(scenario(yaml).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const seen = new Set<string>();
    const queue = [m.initial()];
    while (queue.length) {
      const s = queue.pop()!;
      for (const n of m.successors(s)) {
        if (n.transition.kind === 'preempt') expect(s.harts[n.transition.hart].waiting).toBe(0);
        const k = m.key(n.state);
        if (!seen.has(k) && seen.add(k)) queue.push(n.state);
      }
    }
    expect(under(run(yaml)).claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
  });
});
