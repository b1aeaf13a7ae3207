// `--no-reduction`: the plain search, every interleaving. The verdicts, the exit status and
// what each scenario's lines say are the same as with partial-order reduction; only the
// number of states explored differs, and the reduced search explores fewer.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patchlit, workspace } from './command.ts';

/** Each scenario's line: status, name, place, verdict per configuration; and the states it explored. */
function lines(stdout: string): Array<{ line: string; states: number }> {
  return stdout
    .split('\n')
    .filter((l) => / · [\d,]+ states$/.test(l))
    .map((l) => {
      const [line, states] = l.split(' · ');
      return { line, states: Number(states.replace(/[^\d]/g, '')) };
    });
}

describe('patchlit run --no-reduction', () => {
  it('says what the reduced search says, having explored more states', { timeout: 120_000 }, () => {
    const dir = workspace({ 'scenarios/ipi.md': readFileSync('scenarios/model/ipi.md', 'utf8') });
    const reduced = patchlit(['run', '--jobs', '1', '--out', 'a', 'scenarios'], dir);
    const plain = patchlit(['run', '--jobs', '1', '--no-reduction', '--out', 'b', 'scenarios'], dir);
    expect(plain.code).toBe(reduced.code);
    const [r, p] = [lines(reduced.stdout), lines(plain.stdout)];
    expect(r.length).toBeGreaterThan(10);
    expect(r.map((x) => x.line)).toEqual(p.map((x) => x.line));
    r.forEach((x, k) => expect(x.states).toBeLessThanOrEqual(p[k].states));
    expect(r.some((x, k) => x.states < p[k].states)).toBe(true);
  });
});
