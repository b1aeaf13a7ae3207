// preempt: {migrate: false}, a task that can be preempted but resumes only on the hart it
// was preempted on (migrate_disable(), as BPF programs run: bpf_prog_run_pin_on_cpu() in
// include/linux/filter.h). Shown to matter: the FENCE.I its hart ran stays with it.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/index.ts';
import { reachableEvents, run, scenario, under } from '../helpers.ts';

/**
 * The task loads the flag, runs FENCE.I, may be preempted, then runs the patched
 * instruction (scenarios/model/preemption.md's migrate-after-fence-i). "Stale" is a0=1,
 * a1=0: it saw the flag and still ran the old instruction.
 */
const consumer = (preempt: string) => `
name: consumer
model: { fetch: [ziccif-only, ziccid] }
data:
  flag: { at: 0x80002000, asm: ".word 0" }
code:
  consumer:
    at: 0x80001000
    asm: |
      la t2, flag
      lw a0, 0(t2)
      fence.i
      nop
      patch_me:
      li a1, 0
patch:
  - store: { at: patch_me, insn: "li a1, 1" }
  - fence w,w
  - store: { at: flag, value: 1, size: 4 }
harts:
  - name: worker
    run: consumer
    timer: { count: 1 }
    preempt: ${preempt}
spare-harts: 1
claims:
  - never: { final: "worker:a0=1 /\\\\ worker:a1=0" }
  - sometimes: { final: "worker:a0=1 /\\\\ worker:a1=1" }
`;


describe('a task preempted with migration disabled', () => {
  it('resumes where its FENCE.I ran: the stale outcome of a migrating task is gone', () => {
    expect(run(consumer('true')).configs.map((c) => c.claims.map((x) => x.verdict))).toEqual([
      ['fail', 'pass'],
      ['fail', 'pass'],
    ]);
    expect(run(consumer('{ migrate: false }')).configs.map((c) => c.claims.map((x) => x.verdict))).toEqual([
      ['pass', 'pass'],
      ['pass', 'pass'],
    ]);
  });

  it('is still preempted, and only the hart it left resumes it (the spare hart may not)', () => {
    const m = new Machine(scenario(consumer('{ migrate: false }')).system, { fetch: 'ziccif-only', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const events = reachableEvents(m);
    const resumed = events.filter((e) => e.kind === 'resumed');
    expect(events.some((e) => e.kind === 'preempted')).toBe(true);
    expect(resumed.length).toBeGreaterThan(0);
    for (const e of resumed) expect(e).toMatchObject({ hart: 0, task: 0 });
    const migrating = new Machine(scenario(consumer('true')).system, m.model);
    expect(reachableEvents(migrating).some((e) => e.kind === 'resumed' && e.hart === 1)).toBe(true);
  });

  it('leaves its hart free to run another task meanwhile', () => {
    // Two workers; the second migrates, and may be resumed on the first's hart while the first waits for it.
    const yaml = consumer('{ migrate: false }')
      .replace('spare-harts: 1\n', '')
      .replace('claims:', '  - name: other\n    run: consumer\n    timer: { count: 1 }\n    preempt: true\nclaims:');
    const m = new Machine(scenario(yaml).system, { fetch: 'ziccid', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
    const events = reachableEvents(m);
    expect(events.some((e) => e.kind === 'resumed' && e.task === 1 && e.hart === 0)).toBe(true);
    for (const e of events) if (e.kind === 'resumed' && e.task === 0) expect(e.hart).toBe(0);
    expect(under(run(yaml)).claims[0].verdict).toBe('pass');
  });
});
