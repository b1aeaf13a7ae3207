import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/explore.ts';
import type { Observer, Progress, System } from '../../src/explore/types.ts';
import { Deadline } from '../../src/machine/deadline.ts';

/** Two counters, each actor bumps its own up to n: a grid of states, C(2n, n) runs. */
function grid(n: number, loop = false): System<[number, number], 0 | 1, string> {
  const apply = ([a, b]: [number, number], t: 0 | 1): { transition: 0 | 1; state: [number, number]; events: string[] } => {
    if (loop && a === n && b === n) return { transition: t, state: [0, 0], events: ['reset'] };
    return { transition: t, state: t === 0 ? [a + 1, b] : [a, b + 1], events: [t === 0 ? 'a' : 'b'] };
  };
  return {
    initial: () => [0, 0],
    successors: (s) => {
      const [a, b] = s;
      const out: Array<0 | 1> = [];
      if (a < n) out.push(0);
      if (b < n) out.push(1);
      if (loop && a === n && b === n) out.push(0);
      return out.map((t) => apply(s, t));
    },
    keyInto: ([a, b], out) => {
      out.push(a);
      out.push(b);
    },
  };
}

const nothing: Observer<null, string> = { initial: null, observe: () => null, keyInto: () => {} };

/** Remembers the first event: splits states by it. */
const firstEvent: Observer<string, string> = { initial: '', observe: (o, es) => o || es[0] || '', keyInto: (o, out) => [...o].forEach((c) => out.push(c.charCodeAt(0))) };

describe('exhaustive search', () => {
  it('visits every state once and, asked to, counts every run', () => {
    const r = explore(grid(3), nothing, { countRuns: true });
    expect(r.complete).toBe(true);
    expect(r.stats.states).toBe(16);
    expect(r.stats.terminals).toBe(1);
    expect(r.stats.executions).toBe(20n); // C(6, 3)
    expect(r.terminals[0].runs).toBe(20n);
    expect(r.stats.maxDepth).toBe(6);
  });

  it('counts exactly past 2^53', () => {
    const r = explore(grid(40), nothing, { countRuns: true });
    expect(r.stats.executions).toBe(107507208733336176461620n); // C(80, 40)
  });

  it('keeps observations apart: the same state reached with different histories is two states', () => {
    const r = explore(grid(2), firstEvent, { countRuns: true });
    expect(r.stats.states).toBe(1 + 6 + 6); // the start, then every state reachable after 'a' first, and after 'b' first
    expect(r.terminals.map((t) => t.observation).sort()).toEqual(['a', 'b']);
    expect(r.terminals.map((t) => t.runs)).toEqual([3n, 3n]);
  });

  it('counts no runs and keeps no graph unless asked: the same states, terminals and transitions', () => {
    const plain = explore(grid(3), nothing);
    const counted = explore(grid(3), nothing, { countRuns: true });
    expect(plain.stats.executions).toBeUndefined();
    expect(plain.terminals[0].runs).toBeUndefined();
    expect(plain.graph).toBeUndefined();
    expect(plain.stats.transitions).toBe(24); // 3 * 4 steps of each counter
    expect({ ...plain.stats, seconds: 0 }).toEqual({ ...counted.stats, executions: undefined, seconds: 0 });
    expect(plain.terminals.map((t) => t.depth)).toEqual(counted.terminals.map((t) => t.depth));
  });

  it('finds a shortest run to each state, replayable from its choices', () => {
    const sys = grid(3);
    const r = explore(sys, nothing);
    const t = r.terminals[0];
    const choices = r.choicesTo(t.index);
    expect(choices).toHaveLength(6);
    let s = sys.initial();
    for (const c of choices) s = sys.successors(s)[c].state;
    expect(s).toEqual([3, 3]);
  });

  it('stops at its state budget with an incomplete result, never a complete one', () => {
    const r = explore(grid(10), nothing, { budget: { maxStates: 20 }, countRuns: true });
    expect(r.complete).toBe(false);
    expect(r.stopped).toBe('states');
    expect(r.stats.executions).toBeNull();
    expect(r.terminals).toHaveLength(0);
  });

  it('stops at its time budget', () => {
    const r = explore(grid(2000), nothing, { budget: { maxSeconds: 0.05 } });
    expect(r.complete).toBe(false);
    expect(r.stopped).toBe('time');
  });

  it('stops when the deadline passes inside a state\'s steps, and leaves that state unexpanded (no end it did not reach)', () => {
    let now = 0;
    const deadline = new Deadline(1000, () => now);
    const inner = grid(3);
    // State 1,1's steps run an inner search (certification, in the machine) that checks
    // the same deadline and finds it passed.
    const sys: System<[number, number], 0 | 1, string> = {
      ...inner,
      successors: (s) => {
        if (s[0] === 1 && s[1] === 1) {
          now = 5000;
          deadline.check();
        }
        return inner.successors(s);
      },
    };
    const r = explore(sys, nothing, { deadline, countRuns: true });
    expect(r.complete).toBe(false);
    expect(r.stopped).toBe('time');
    expect(r.terminals).toHaveLength(0);
    expect(r.stats.executions).toBeNull();
  });

  it('the deadline wins over budget.maxSeconds, and is read before every state', () => {
    let now = 0;
    const deadline = new Deadline(3, () => now++);
    const r = explore(grid(3), nothing, { deadline, budget: { maxSeconds: 3600 } });
    expect(r.stopped).toBe('time');
    expect(r.stats.states).toBeLessThan(16);
  });

  it('reports progress while one state\'s steps run long (inner searches tell it the time)', () => {
    let now = 0;
    const deadline = new Deadline(60_000, () => now);
    const inner = grid(2);
    const seen: Progress[] = [];
    const sys: System<[number, number], 0 | 1, string> = {
      ...inner,
      successors: (s) => {
        if (s[0] === 1 && s[1] === 0) {
          // Four seconds of an inner search, which checks the deadline as it goes.
          for (let k = 0; k < 40; k++) {
            now += 100;
            deadline.check();
          }
        }
        return inner.successors(s);
      },
    };
    const r = explore(sys, nothing, { deadline, onProgress: (p) => seen.push(p) });
    expect(r.complete).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.map((p) => p.seconds)).toEqual([...seen.map((p) => p.seconds)].sort((a, b) => a - b));
  });

  it('estimates the states still to find from the queue and the share of new states among recent steps', () => {
    let now = 0;
    const deadline = new Deadline(60_000, () => now);
    // A root with 40 leaves: expanding the root finds 40 states (the frontier grows), each leaf none.
    const sys: System<number, number, string> = {
      initial: () => -1,
      successors: (s) => {
        now += 600;
        return s < 0 ? Array.from({ length: 40 }, (_, k) => ({ transition: k, state: k, events: [] })) : [];
      },
      keyInto: (s, out) => out.push(s),
    };
    const seen: Progress[] = [];
    explore(sys, nothing, { deadline, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen[0].toGo).toBeUndefined(); // the root's expansion: 40 new states for one
    for (const p of seen.slice(1)) expect(p.toGo).toBe(0); // leaves find nothing: only the queue is left
    expect(seen[0].rate).toBeGreaterThan(0);
  });

  it('reports a cycle instead of counting infinitely many runs', () => {
    const r = explore(grid(2, true), nothing, { countRuns: true });
    expect(r.complete).toBe(true);
    expect(r.stats.executions).toBeNull();
  });

  it('takes a caller key, e.g. one that merges symmetric states', () => {
    const sym = explore(grid(3), nothing, { key: ([a, b], _o, out) => [a, b].sort().forEach((x) => out.push(x)), countRuns: true });
    expect(sym.stats.states).toBe(10);
    // Counting over the quotient keeps the total: each class counts the runs of all its members.
    expect(sym.stats.executions).toBe(20n);
  });
});

/** The grid whose first actor's steps (bumping its own counter) are offered alone, as independent. */
function reducibleGrid(n: number): System<[number, number], 0 | 1, string> {
  const g = grid(n);
  return { ...g, reduced: (s, accept) => {
    const mine = g.successors(s).filter((x) => x.transition === 0);
    return mine.length && accept(mine) ? mine : undefined;
  } };
}

const invisible: Observer<null, string> = { ...nothing, invisible: () => true };

describe('partial-order reduction', () => {
  it('takes the offered steps alone: fewer states, the same end, runs replayable by their numbered choices', () => {
    const full = explore(reducibleGrid(3), invisible);
    const reduced = explore(reducibleGrid(3), invisible, { reduce: true });
    expect(full.stats.states).toBe(16);
    expect(reduced.stats.states).toBe(7); // a goes first: (0,0)..(3,0), then b: (3,1)..(3,3)
    expect(reduced.stats.reduced).toBe(3);
    expect(reduced.terminals.map((t) => t.state)).toEqual([[3, 3]]);
    expect(reduced.choicesTo(reduced.terminals[0].index)).toEqual([-1, -1, -1, 0, 0, 0]);
  });

  it('expands fully where the observer sees the step, or where no reduction is asked', () => {
    const sees: Observer<null, string> = { ...nothing, invisible: (_o, es) => !es.includes('a') };
    expect(explore(reducibleGrid(3), sees, { reduce: true }).stats.states).toBe(16);
    expect(explore(reducibleGrid(3), invisible).stats.reduced).toBe(0);
  });

  it('expands fully a state whose step alone leads back to a state already found (the cycle proviso)', () => {
    // Actor 0 goes round 0 -> 1 -> 2 -> 0 forever; actor 1 may step once, to its end.
    const ring: System<[number, number], 0 | 1, string> = {
      initial: () => [0, 0],
      successors: ([a, b]) => [{ transition: 0 as const, state: [(a + 1) % 3, b] as [number, number], events: [] }, ...(b === 0 ? [{ transition: 1 as const, state: [a, 1] as [number, number], events: [] }] : [])],
      keyInto: ([a, b], out) => {
        out.push(a);
        out.push(b);
      },
      reduced: (s, accept) => {
        const mine = [{ transition: 0 as const, state: [(s[0] + 1) % 3, s[1]] as [number, number], events: [] }];
        return accept(mine) ? mine : undefined;
      },
    };
    const r = explore(ring, invisible, { reduce: true });
    // Without the proviso actor 1's step would be put off forever: (a, 1) never found.
    expect(r.stats.states).toBe(6);
  });
});
