// Symmetry: remote harts that run the same driver with the same settings, and that every
// patch step and the table treat alike, are interchangeable. A state and its copy with
// such harts permuted have the same future up to that permutation, and every claim here
// is blind to hart names, so the search keeps one of them: the key sorts the harts of
// each group.

import type { Machine } from '../machine/machine.ts';
import type { MachineState } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Observation } from './observer.ts';

/**
 * Groups (of two or more) of interchangeable remote harts, by index. A hart whose final
 * registers a claim reads by name (`cpu1:a0`) is not interchangeable with any other.
 */
export function symmetryGroups(scenario: Scenario, observedHarts: ReadonlySet<number> = new Set()): number[][] {
  const { harts, patchers } = scenario.system;
  const signature = (i: number): string => {
    if (observedHarts.has(i)) return `observed ${i}`;
    const h = harts[i];
    const regs = [...(h.regs ?? [])].map(([r, v]) => `${r}=${v.toString(16)}`).join(' ');
    const parts = [h.start.toString(16), h.idleAt.toString(16), String(h.ipiWhileRunning), regs];
    // Which IPIs and SBI calls reach it, and whether the table reads its signature.
    for (const p of patchers) p.steps.forEach((s, k) => (s.kind === 'ipi' || s.kind === 'sbi') && parts.push(`${k}:${s.targets.includes(i)}`));
    parts.push(`table:${scenario.table ? scenario.table.harts.includes(i) : false}`);
    return parts.join('|');
  };
  const bySig = new Map<string, number[]>();
  harts.forEach((_, i) => {
    const k = signature(i);
    bySig.set(k, [...(bySig.get(k) ?? []), i]);
  });
  return [...bySig.values()].filter((g) => g.length > 1);
}

/** A state key that is the same for states equal up to permuting the harts of a group. */
export function symmetricKey(machine: Machine, groups: readonly number[][], actorKeys: (o: Observation) => number[]) {
  const byNumber = (a: number, b: number) => a - b;
  return (s: MachineState, o: Observation): string => {
    const hk = machine.hartKeys(s);
    const ok = actorKeys(o);
    if (ok.some((k) => k >= 0x100000)) return stringKey(hk, ok, groups) + machine.sharedKey(s);
    // One number per hart (machine part and observation part, both small interned ids:
    // the sum stays exact), sorted within each group.
    const parts = hk.map((h, i) => h * 0x100000 + ok[i]);
    for (const g of groups) {
      const sorted = g.map((i) => parts[i]).sort(byNumber);
      for (let k = 0; k < g.length; k++) parts[g[k]] = sorted[k];
    }
    return parts.join(',') + machine.sharedKey(s);
  };
}

/** The same key for observations too many to pack into a number with the hart's part. */
function stringKey(hk: readonly number[], ok: readonly number[], groups: readonly number[][]): string {
  const parts = hk.map((h, i) => `${h}:${ok[i]}`);
  for (const g of groups) {
    const sorted = g.map((i) => parts[i]).sort();
    g.forEach((i, k) => (parts[i] = sorted[k]));
  }
  return parts.join(',') + '/';
}
