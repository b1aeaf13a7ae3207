// Verdicts against the author's expectations, the way LLVM lit reports tests: a check
// declared to fail (`xfail:`) passes by failing and fails by holding, so a notebook that
// demonstrates a race keeps CI green while still showing its counterexample.

import type { FetchConfigName, Scenario } from '../scenario/types.ts';
import type { ConfigResult, RecordCheck, Status, Verdict } from './types.ts';

/**
 * A check's status from whether it holds and what its author expects: `check` declared
 * to fail, it must fail; in a scenario declared to fail as a whole (`scenario`), it may
 * fail (whether some check does is the scenario's business: scenarioStatus).
 */
export function statusOf(verdict: Verdict, expect: { check?: boolean; scenario?: boolean }): Status {
  if (verdict === 'incomplete') return 'incomplete';
  if (expect.check) return verdict === 'fail' ? 'xfail' : 'xpass';
  if (expect.scenario && verdict === 'fail') return 'xfail';
  return verdict;
}

/** Whether a scenario or claim declared to fail (`xfail:`) is expected to fail under this configuration. */
export function expectsFailure(x: { readonly xfail?: string; readonly xfailUnder?: readonly FetchConfigName[] }, fetch: FetchConfigName): boolean {
  return x.xfail !== undefined && (x.xfailUnder === undefined || x.xfailUnder.includes(fetch));
}

/** Statuses count as passing (pass, xfail) or not; this is the order of their weight in a summary. */
export const STATUS_ORDER: readonly Status[] = ['fail', 'xpass', 'incomplete', 'xfail', 'pass'];

/** Whether a status leaves CI green. */
export function passing(s: Status): boolean {
  return s === 'pass' || s === 'xfail';
}

/**
 * A scenario's status over every configuration: an unexpected failure, a declared failure
 * that holds, or a recorded observation that changed is a failure; then an incomplete
 * search; a scenario declared to fail as a whole (`xfail:` at its top) in which every
 * check holds is an unexpected pass; any expected failure makes it xfail.
 */
export function scenarioStatus(scenario: Scenario, configs: readonly ConfigResult[], records: readonly RecordCheck[]): Status {
  const checks = configs.flatMap((c) => [...c.claims.map((x) => x.status), ...(c.table?.rows.map((r) => r.status) ?? [])]);
  if (checks.includes('fail') || records.some((r) => !r.matches)) return 'fail';
  if (checks.includes('xpass')) return 'xpass';
  if (checks.includes('incomplete') || configs.some((c) => !c.complete)) return 'incomplete';
  // Declared to fail as a whole: under each configuration it is declared for, some check must fail.
  const declared = configs.filter((c) => expectsFailure(scenario, c.model.fetch));
  const failsUnder = (c: ConfigResult) => [...c.claims, ...(c.table?.rows ?? [])].some((x) => x.verdict === 'fail');
  if (declared.some((c) => !failsUnder(c))) return 'xpass';
  return checks.includes('xfail') ? 'xfail' : 'pass';
}

/** How many of each status: the counts every summary (terminal, index page, library) gives. */
export function statusCounts(statuses: Iterable<Status>): Record<Status, number> {
  const n: Record<Status, number> = { pass: 0, fail: 0, xfail: 0, xpass: 0, incomplete: 0 };
  for (const s of statuses) n[s]++;
  return n;
}
