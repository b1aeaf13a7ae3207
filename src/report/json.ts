// The machine-readable report: `patchlit run --format json`. Deterministic like the
// Markdown one: counts, not times.

import type { ScenarioResult } from '../verdict/types.ts';
import type { Run } from '../verdict/types.ts';
import { actorOf, endingText, Names, stepText } from './describe.ts';

function runJson(run: Run, names: Names) {
  return {
    steps: run.steps.map((s) => ({ hart: actorOf(s.transition, names), text: stepText(s, names) })),
    ending: endingText(run.ending, names),
    choices: run.choices,
  };
}

export function scenarioJson(r: ScenarioResult) {
  const names = new Names(r.scenario);
  const checks = [
    ...r.claims.map((c) => ({
      name: c.claim.text,
      kind: 'claim' as const,
      verdict: c.verdict,
      satisfied: c.satisfied,
      ...(c.counterexample ? { counterexample: runJson(c.counterexample, names) } : {}),
      ...(c.witness ? { witness: runJson(c.witness, names) } : {}),
    })),
    ...(r.table?.rows ?? []).map((row) => {
      const seen = row.parts.find((p) => p.expect === 'impossible' && p.verdict === 'fail');
      const example = seen && r.table!.signatures.get(seen.signature)?.example;
      return {
        name: `${row.row.signature} -- ${row.row.text}`,
        kind: 'table-row' as const,
        verdict: row.verdict,
        parts: row.parts,
        ...(example ? { counterexample: runJson(example, names) } : {}),
      };
    }),
  ];
  const signatures = Object.fromEntries(
    [...(r.table?.signatures ?? new Map())].map(([sig, s]) => [sig, { count: s.count, classes: s.classes, ...(s.claimed ? { claimed: s.claimed } : {}) }]),
  );
  return {
    name: r.scenario.name,
    verdict: r.verdict,
    model: r.scenario.system.model,
    checks,
    signatures,
    unlisted: r.table?.unlisted ?? [],
    outcomes: r.outcomes.map((o) => ({
      ending: endingText(o.ending, names),
      calls: Object.fromEntries(o.harts.map((h, i) => [names.hart(i), h.calls.map((c) => ({ target: c.stub, from: names.addr(c.site) }))])),
      runs: o.runs,
    })),
    stats: {
      states: r.stats.states,
      executions: r.stats.executions,
      transitions: r.stats.transitions,
      terminals: r.stats.terminals,
      maxDepth: r.stats.maxDepth,
      complete: r.complete,
    },
  };
}

export function jsonReport(files: ReadonlyArray<{ path: string; results: readonly ScenarioResult[] }>) {
  return { files: files.map((f) => ({ path: f.path, scenarios: f.results.map(scenarioJson) })) };
}

/** JSON text of a report: counts past 2^53 become strings, to lose no digit. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v),
    2,
  );
}
