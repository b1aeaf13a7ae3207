// npm run bench: the seed's three-step protocol (scenarios/seed/three-step.md) with remote
// harts each calling the patched function twice (--calls), under each fetch configuration;
// optionally each hart may take timer interrupts (--timers) at which its task may be
// preempted and resumed on another hart (--preempt). Prints states, runs and states per
// second; times are medians over several runs (one run for three harts and more).
//
// Usage: npm run bench:explore [-- --harts 1,2,3] [--models ziccif-only,...] [--repeat N]
//          [--max-states N] [--no-symmetry] [--calls N] [--timers N] [--preempt]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { count } from '../../src/report/index.ts';
import { readNotebook, SUITE_CONFIGS, type FetchConfigName } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';

const { values } = parseArgs({
  options: {
    harts: { type: 'string', default: '1,2,3' },
    models: { type: 'string', default: SUITE_CONFIGS.join(',') },
    repeat: { type: 'string', default: '5' },
    'max-states': { type: 'string', default: '40000000' },
    'no-symmetry': { type: 'boolean', default: false },
    timers: { type: 'string', default: '0' },
    preempt: { type: 'boolean', default: false },
    calls: { type: 'string', default: '2' },
  },
});

const FILE = 'scenarios/seed/three-step.md';
const base = readFileSync(FILE, 'utf8');
const harts = values.harts!.split(',').map(Number);
const models = values.models!.split(',') as FetchConfigName[];
const timers = Number(values.timers);
const calls = Number(values.calls);
// Preemption comes at a timer interrupt: without timers `preempt:` is an error (nothing would move the task).
const interrupts = timers ? `    timer: { count: ${timers} }\n${values.preempt ? '    preempt: true\n' : ''}` : '';
const variants = harts
  .map((n) => `\n\`\`\`patchlit\nname: bench-${n}\nextends: three-step\nharts:\n  - count: ${n}\n    calls: func\n    times: ${calls}\n${interrupts}table: null\n\`\`\`\n`)
  .join('');
const nb = readNotebook(FILE, base + variants);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: string[][] = [['harts', 'configuration', 'verdict', 'states', 'runs', 'transitions', 'median s', 'states/s', 'heap MB']];
for (const n of harts) {
  const scenario = nb.entries.find((e) => e.scenario.name === `bench-${n}`)!.scenario;
  for (const model of models) {
    const times: number[] = [];
    let last;
    const repeat = n >= 3 ? 1 : Number(values.repeat);
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      let report = 60;
      last = judgeScenario(scenario, {
        configs: [model],
        budget: { maxStates: Number(values['max-states']), maxSeconds: 3 * 3600 },
        symmetry: !values['no-symmetry'],
        // Long searches say how far they are, once a minute, on stderr.
        onProgress: (p) => {
          if (p.seconds < report) return;
          report += 60;
          process.stderr.write(`  ${n} hart(s), ${model}: ${count(p.states)} states, depth ${p.depth}, queue ${count(p.queue)}, ${p.seconds.toFixed(0)} s\n`);
        },
      });
      times.push((performance.now() - t) / 1000);
    }
    const c = last!.configs[0];
    const s = median(times);
    rows.push([
      String(n),
      model,
      c.verdict,
      count(c.stats.states),
      c.complete ? count(c.stats.executions) : 'incomplete',
      count(c.stats.transitions),
      s.toFixed(2),
      count(Math.round(c.stats.states / s)),
      String(Math.round(process.memoryUsage().heapUsed / 1e6)),
    ]);
    process.stderr.write(`${n} hart(s), ${model} done\n`);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const extra = timers ? `, ${timers} timer interrupt(s) each${values.preempt ? ', preemption on' : ''}` : values.preempt ? ', no preemption (it comes at a timer interrupt: add --timers N)' : '';
console.log(`three-step protocol, each remote hart calling func ${calls === 2 ? 'twice' : `${calls} time(s)`}${extra} (symmetry ${values['no-symmetry'] ? 'off' : 'on'}; node ${process.version})`);
for (const r of rows) console.log(r.map((x, c) => (c < 3 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
