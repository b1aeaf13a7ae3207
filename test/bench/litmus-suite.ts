// npm run bench:suite: the RISC-V ifetch litmus suite (64 tests) under each of its five
// configurations, as `patchlit litmus` runs it: total time (median of several runs), and
// per configuration the states explored and the verdicts that agree with the kinds files.
//
// Usage: npm run bench:suite [-- --repeat N]

import { parseArgs } from 'node:util';
import { count, litmusVerdict } from '../../src/report/index.ts';
import { SUITE_CONFIGS } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { kinds, suiteTests, type KINDS_FILES } from '../model/suite.ts';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const tests = suiteTests();
const expected = new Map(SUITE_CONFIGS.map((c) => [c, kinds(c as keyof typeof KINDS_FILES)]));

const totals: number[] = [];
const perConfig = new Map(SUITE_CONFIGS.map((c) => [c, { seconds: [] as number[], states: 0, agree: 0 }]));
for (let rep = 0; rep < Number(values.repeat); rep++) {
  const started = performance.now();
  for (const config of SUITE_CONFIGS) {
    const row = perConfig.get(config)!;
    const t = performance.now();
    let states = 0;
    let agree = 0;
    for (const test of tests) {
      const c = judgeScenario(test, { configs: [config] }).configs[0];
      states += c.stats.states;
      if (c.complete && litmusVerdict(test, c).kind === expected.get(config)!.get(test.litmus!.name)) agree++;
    }
    row.seconds.push((performance.now() - t) / 1000);
    row.states = states;
    row.agree = agree;
  }
  totals.push((performance.now() - started) / 1000);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`ifetch litmus suite: ${tests.length} tests x ${SUITE_CONFIGS.length} configurations, median of ${values.repeat} runs (node ${process.version})`);
const rows = [['configuration', 'agree', 'states', 'median s', 'states/s']];
for (const [config, r] of perConfig) {
  const s = median(r.seconds);
  rows.push([config, `${r.agree}/${tests.length}`, count(r.states), s.toFixed(2), count(Math.round(r.states / s))]);
}
rows.push(['all', `${[...perConfig.values()].reduce((n, r) => n + r.agree, 0)}/${tests.length * SUITE_CONFIGS.length}`, count([...perConfig.values()].reduce((n, r) => n + r.states, 0)), median(totals).toFixed(2), '']);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
