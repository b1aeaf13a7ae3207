// The time budget bounds all of a judgement (issue 12): the explorer's search, the
// certification searches inside its steps, the liveness search after it. A budget that
// runs out anywhere gives "incomplete" with the reason "time", never a pass.

import { describe, expect, it, vi } from 'vitest';
import { judgeScenario } from '../../src/verdict/index.ts';
import { scenario, SPIN_LOCK } from '../helpers.ts';

// The liveness search, cut by the deadline on demand: a real one that runs out of time
// needs a graph too big for a test.
const cutLiveness = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/verdict/liveness.ts', async (importOriginal) => {
  const liveness = await importOriginal<typeof import('../../src/verdict/liveness.ts')>();
  const { OutOfTime } = await import('../../src/machine/deadline.ts');
  return {
    ...liveness,
    findLasso: (...args: Parameters<typeof liveness.findLasso>) => {
      if (cutLiveness.on) throw new OutOfTime();
      return liveness.findLasso(...args);
    },
  };
});

/** A consumer polls a flag the producer sets: every fair run ends, so `eventually: complete` holds. */
const POLL = `
name: poll
model: { fetch: ziccid }
data:
  flag: { at: 0x80002000, asm: ".word 0" }
code:
  producer:
    at: 0x80000000
    asm: |
      la t0, flag
      li t1, 1
      sw t1, 0(t0)
  consumer:
    at: 0x80001000
    asm: |
      la t2, flag
      wait:
      lw a0, 0(t2)
      beqz a0, wait
harts:
  - name: producer
    run: producer
  - name: consumer
    run: consumer
claims:
  - eventually: complete
`;

/** A hart that calls func 1,000 times (the most `times:` allows) while the patch makes a synchronous IPI: each state's steps run certification searches. */
const LONG = `
name: long
code:
  func:
    at: 0x1000
    asm: |
      nop
      ret
patch:
  - store: { at: func, insn: "addi x0, x0, 1" }
  - fence.i
  - ipi: { sync: true }
harts:
  - calls: func
    times: 1000
claims:
  - never: crash
`;

describe('the time budget', () => {
  it('holds to within a second, under all five configurations together: every search reads the clock at every state (issue 14)', { timeout: 30_000 }, () => {
    const s = scenario(LONG);
    const started = performance.now();
    const r = judgeScenario(s, { budget: { maxSeconds: 1 } });
    const seconds = (performance.now() - started) / 1000;
    expect(r.configs.map((c) => c.stopped)).toEqual(['time', 'time', 'time', 'time', 'time']);
    // A second past the deadline at most, and as much again for a machine busy with other tests.
    expect(seconds).toBeLessThan(3);
  });

  it('bounds the certification searches inside each step: a spin lock on amoswap under RVWMO ends incomplete, for time', { timeout: 30_000 }, () => {
    const r = judgeScenario(scenario(SPIN_LOCK), { budget: { maxSeconds: 1, maxStates: 20_000 } });
    expect(r.verdict).toBe('incomplete');
    expect(r.status).toBe('incomplete');
    const [c] = r.configs;
    expect(c).toMatchObject({ verdict: 'incomplete', complete: false, stopped: 'time' });
    for (const claim of c.claims) expect(claim.verdict).not.toBe('pass');
  });

  it('bounds the liveness search: cut short, `eventually` is incomplete, not a pass for want of a lasso', () => {
    const s = scenario(POLL);
    expect(judgeScenario(s).configs[0].claims[0].verdict).toBe('pass');
    cutLiveness.on = true;
    try {
      const c = judgeScenario(s).configs[0];
      expect(c).toMatchObject({ verdict: 'incomplete', complete: false, stopped: 'time' });
      expect(c.claims[0].verdict).toBe('incomplete');
      expect(c.stats.terminals).toBeGreaterThan(0); // the search itself was whole
      expect(c.outcomes).toEqual([]); // but a judgement cut by the clock reports nothing it saw (cutoff.ts)
    } finally {
      cutLiveness.on = false;
    }
  });
});
