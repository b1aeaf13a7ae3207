// patchlit as a library: the same pipeline the command runs, stage by stage. README.md
// ("The library") documents what a consumer uses; test/api-readme.test.ts type-checks its
// examples against these exports.
//
//   import { run } from 'patchlit';
//   const { files, passed, failed } = await run('scenarios/seed');
//
// and for vitest, `import { describeNotebook } from 'patchlit/vitest'` (kept apart, so
// that the library never loads vitest itself).
//
// ESM only, and `require('patchlit')` works all the same on Node 20.19 and later (Node's
// require(esm)) as long as no module this one imports awaits at its top level:
// test/api-readme.test.ts keeps it so.

// Judging: the entry points, their results (which JSON.stringify takes: serialize.ts), their errors.
export { run, runFile, readScenarioFile, type RunOptions, type RunResult } from './api.ts';
export type { JudgedFile, JudgedScenario, ReportJson, FileJson, ScenarioJson, ConfigJson } from './serialize.ts';
export { FileError, NoScenarioError } from './errors.ts';
export { ScenarioError, type Diagnostic, type DiagnosticNote, type SourcePos } from './scenario/index.ts';
export { formatDiagnostic } from './cli/diagnostics.ts';
export type { ScenarioResult, ConfigResult, ClaimResult, RowResult, RecordCheck, Outcome, Run, Verdict, Status, StopReason } from './verdict/index.ts';

// Reports.
export { renderMarkdown, renderText, renderJunit, jsonReport, toJsonText, herdBlock, checksOf, type Check, type InputError } from './report/index.ts';
export type { TextOptions } from './report/text.ts';
export { REPORT_SCHEMA } from './report/json-schema.ts';

// The stages, for programs that go further than a run.
export * as isa from './isa/index.ts';
export { readNotebook, compileLitmus, FETCH_CONFIG_NAMES, SUITE_CONFIGS, type Notebook, type Scenario, type Claim, type FetchConfigName } from './scenario/index.ts';
export { Machine, FETCH_CONFIGS } from './machine/index.ts';
export { explore } from './explore/explore.ts';
export { judgeScenario, replayMachine, type JudgeOptions } from './verdict/index.ts';
export { JudgePool, judgeAll, defaultJobs, type PoolOptions, type PoolJudgeOptions, type PoolProgress } from './verdict/index.ts';
export { scenarioFiles } from './files.ts';
