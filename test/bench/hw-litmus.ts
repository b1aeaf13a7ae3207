// npm run bench:hw: the RISC-V ifetch litmus suite on QEMU, as litmus7 runs herd's tests
// on a machine: each test the emitter supports, built for the bare-metal target, run K
// times on qemu-system-riscv64 with multi-threaded TCG, its outcomes held against the
// model under the configuration that describes QEMU (ziccid with parcel atomicity: its
// translator reads an instruction in two halves). Per test: the outcomes the model allows
// and how many QEMU showed; any outcome the model forbids is printed with its first
// iteration, and makes the exit status 1.
//
// Usage: npm run bench:hw [-- --iterations K --model CONFIG --atomicity ziccif|parcel --target bare|sbi]

import { parseArgs } from 'node:util';
import { compareHistogram, emitProgram, parseHistogram, runOnQemu, toolsMissing, unsupportedFeatures, type HwTarget } from '../../src/hw/index.ts';
import type { FetchConfigName } from '../../src/scenario/index.ts';
import { suiteTests } from '../model/suite.ts';

const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '300' }, model: { type: 'string', default: 'ziccid' }, atomicity: { type: 'string', default: 'parcel' }, target: { type: 'string', default: 'bare' } },
});
const missing = toolsMissing();
if (missing) {
  console.error(`bench:hw: ${missing}`);
  process.exit(2);
}
const machine = { fetch: values.model as FetchConfigName, atomicity: { kind: values.atomicity as 'ziccif' | 'parcel' } };
const iterations = Number(values.iterations);
const rows = [['test', 'harts', 'allowed', 'seen', 'forbidden', 'QEMU s']];
let allowed = 0;
let seen = 0;
let forbidden = 0;
let skipped = 0;
const started = performance.now();
for (const test of suiteTests()) {
  const refused = unsupportedFeatures(test, values.target as HwTarget);
  if (refused.length) {
    skipped++;
    console.log(`${test.name}: not emitted (${refused.join('; ')})`);
    continue;
  }
  const program = emitProgram(test, { iterations, target: values.target as HwTarget });
  const run = runOnQemu(program, { timeoutSeconds: 600 });
  if (run.problem) {
    console.log(`${test.name}: ${run.problem}`);
    forbidden++;
    continue;
  }
  const c = compareHistogram(test, parseHistogram(run.output, test.name), machine);
  const shown = c.allowed.filter((a) => a.count).length;
  allowed += c.allowed.length;
  seen += shown;
  forbidden += c.forbidden.length;
  for (const f of c.forbidden) console.log(`${test.name}: FORBIDDEN ${f.count} ${f.outcome} (first at iteration ${f.first})`);
  rows.push([test.name, String(program.harts), String(c.allowed.length), String(shown), String(c.forbidden.length), run.runSeconds.toFixed(1)]);
}
console.log(`ifetch litmus suite on QEMU (${values.target}): ${rows.length - 1} tests x ${iterations} iterations, held against ${machine.fetch} with ${machine.atomicity.kind} atomicity; ${skipped} not emitted`);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
console.log(`allowed outcomes seen: ${seen} of ${allowed}; forbidden: ${forbidden}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
process.exit(forbidden ? 1 : 0);
