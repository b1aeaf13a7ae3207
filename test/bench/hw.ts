// npm run bench:hw: scenarios run on QEMU, as litmus7 runs herd's tests on a machine. Each
// one the emitter supports is built (bare-metal target unless it makes SBI calls), run K
// times on qemu-system-riscv64 with multi-threaded TCG, and its outcomes held against the
// model under the configuration that describes QEMU (ziccid with parcel atomicity: its
// translator reads an instruction in two halves). Per test: the outcomes the model allows
// and how many QEMU showed; an outcome the model forbids is printed with its first
// iteration, and makes the exit status 1 (QEMU 7.2's stale translations show so:
// scenarios/hw/qemu.md).
//
// Usage: npm run bench:hw [-- --set ifetch|scenarios|all --iterations K --model CONFIG --atomicity ziccif|parcel]
//   ifetch: the RISC-V ifetch litmus suite (64 tests); scenarios: every notebook under scenarios/.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compareHistogram, emitProgram, histogramOf, runOnQemu, toolsMissing } from '../../src/hw/index.ts';
import { readNotebook, ScenarioError, type FetchConfigName, type Scenario } from '../../src/scenario/index.ts';
import { suiteTests } from '../model/suite.ts';

const { values } = parseArgs({
  options: { set: { type: 'string', default: 'ifetch' }, iterations: { type: 'string', default: '300' }, model: { type: 'string', default: 'ziccid' }, atomicity: { type: 'string', default: 'parcel' } },
});
const missing = toolsMissing();
if (missing) {
  console.error(`bench:hw: ${missing}`);
  process.exit(2);
}

function notebookScenarios(dir: string): Scenario[] {
  const out: Scenario[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...notebookScenarios(path));
    else if (/\.(md|ya?ml)$/.test(name) && !path.startsWith('scenarios/lib')) {
      try {
        out.push(...readNotebook(path, readFileSync(path, 'utf8')).entries.map((e) => e.scenario));
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
      }
    }
  }
  return out;
}

const sets: Record<string, () => Scenario[]> = {
  ifetch: suiteTests,
  scenarios: () => notebookScenarios('scenarios'),
  all: () => [...suiteTests(), ...notebookScenarios('scenarios')],
};
if (!sets[values.set]) {
  console.error(`bench:hw: --set takes ${Object.keys(sets).join(', ')}, not "${values.set}"`);
  process.exit(2);
}
const machine = { fetch: values.model as FetchConfigName, atomicity: { kind: values.atomicity as 'ziccif' | 'parcel' } };
const iterations = Number(values.iterations);
const rows = [['test', 'target', 'harts', 'allowed', 'seen', 'forbidden', 'QEMU s']];
let allowed = 0;
let seen = 0;
let forbidden = 0;
let refused = 0;
const started = performance.now();
for (const test of sets[values.set]()) {
  let program;
  try {
    program = emitProgram(test, { iterations });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    refused++;
    continue;
  }
  const run = runOnQemu(program, { timeoutSeconds: 600 });
  const histogram = histogramOf(run, test.name);
  if (typeof histogram === 'string') {
    console.log(`${test.name}: ${histogram}`);
    forbidden++;
    continue;
  }
  const c = compareHistogram(test, histogram, machine);
  const shown = c.allowed.filter((a) => a.count).length;
  allowed += c.allowed.length;
  seen += shown;
  forbidden += c.forbidden.length;
  for (const f of c.forbidden) console.log(`${test.pos.file}:${test.pos.line} ${test.name}: FORBIDDEN ${f.count} ${f.outcome} (first at iteration ${f.first})`);
  rows.push([test.name, program.target, String(program.harts), String(c.allowed.length), String(shown), String(c.forbidden.length), run.runSeconds.toFixed(1)]);
}
console.log(`${values.set} on QEMU: ${rows.length - 1} scenarios x ${iterations} iterations, held against ${machine.fetch} with ${machine.atomicity.kind} atomicity; ${refused} not emitted (emit does not support them yet)`);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
console.log(`allowed outcomes seen: ${seen} of ${allowed}; forbidden: ${forbidden}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
process.exit(forbidden ? 1 : 0);
