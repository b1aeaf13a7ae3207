// patchlit as a typed library call: judge every scenario under some paths and count the
// statuses, the way `patchlit run` does without writing reports.
//
//   import { run } from 'patchlit';
//   const { failed, files } = await run('scenarios', { configs: ['ziccif-only'] });
//
// Asynchronous: the scenarios' configurations are judged in worker threads, `jobs` at
// once (verdict/pool.ts); the results do not depend on how many.

import { statSync } from 'node:fs';
import { FileError, NoScenarioError } from './errors.ts';
import { scenarioFiles } from './files.ts';
import { judgeableNotebook } from './machine/index.ts';
import { renderMarkdown } from './report/index.ts';
import { FETCH_CONFIG_NAMES, ScenarioError, type Diagnostic, type FetchConfigName, type Notebook } from './scenario/index.ts';
import { readInputFile } from './scenario/limits.ts';
import { judgedFile, withReportJson, type JudgedFile, type ReportJson } from './serialize.ts';
import { judgeAll, judgeScenario, statusCounts, type JudgeOptions } from './verdict/index.ts';
import { withHardware } from './hw/index.ts';

export interface RunOptions {
  /** Judge under these fetch configurations instead of each scenario's own. */
  readonly configs?: readonly FetchConfigName[];
  /** Bounds on each search; past them a verdict is incomplete. */
  readonly budget?: { readonly maxStates?: number; readonly maxSeconds?: number };
  /** Merge states equal up to permuting identical harts (default true). */
  readonly symmetry?: boolean;
  /** Partial-order reduction (default true); false searches every interleaving. Verdicts and outcomes are the same either way. */
  readonly reduction?: boolean;
  /** Configurations judged at once, in worker threads (default: one per core); 1 judges in this thread. */
  readonly jobs?: number;
}

export interface RunResult {
  /** Every file that holds scenarios, in the order found: directories sorted, as the command reads them. */
  readonly files: readonly JudgedFile[];
  /** Scenarios by status. */
  readonly passed: number;
  readonly failed: number;
  readonly xfail: number;
  readonly xpass: number;
  readonly incomplete: number;
  /** JSON.stringify(result, null, 2) is what `patchlit run --format json --out -` prints: the JSON report. */
  toJSON(): ReportJson;
}

function checkConfigs(configs: readonly string[] | undefined): void {
  const bad = configs?.filter((c) => !(FETCH_CONFIG_NAMES as readonly string[]).includes(c));
  if (bad?.length) throw new RangeError(`unknown fetch configuration ${bad.map((c) => `"${c}"`).join(', ')}: the configurations are ${FETCH_CONFIG_NAMES.join(', ')}`);
}

/**
 * A file's notebook, read and compiled, and checked as the command checks a file before
 * judging it: ScenarioError for bad input (code the model does not run, a scenario that
 * checks nothing, too), FileError for a file it cannot read.
 */
export function readScenarioFile(path: string): Notebook {
  let text: string;
  try {
    text = readInputFile(path);
  } catch (e) {
    throw FileError.from(e, path);
  }
  return judgeableNotebook(path, text);
}

/** The scenario files under `paths`: FileError for a path that is not there (or cannot be listed), NoScenarioError for none. */
function findFiles(paths: readonly string[]): string[] {
  let files: string[];
  try {
    for (const p of paths) statSync(p);
    files = scenarioFiles(paths);
  } catch (e) {
    throw FileError.from(e, paths[0]);
  }
  if (!files.length) throw new NoScenarioError(paths, false);
  return files;
}

/** Reads and compiles every file first, so bad input anywhere stops the run before any search: one ScenarioError with every problem. */
function readAll(paths: readonly string[]): Array<{ path: string; notebook: Notebook }> {
  const diagnostics: Diagnostic[] = [];
  const out: Array<{ path: string; notebook: Notebook }> = [];
  for (const path of findFiles(paths)) {
    try {
      out.push({ path, notebook: readScenarioFile(path) });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      diagnostics.push(...e.diagnostics);
    }
  }
  if (diagnostics.length) throw new ScenarioError(diagnostics);
  // Libraries only: nothing to judge, which the command refuses too.
  if (!out.some((f) => f.notebook.entries.length)) throw new NoScenarioError(out.map((f) => f.path), true);
  return out;
}

/**
 * Judges every scenario of the files under `paths` (directories are searched for
 * notebooks, YAML scenarios and litmus tests), before any search reading them all.
 * Rejects with ScenarioError on bad input, with the diagnostics of every file; FileError
 * for a path it cannot read; NoScenarioError when there is no scenario to judge; RangeError
 * for a fetch configuration that does not exist or a `jobs` that is not a positive integer.
 */
export async function run(paths: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
  checkConfigs(options.configs);
  const read = readAll(typeof paths === 'string' ? [paths] : paths);
  const results = await judgeAll(
    read.flatMap((f) => f.notebook.entries.map((e) => e.scenario)),
    options,
  );
  let next = 0;
  // A scenario's `hardware:` histograms are held against the model, as the command holds them.
  const files = read.filter((f) => f.notebook.entries.length).map(({ path, notebook }) => judgedFile(path, notebook, notebook.entries.map(() => withHardware(results[next++]))));
  const n = statusCounts(files.flatMap((f) => f.results.map((r) => r.status)));
  return withReportJson({ files, passed: n.pass, failed: n.fail, xfail: n.xfail, xpass: n.xpass, incomplete: n.incomplete });
}

/**
 * Reads, explores and judges every scenario of one file in this thread, and renders its
 * Markdown report. Throws as run() rejects.
 */
export function runFile(file: string, options: JudgeOptions = {}): JudgedFile & { readonly markdown: string } {
  const notebook = readScenarioFile(file);
  if (!notebook.entries.length) throw new NoScenarioError([file], true);
  const judged = judgedFile(file, notebook, notebook.entries.map((e) => withHardware(judgeScenario(e.scenario, options))));
  return Object.assign(judged, { markdown: renderMarkdown(notebook, judged.results) });
}
