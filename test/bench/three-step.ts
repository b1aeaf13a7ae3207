// npm run bench: the seed's three-step protocol (scenarios/seed/three-step.md) with 1 to 4
// remote harts, each calling the patched function twice. Prints states, runs and states
// per second; times are medians over several runs (one run for the largest).
//
// Usage: npm run bench [-- --harts 1,2,3,4] [--repeat N] [--max-states N] [--no-symmetry]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { count } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';

const { values } = parseArgs({
  options: {
    harts: { type: 'string', default: '1,2,3,4' },
    repeat: { type: 'string', default: '5' },
    'max-states': { type: 'string', default: '40000000' },
    'no-symmetry': { type: 'boolean', default: false },
  },
});

const FILE = 'scenarios/seed/three-step.md';
const base = readFileSync(FILE, 'utf8');
const harts = values.harts!.split(',').map(Number);
const variants = harts
  .map((n) => `\n\`\`\`patchlit\nname: bench-${n}\nextends: three-step\nharts:\n  - count: ${n}\n    calls: func\n    times: 2\ntable: null\n\`\`\`\n`)
  .join('');
const nb = readNotebook(FILE, base + variants);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: string[][] = [['harts', 'verdict', 'states', 'runs', 'transitions', 'median s', 'states/s', 'heap MB']];
for (const n of harts) {
  const scenario = nb.entries.find((e) => e.scenario.name === `bench-${n}`)!.scenario;
  const times: number[] = [];
  let last;
  const repeat = n >= 4 ? 1 : n === 3 ? Math.min(3, Number(values.repeat)) : Number(values.repeat);
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    last = judgeScenario(scenario, { budget: { maxStates: Number(values['max-states']), maxSeconds: 1800 }, symmetry: !values['no-symmetry'] });
    times.push((performance.now() - t) / 1000);
  }
  const s = median(times);
  rows.push([
    String(n),
    last!.verdict,
    count(last!.stats.states),
    last!.complete ? count(last!.stats.executions) : 'incomplete',
    count(last!.stats.transitions),
    s.toFixed(2),
    count(Math.round(last!.stats.states / s)),
    String(Math.round(process.memoryUsage().heapUsed / 1e6)),
  ]);
  process.stderr.write(`${n} hart(s) done\n`);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`three-step protocol, each remote hart calling func twice (symmetry ${values['no-symmetry'] ? 'off' : 'on'}; node ${process.version})`);
for (const r of rows) console.log(r.map((x, c) => (c < 2 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
