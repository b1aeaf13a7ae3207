// Notebooks as vitest tests: a project keeps its patching protocols' claims in CI with
//
//   import { describeNotebook } from 'patchlit/vitest';
//   describeNotebook('docs/patching.md');
//
// One describe block per notebook, one test per scenario. The notebook is read and
// compiled when the file is collected, so a bad notebook fails collection with its
// file:line:col message; each scenario is judged only when its test runs, so filters
// (-t) skip the search too. Only this module imports vitest: the rest of the library
// works without it.

import { readInputFile } from './scenario/limits.ts';
import { describe, it } from 'vitest';
import { checksOf, STATUS_PHRASE, type Check } from './report/checks.ts';
import { checksNothing, readNotebook, ScenarioError } from './scenario/index.ts';
import { judgeScenario, type JudgeOptions, type ScenarioResult } from './verdict/index.ts';

export interface NotebookTestOptions extends JudgeOptions {
  /** The describe block's name (default: the file's path). */
  readonly name?: string;
  /** Each scenario's test timeout in milliseconds (default: vitest's). */
  readonly timeout?: number;
}

const failing = (c: Check) => c.status === 'fail' || c.status === 'xpass' || c.status === 'incomplete';

/** What the scenario's status says in the message's first line. */
const SCENARIO_PHRASE = { fail: 'fails', xpass: 'holds though declared to fail', incomplete: 'is undecided: a search ran out of its budget' } as const;

/**
 * Why a scenario's test fails, or undefined when it passes (pass, or xfail: failed as
 * declared). The scenario's file:line, then each failing check with its own line and the
 * configurations it fails under, the first of them explained (its shortest counterexample,
 * or what differs from the recorded observation).
 */
export function scenarioFailure(result: ScenarioResult): string | undefined {
  if (result.status === 'pass' || result.status === 'xfail') return undefined;
  const s = result.scenario;
  const out = [`${s.pos.file}:${s.pos.line}: scenario "${s.name}" ${SCENARIO_PHRASE[result.status]}`];
  // One entry per check and status, with the configurations it has that status under.
  const groups = new Map<string, Check[]>();
  for (const c of checksOf(result).filter(failing)) {
    const key = `${c.kind}\u0000${c.text}\u0000${c.pos.line}:${c.pos.col}\u0000${c.status}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const [, checks] of groups) {
    const first = checks[0];
    const configs = checks.flatMap((c) => (c.config ? [c.config] : []));
    out.push(`  ${first.pos.file}:${first.pos.line}: ${first.text} ${STATUS_PHRASE[first.status]}${configs.length ? ` under ${configs.join(', ')}` : ''}`);
    if (first.why) out.push(`    ${first.why}${configs.length > 1 ? ` (under ${first.config})` : ''}`);
    out.push(...first.lines.map((l) => `      ${l}`));
  }
  return out.join('\n');
}

/** Registers a describe block for the notebook and a test per scenario, each failing with scenarioFailure's message. */
export function describeNotebook(file: string, options: NotebookTestOptions = {}): void {
  const { name, timeout, ...judge } = options;
  const notebook = readNotebook(file, readInputFile(file));
  describe(name ?? file, () => {
    for (const { scenario } of notebook.entries) {
      it(
        scenario.name,
        () => {
          const vacuous = checksNothing(scenario);
          if (vacuous.length) throw new ScenarioError(vacuous);
          const problem = scenarioFailure(judgeScenario(scenario, judge));
          if (problem !== undefined) throw new Error(problem);
        },
        timeout,
      );
    }
  });
}
