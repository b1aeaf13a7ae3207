// npm run bench: the seed's three-step protocol (scenarios/seed/three-step.md) with remote
// harts each calling the patched function twice (--calls), under each fetch configuration;
// optionally each hart may take timer interrupts (--timers) at which its task may be
// preempted and resumed on another hart (--preempt). Prints states, outcomes and states per
// second for each configuration, then the wall time of all the configurations of a harts
// count judged together, `--jobs` at once in worker threads as `patchlit run` judges them
// (default: one per core; 1, one after the other in this thread). Times are medians over
// several runs (one run for three harts and more); the threads start once, before the first.
//
// Usage: npm run bench:explore [-- --harts 1,2,3] [--models ziccif-only,...] [--repeat N]
//          [--max-states N] [--no-symmetry] [--no-reduction] [--calls N] [--timers N] [--preempt] [--jobs N]
//          [--timeout S]   (each harts count's configurations share S seconds, default 600:
//                           a search cut off says "incomplete" with the states it reached)

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { count } from '../../src/report/index.ts';
import { readNotebook, SUITE_CONFIGS, type FetchConfigName } from '../../src/scenario/index.ts';
import { defaultJobs, JudgePool, type UnitDone } from '../../src/verdict/index.ts';

const { values } = parseArgs({
  options: {
    harts: { type: 'string', default: '1,2,3' },
    models: { type: 'string', default: SUITE_CONFIGS.join(',') },
    repeat: { type: 'string', default: '5' },
    'max-states': { type: 'string', default: '40000000' },
    'no-symmetry': { type: 'boolean', default: false },
    'no-reduction': { type: 'boolean', default: false },
    timers: { type: 'string', default: '0' },
    preempt: { type: 'boolean', default: false },
    calls: { type: 'string', default: '2' },
    jobs: { type: 'string' },
    timeout: { type: 'string', default: '600' },
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
const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
// The units of the judgement being timed, as they end: where the time of each configuration went.
let units: UnitDone[] = [];
// Long searches say how far they are, once a minute each, on stderr.
const nextReport = new Map<string, number>();
const pool = new JudgePool({
  jobs,
  onProgress: (p) => {
    for (const { scenario, config, progress } of p.running) {
      const key = `${scenario}/${config}`;
      if (progress.seconds < (nextReport.get(key) ?? 60)) continue;
      nextReport.set(key, Math.floor(progress.seconds / 60) * 60 + 60);
      process.stderr.write(`  ${scenario}, ${config}: ${count(progress.states)} states, depth ${progress.depth}, queue ${count(progress.queue)}, ${progress.seconds.toFixed(0)} s\n`);
    }
  },
  onUnit: (u) => units.push(u),
});
const rows: string[][] = [['harts', 'configuration', 'verdict', 'states', 'outcomes', 'transitions', 'median s', 'states/s', 'heap MB']];
const walls: string[] = [];
try {
  for (const n of harts) {
    const scenario = nb.entries.find((e) => e.scenario.name === `bench-${n}`)!.scenario;
    const repeat = n >= 3 ? 1 : Number(values.repeat);
    const seconds = new Map<FetchConfigName, number[]>(models.map((m) => [m, []]));
    const heap = new Map<FetchConfigName, number>();
    const wall: number[] = [];
    let last;
    for (let i = 0; i < repeat; i++) {
      units = [];
      nextReport.clear();
      const t = performance.now();
      last = await pool.judge(scenario, {
        configs: models,
        budget: { maxStates: Number(values['max-states']), maxSeconds: Number(values.timeout) },
        symmetry: !values['no-symmetry'],
        reduction: !values['no-reduction'],
      });
      wall.push((performance.now() - t) / 1000);
      for (const u of units) {
        seconds.get(u.config)!.push(u.seconds);
        heap.set(u.config, u.heapUsed);
        // A configuration whose result a shared search gave took no time of its own.
        for (const c of u.shared) seconds.get(c)!.push(0);
      }
    }
    for (const c of last!.configs) {
      const s = median(seconds.get(c.model.fetch)!);
      rows.push([
        String(n),
        c.searchedAs ? `${c.model.fetch} (= ${c.searchedAs})` : c.model.fetch,
        c.verdict,
        count(c.stats.states),
        c.complete ? count(c.outcomes.length) : 'incomplete',
        count(c.stats.transitions),
        c.searchedAs ? 'shared' : s.toFixed(2),
        c.searchedAs ? '' : count(Math.round(c.stats.states / s)),
        c.searchedAs ? '' : String(Math.round(heap.get(c.model.fetch)! / 1e6)),
      ]);
    }
    walls.push(`${n} hart(s): all ${models.length} configuration(s) together ${median(wall).toFixed(2)} s wall (median of ${repeat}: ${wall.map((w) => w.toFixed(2)).join(', ')})`);
    process.stderr.write(`${n} hart(s) done\n`);
  }
} finally {
  await pool.close();
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const extra = timers ? `, ${timers} timer interrupt(s) each${values.preempt ? ', preemption on' : ''}` : values.preempt ? ', no preemption (it comes at a timer interrupt: add --timers N)' : '';
console.log(`three-step protocol, each remote hart calling func ${calls === 2 ? 'twice' : `${calls} time(s)`}${extra} (symmetry ${values['no-symmetry'] ? 'off' : 'on'}, reduction ${values['no-reduction'] ? 'off' : 'on'}; --jobs ${jobs}${jobs === 1 ? ', in this thread' : ' worker threads'}; node ${process.version})`);
for (const r of rows) console.log(r.map((x, c) => (c < 3 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
for (const w of walls) console.log(w);
// The whole process's peak (every worker thread included): run one harts count per process to have it per count.
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
