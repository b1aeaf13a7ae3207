// The machine-readable report: `patchlit run --format json`. Deterministic like the
// Markdown one: counts, not times.

import type { ConfigResult, HardwareCheck, Run, ScenarioResult } from '../verdict/types.ts';
import { actorOf, endingText, Names, stepText, taskIndices } from './describe.ts';
import { herdStates } from './herd.ts';

function runJson(run: Run, names: Names) {
  return {
    steps: run.steps.map((s) => ({ hart: actorOf(s.transition, names), text: stepText(s, names) })),
    ending: run.ending ? endingText(run.ending, names) : null,
    ...(run.loopFrom !== undefined ? { loopFrom: run.loopFrom } : {}),
    choices: run.choices,
  };
}

export function configJson(r: ScenarioResult, c: ConfigResult, names: Names) {
  const finals = herdStates(r.scenario);
  const checks = [
    ...c.claims.map((x) => ({
      name: x.claim.text,
      kind: 'claim' as const,
      verdict: x.verdict,
      status: x.status,
      satisfied: x.satisfied,
      ...(x.counterexample ? { counterexample: runJson(x.counterexample, names) } : {}),
      ...(x.witness ? { witness: runJson(x.witness, names) } : {}),
    })),
    ...(c.table?.rows ?? []).map((row) => {
      const seen = row.parts.find((p) => p.expect === 'impossible' && p.verdict === 'fail');
      const example = seen && c.table!.signatures.get(seen.signature)?.example;
      return {
        name: `${row.row.signature} -- ${row.row.text}`,
        kind: 'table-row' as const,
        verdict: row.verdict,
        status: row.status,
        parts: row.parts,
        ...(example ? { counterexample: runJson(example, names) } : {}),
      };
    }),
  ];
  const signatures = Object.fromEntries(
    [...(c.table?.signatures ?? new Map())].map(([sig, s]) => [sig, { count: s.count, classes: s.classes, ...(s.claimed ? { claimed: s.claimed } : {}) }]),
  );
  return {
    fetch: c.model.fetch,
    verdict: c.verdict,
    checks,
    signatures,
    unlisted: c.table?.unlisted ?? [],
    outcomes: c.outcomes.map((o) => ({
      ending: endingText(o.ending, names),
      calls: Object.fromEntries(taskIndices(r.scenario).map((i) => [names.hart(i), o.tasks[i].calls.map((x) => ({ target: x.stub, from: names.addr(x.site) }))])),
      ...(finals ? { final: finals(o.final) } : {}),
      depth: o.depth,
    })),
    // Cut off by the clock, a search's figures are how far it got in the time (verdict/cutoff.ts): left out.
    stats: {
      ...(c.stopped === 'time' ? {} : { states: c.stats.states, transitions: c.stats.transitions, terminals: c.stats.terminals, maxDepth: c.stats.maxDepth }),
      complete: c.complete,
      ...(c.stopped ? { stopped: c.stopped } : {}),
      ...(c.stopped === 'time' ? {} : { rounds: c.rounds }),
      ...(c.searchedAs ? { searchedAs: c.searchedAs } : {}),
    },
  };
}

export function scenarioJson(r: ScenarioResult) {
  const names = new Names(r.scenario);
  return {
    name: r.scenario.name,
    verdict: r.verdict,
    status: r.status,
    records: r.records.map((x) => ({ kind: x.recorded.kind, line: x.recorded.pos.line, recorded: x.recorded.lines, observed: x.observed, matches: x.matches })),
    model: r.scenario.system.model,
    // A warning about a step imported from another file names that file.
    warnings: (r.scenario.warnings ?? []).map((w) => ({ ...(w.pos.file !== r.scenario.pos.file ? { file: w.pos.file } : {}), line: w.pos.line, col: w.pos.col, message: w.message, ...(w.hint ? { hint: w.hint } : {}) })),
    configurations: r.configs.map((c) => configJson(r, c, names)),
    disagreements: r.explanations.map((e) => ({ claim: r.scenario.claims[e.claim].text, failsUnder: e.failsUnder, holdsUnder: e.holdsUnder, decidedBy: e.deciders })),
    ...(r.hardware ? { hardware: r.hardware.map(hardwareJson) } : {}),
  };
}

/** A machine's histogram against the model, as the Markdown report's table has it. */
function hardwareJson(h: HardwareCheck) {
  const c = h.comparison;
  const first = (n: number | undefined) => (n === undefined ? {} : { first: n });
  return {
    machine: h.run.machine,
    results: h.run.results,
    config: c.config,
    status: h.status,
    ...(h.run.xfail !== undefined ? { xfail: h.run.xfail } : {}),
    iterations: c.iterations,
    ...(c.stopped ? { stopped: c.stopped } : {}),
    modelIncomplete: c.modelIncomplete,
    allowed: c.allowed.map((a) => ({ outcome: a.outcome, count: a.count, ...first(a.first) })),
    forbidden: c.forbidden.map((f) => ({ outcome: f.outcome, count: f.count, ...first(f.first) })),
  };
}

/** One file of the report: its path and its scenarios. */
export function fileJson(f: { path: string; results: readonly ScenarioResult[] }) {
  return { path: f.path, scenarios: f.results.map(scenarioJson) };
}

export function jsonReport(files: ReadonlyArray<{ path: string; results: readonly ScenarioResult[] }>) {
  return { files: files.map(fileJson) };
}

/** JSON text of a report: counts past 2^53 become strings, to lose no digit. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v),
    2,
  );
}
