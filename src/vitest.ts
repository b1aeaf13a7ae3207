// Notebooks as vitest tests: a project keeps its patching protocols' claims in CI with
//
//   import { describeNotebook } from 'patchlit/vitest';
//   describeNotebook('docs/patching.md');
//
// A describe block per notebook, one per scenario in it, and a test per check and
// configuration: the JUnit report's test cases, under the same names ("never: crash
// [ziccid]"), so CI shows the same granularity either way. The notebook is read and
// compiled when the file is collected, so a bad notebook fails collection with its
// file:line:col message. A scenario is judged once, when its first test runs (so -t
// filters skip the search too), and each of its tests reads its own check's outcome.
// Only this module imports vitest: the rest of the library works without it.
//
// Timeouts. The search runs in worker threads (verdict/pool.ts), so that vitest's timer
// can fire while it runs: a search in the test's own thread blocks the event loop, and
// vitest then reports the timeout only once the search has ended. The default timeout is
// the scenario's time budget (its `budget:`, or the default) plus a margin: the budget
// stops a search first, and the test fails saying which budget ran out (an incomplete
// verdict) rather than "Test timed out".
//
// Expected failures. A check that fails as declared (xfail) is skipped with a note,
// "expected failure under ziccid: shortest counterexample: ...". That is the convention
// the JUnit report follows (pytest's: skipped, type xfail): vitest's reporters print the
// note beside the test (`↓ never: crash [ziccid] [expected failure ...]`), count it
// apart from the passes, and its JUnit reporter writes <skipped/>, neither a pass nor a
// failure. vitest's own `test.fails` does not fit: it shows as a plain ✓ in the test list,
// and a declared failure that holds (xpass) could then only fail with "Expect test to
// fail", where this helper says which run shows it holds.

import { afterAll, describe, it, type TestContext } from 'vitest';
import { readScenarioFile } from './api.ts';
import { NoScenarioError } from './errors.ts';
import { checkKey, checkMessage, checkName, checksOf, plannedChecks, type Check } from './report/checks.ts';
import { Names } from './report/describe.ts';
import { laneLines } from './report/lanes.ts';
import { withHardware } from './hw/index.ts';
import type { Scenario } from './scenario/index.ts';
import { defaultJobs, JudgePool, passing, planScenario, type PoolJudgeOptions, type ScenarioResult } from './verdict/index.ts';

export interface NotebookTestOptions extends PoolJudgeOptions {
  /** The notebook's describe block's name (default: the file's path). */
  readonly name?: string;
  /**
   * Each test's timeout in milliseconds. Default: the scenario's time budget (its
   * `budget:`, or JudgeOptions' `budget`, or the default) plus TIMEOUT_MARGIN_MS.
   */
  readonly timeout?: number;
  /**
   * Configurations judged at once, each in a worker thread (default: one per core, and
   * at least 2). 1 judges in the test's own thread, where no timeout interrupts a search.
   */
  readonly jobs?: number;
}

/** Beyond the time budget, for starting the worker threads and putting the results together. */
export const TIMEOUT_MARGIN_MS = 30_000;

/** Longer than this, Node's timers fire at once: no timeout then. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** A test's default timeout for a search of `seconds` at most (Infinity: no limit, which vitest takes as no timeout). */
export function budgetTimeout(seconds: number): number {
  const ms = seconds * 1000 + TIMEOUT_MARGIN_MS;
  return ms > LONGEST_TIMER_MS ? Infinity : ms;
}

/** Columns of the runs drawn in a failure message. */
const LANE_WIDTH = 100;

/**
 * Why a check's test fails: where it was written, what happened under which configuration,
 * and the run that shows it as lanes (a column per hart), whole; or the lines that changed,
 * for a recorded observation.
 */
export function checkFailure(r: ScenarioResult, check: Check): string {
  const at = `${check.pos.file}:${check.pos.line}:${check.pos.col}`;
  const lines = check.run ? laneLines(check.run, r.scenario, new Names(r.scenario), { width: LANE_WIDTH, indent: '    ' }) : check.lines.map((l) => `    ${l}`);
  return [`${at}: ${check.text} ${checkMessage(check)}`, ...lines].join('\n');
}

/** The failure, as vitest shows it: the message alone, since where patchlit's code threw it says nothing about the notebook. */
function failure(message: string): Error {
  const e = new Error(message);
  e.stack = `Error: ${message}`;
  return e;
}

/** A check's test, once its scenario is judged: passes, is skipped as an expected failure, or throws why it fails. */
function settle(r: ScenarioResult, check: Check, ctx: TestContext): void {
  if (check.status === 'pass') return;
  if (check.status === 'xfail') ctx.skip(checkMessage(check));
  throw failure(checkFailure(r, check));
}

/** A judging pool, started at the first judgement. */
function lazyPool(jobs: number): { judge(s: Scenario, options: PoolJudgeOptions): Promise<ScenarioResult>; close(): Promise<void> } {
  let pool: JudgePool | undefined;
  return {
    judge: (s, options) => (pool ??= new JudgePool({ jobs, here: false })).judge(s, options),
    close: async () => pool?.close(),
  };
}

/** A scenario judged, and its checks by checkKey: worked out once for all its tests. */
interface Judged {
  readonly result: ScenarioResult;
  readonly checks: ReadonlyMap<string, Check>;
}

function describeScenario(s: Scenario, judge: PoolJudgeOptions, pool: ReturnType<typeof lazyPool>, timeout: number | undefined): void {
  const plan = planScenario(s, judge);
  let judging: Promise<Judged> | undefined;
  let judged: Judged | undefined;
  const judgement = () =>
    (judging ??= pool.judge(s, judge).then((judgedResult) => {
      // A scenario's hardware: histograms held against the model, as `patchlit run` holds them.
      const result = withHardware(judgedResult);
      return (judged = { result, checks: new Map(checksOf(result).map((c) => [checkKey(c), c])) });
    }));
  const ms = timeout ?? budgetTimeout(plan.seconds);
  describe(s.name, () => {
    for (const planned of plannedChecks(s, plan.models.map((m) => m.fetch))) {
      it(
        checkName(planned),
        async (ctx) => {
          const { result, checks } = await judgement();
          const check = checks.get(checkKey(planned));
          if (!check) throw new Error(`patchlit: no outcome for ${checkName(planned)}: report this as a bug`);
          settle(result, check, ctx);
        },
        ms,
      );
    }
    // What the scenario's status owes to no single check (checks.ts: a scenario declared to
    // fail in which everything holds; a search stopped though every check was decided)
    // fails the scenario's block, once it has been judged here.
    afterAll(() => {
      const owed = judged ? [...judged.checks.values()].filter((c) => c.kind === 'scenario' && !passing(c.status)) : [];
      if (owed.length) throw failure(owed.map((c) => checkFailure(judged!.result, c)).join('\n'));
    });
  });
}

/**
 * Registers a describe block for the notebook, one for each of its scenarios and a test
 * for each check under each configuration. Throws at once (failing collection) with
 * FileError for a file it cannot read, ScenarioError for bad input, NoScenarioError for a
 * file with no scenario.
 */
export function describeNotebook(file: string, options: NotebookTestOptions = {}): void {
  const { name, timeout, jobs, ...judge } = options;
  const notebook = readScenarioFile(file);
  if (!notebook.entries.length) throw new NoScenarioError([file], true);
  const pool = lazyPool(jobs ?? Math.max(2, defaultJobs()));
  describe(name ?? file, () => {
    afterAll(() => pool.close());
    for (const { scenario } of notebook.entries) describeScenario(scenario, judge, pool, timeout);
  });
}
