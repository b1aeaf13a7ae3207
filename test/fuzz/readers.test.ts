// The readers' fuzzer (issue 14): mutants of this repository's notebooks and YAML
// scenarios and of the instruction-fetch litmus tests, each read by `patchlit check` as a
// user's file would be, must each be accepted or get diagnostics at file:line:col (exit 0
// or 2), never an exception, another exit code, a message printed twice, or a run past
// the time or heap limit (harness.ts). Two hundred under npm test (some seconds), from a fixed seed;
// `npm run fuzz` runs PATCHLIT_FUZZ times as many from a fresh seed, printed (replay it
// with PATCHLIT_FUZZ_SEED), and the counts by outcome class.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZING, fuzzRuns } from '../model/fuzz.ts';
import { classify, campaign, TIME_LIMIT_MS } from './harness.ts';
import { mutantArb, mutate, type Mutation } from './mutate.ts';

describe('the classes of outcome', () => {
  const reply = (code: number, err: string) => ({ code, out: '', err, ms: 1, heapMb: 1 });

  it('accepts diagnostics at file:line:col, and warnings beside a pass', () => {
    expect(classify(reply(2, 'a.md:3:5: error: bad\n  x\n  ^\n  hint: h\nb.yaml:1:1: note: imported here\n')).outcome).toBe('diagnostic');
    expect(classify(reply(0, 'a.md:3:5: warning: odd\n')).outcome).toBe('accepted');
  });

  it('refuses the rest', () => {
    expect(classify(reply(2, 'patchlit: something\n')).outcome).toBe('unplaced message');
    expect(classify(reply(2, '')).outcome).toBe('unplaced message');
    expect(classify(reply(1, '')).outcome).toBe('exit code');
    expect(classify(reply(0, 'a.md:3:5: error: bad\n')).outcome).toBe('exit code');
    expect(classify(reply(2, 'a.md:3:5: error: bad\na.md:3:5: error: bad\n')).outcome).toBe('duplicate message');
    expect(classify({ ...reply(2, ''), threw: 'TypeError: x' }).outcome).toBe('exception');
    expect(classify({ runaway: 'time' }).outcome).toBe('runaway (time)');
  });
});

describe('mutations', () => {
  it('each applies to any text, the empty one included', () => {
    const ms: Mutation[] = [
      { op: 'insert', at: 1_000_000, token: '*a' },
      { op: 'delete', at: 0, length: 5 },
      { op: 'number', which: 3, value: '65' },
      { op: 'word', which: 2, other: 9 },
      { op: 'line', kind: 'swap', line: 1, other: 4 },
      { op: 'truncate', at: 500_000 },
      { op: 'endings', kind: 'cr' },
      { op: 'nest', at: 10, open: '[', close: ']', depth: 3 },
      { op: 'repeat', at: 0, length: 3, times: 2 },
      { op: 'splice', at: 7, from: 0, start: 0, length: 4 },
    ];
    for (const m of ms) {
      expect(typeof mutate('', m, ['abc'])).toBe('string');
      expect(typeof mutate('name: x\ncode: 0x10\n', m, ['abc'])).toBe('string');
    }
    expect(mutate('a: 1\nb: 2\n', { op: 'number', which: 1, value: '65' }, [])).toBe('a: 1\nb: 65\n');
    expect(mutate('a\nb\n', { op: 'endings', kind: 'crlf' }, [])).toBe('a\r\nb\r\n');
  });

  it('the same seed gives the same inputs', () => {
    expect(fc.sample(mutantArb, { numRuns: 5, seed: 3 })).toEqual(fc.sample(mutantArb, { numRuns: 5, seed: 3 }));
  });
});

describe('patchlit check on mutated inputs', () => {
  const { numRuns, seed } = fuzzRuns('readers', 200, 1414);
  it('accepts each or places every error at file:line:col; no exception, no runaway', async () => {
    const c = await campaign(numRuns, seed);
    const total = Object.values(c.counts).reduce((a, b) => a + b, 0);
    if (FUZZING) {
      console.log(`readers: ${total} inputs from ${c.seeds} seeds: ${Object.entries(c.counts).map(([k, n]) => `${k} ${n}`).join(', ')}; slowest ${c.slowest.map((x) => `#${x.index} ${Math.round(x.ms)} ms`).join(', ')}; start ${Math.round(c.warmMs)} ms, checks ${Math.round(c.checkMs)} ms${c.failures.length ? `; failing inputs in ${c.dir}/failures` : ''}`);
    }
    expect(total).toBe(numRuns);
    // Most inputs must get as far as a scenario, or the mutations test only the first line.
    expect(c.counts.accepted).toBeGreaterThan(numRuns / 20);
    expect(c.failures.map((f) => `#${f.index} ${f.outcome}: ${(f.why ?? '').split('\n').slice(0, 3).join(' | ')}\n  seed ${f.seed}, ${f.mutations.join(' ')}\n  input ${f.input}`)).toEqual([]);
  }, 10 * TIME_LIMIT_MS + numRuns * 2_000);
});
