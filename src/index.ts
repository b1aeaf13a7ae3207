// patchlit as a library: the same pipeline the command runs, stage by stage.
//
//   import { run } from 'patchlit';
//   const { files, passed, failed } = await run('scenarios/seed');
//
// and for vitest, `import { describeNotebook } from 'patchlit/vitest'` (kept apart, so
// that the library never loads vitest itself).

import { readInputFile } from './scenario/limits.ts';
import { renderMarkdown } from './report/index.ts';
import { readNotebook, type Notebook } from './scenario/index.ts';
import { judgeScenario, type JudgeOptions, type ScenarioResult } from './verdict/index.ts';

export * as isa from './isa/index.ts';
export { readNotebook, compileLitmus, ScenarioError, FETCH_CONFIG_NAMES, SUITE_CONFIGS, type Notebook, type Scenario, type Diagnostic, type FetchConfigName } from './scenario/index.ts';
export { Machine, FETCH_CONFIGS } from './machine/index.ts';
export { explore } from './explore/explore.ts';
export { judgeScenario, replayMachine, type ScenarioResult, type ConfigResult, type Verdict, type Status, type JudgeOptions } from './verdict/index.ts';
export { JudgePool, judgeAll, defaultJobs, type PoolOptions, type PoolJudgeOptions, type PoolProgress } from './verdict/index.ts';
export { renderMarkdown, renderText, renderJunit, jsonReport, toJsonText, herdBlock, checksOf, type Check } from './report/index.ts';
export { REPORT_SCHEMA } from './report/json-schema.ts';
export { run, type RunOptions, type RunResult } from './api.ts';
export { scenarioFiles } from './files.ts';

/** Reads, explores and judges every scenario of a file; renders its Markdown report. */
export function runFile(file: string, options: JudgeOptions = {}): { notebook: Notebook; results: ScenarioResult[]; markdown: string } {
  const notebook = readNotebook(file, readInputFile(file));
  const results = notebook.entries.map((e) => judgeScenario(e.scenario, options));
  return { notebook, results, markdown: renderMarkdown(notebook, results) };
}
