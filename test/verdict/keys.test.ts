// The search's int keys against the strings they replaced (string-keys.ts, the code of
// commit 72a95f8): judged both ways, scenarios with symmetric harts, interrupts,
// preemption and migration, services, RVWMO stores and grace periods give the same
// states, transitions, verdicts and byte-identical reports; and over every state met,
// two states get equal int keys exactly when they get equal strings.

import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { IntKey } from '../../src/machine/int-tuples.ts';
import type { MachineState } from '../../src/machine/types.ts';
import { jsonReport, renderMarkdown, toJsonText } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario, type JudgeOptions } from '../../src/verdict/index.ts';
import type { Observation } from '../../src/verdict/observer.ts';
import { pushPair } from '../../src/verdict/symmetry.ts';

/**
 * How the judge keys states here: `ints`, as it does; `strings`, the old string keys
 * (each interned to one int); `both`, the int keys, each checked against its string.
 */
const keys = vi.hoisted(() => ({ mode: 'ints' as 'ints' | 'strings' | 'both', compared: 0, mismatches: [] as string[] }));

vi.mock('../../src/verdict/symmetry.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/verdict/symmetry.ts')>();
  const { stringStateKey } = await import('./string-keys.ts');
  const stateKey: typeof real.stateKey = (machine, groups, actorKeys, sharedKey = () => 0) => {
    const ints = real.stateKey(machine, groups, actorKeys, sharedKey);
    if (keys.mode === 'ints') return ints;
    const strings = stringStateKey(
      machine,
      groups,
      (o) => actorKeys(o, []),
      (o) => {
        const steps = sharedKey(o);
        return steps ? 's' + steps : '';
      },
    );
    if (keys.mode === 'strings') {
      const ids = new Map<string, number>();
      return (s: MachineState, o: Observation, out: IntKey) => {
        const k = strings(s, o);
        let id = ids.get(k);
        if (id === undefined) ids.set(k, (id = ids.size));
        out.push(id);
      };
    }
    const intsOf = new Map<string, string>();
    const stringOf = new Map<string, string>();
    return (s: MachineState, o: Observation, out: IntKey) => {
      ints(s, o, out);
      const k = strings(s, o);
      const i = out.view().join(',');
      keys.compared++;
      if ((intsOf.get(k) ?? i) !== i) keys.mismatches.push(`string ${k}: ints ${intsOf.get(k)} and ${i}`);
      if ((stringOf.get(i) ?? k) !== k) keys.mismatches.push(`ints ${i}: strings ${stringOf.get(i)} and ${k}`);
      intsOf.set(k, i);
      stringOf.set(i, k);
    };
  };
  return { ...real, stateKey };
});

function judgeFile(file: string, mode: typeof keys.mode, options: JudgeOptions) {
  keys.mode = mode;
  const nb = readNotebook(file, readFileSync(file, 'utf8'));
  // The plain search: the string keys do not hash-cons hart states (machine.ts `canonical`
  // reads the ids the int keys leave on them), and which representative of a merged state
  // the search keeps may change what partial-order reduction takes alone (never what it
  // finds: test/model/reduction.test.ts). The keys are what is compared here.
  const results = nb.entries.map((e) => judgeScenario(e.scenario, { ...options, reduction: false }));
  return {
    md: renderMarkdown(nb, results),
    json: toJsonText(jsonReport([{ path: file, results }])),
    stats: results.flatMap((r) => r.configs.map((c) => `${r.scenario.name} ${c.model.fetch}: ${c.verdict}, ${c.stats.states} states, ${c.stats.transitions} transitions, ${c.outcomes.length} outcomes`)),
  };
}

const FILES: Array<[string, JudgeOptions]> = [
  // The seed under two of its five configurations, the base and the one with the most rules, for time: the files below run all five.
  ['scenarios/seed/three-step.md', { configs: ['ziccif-only', 'ir3-fetch'] }],
  ['scenarios/model/interrupts.md', {}],
  ['scenarios/model/interrupts.md', { symmetry: false }],
  ['scenarios/model/preemption.md', {}],
  ['scenarios/model/services.md', {}],
  ['scenarios/model/rcu-tasks.md', {}],
  ['scenarios/model/fences.md', {}],
  ['scenarios/model/stop-machine.md', {}],
  ['scenarios/model/ipi.md', {}],
];

describe('int state keys', () => {
  it.each(FILES)('judge %s (%j) as the string keys did', (file, options) => {
    keys.compared = 0;
    keys.mismatches = [];
    const checked = judgeFile(file, 'both', options);
    expect(keys.mismatches.slice(0, 5)).toEqual([]);
    expect(keys.compared).toBeGreaterThan(100);
    const old = judgeFile(file, 'strings', options);
    expect(checked.stats).toEqual(old.stats);
    expect(checked.md).toBe(old.md);
    expect(checked.json).toBe(old.json);
  }, 300_000);
});

describe("a hart's part of the symmetric key", () => {
  it('is one int while small, three beyond, and never the same for two pairs', () => {
    const written = (h: number, o: number) => {
      const k = new IntKey();
      pushPair(k, h, o);
      return [...k.view()];
    };
    expect(written(5, 3)).toEqual([(5 << 8) | 4]);
    expect(written(5, 0xfffff)).toEqual([5 << 8]); // NO_TASK
    expect(written(2 ** 23, 0)).toEqual([-1, 2 ** 23, 0]);
    expect(written(2 ** 40, 7)).toEqual([-1 - 2 ** 9, 0, 7]);
    const hs = [0, 1, 2 ** 23 - 1, 2 ** 23, 2 ** 31 - 1, 2 ** 31, 2 ** 40, 2 ** 52];
    const os = [0, 1, 253, 254, 255, 256, 0xffffe, 0xfffff, 0x100000, 2 ** 31 - 1];
    const all = hs.flatMap((h) => os.map((o) => written(h, o).join(',')));
    expect(new Set(all).size).toBe(all.length);
  });
});
