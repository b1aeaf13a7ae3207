// patchlit as a typed library call: judge every scenario under some paths and count the
// statuses, the way `patchlit run` does without writing reports.
//
//   import { run } from 'patchlit';
//   const { failed, files } = await run('scenarios', { configs: ['ziccif-only'] });
//
// Asynchronous: the scenarios' configurations are judged in worker threads, `jobs` at
// once (verdict/pool.ts); the results do not depend on how many.

import { existsSync } from 'node:fs';
import { scenarioFiles } from './files.ts';
import { unsupportedInstructions } from './machine/index.ts';
import { checksNothing, FETCH_CONFIG_NAMES, readNotebook, ScenarioError, uniqueDiagnostics, type Diagnostic, type FetchConfigName, type Notebook } from './scenario/index.ts';
import { InputFileError, readInputFile } from './scenario/limits.ts';
import { judgeAll, statusCounts, type ScenarioResult } from './verdict/index.ts';

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
  readonly files: ReadonlyArray<{ readonly path: string; readonly notebook: Notebook; readonly results: readonly ScenarioResult[] }>;
  /** Scenarios by status. */
  readonly passed: number;
  readonly failed: number;
  readonly xfail: number;
  readonly xpass: number;
  readonly incomplete: number;
}

function checkConfigs(configs: readonly string[] | undefined): void {
  const bad = configs?.filter((c) => !(FETCH_CONFIG_NAMES as readonly string[]).includes(c));
  if (bad?.length) throw new RangeError(`unknown fetch configuration ${bad.map((c) => `"${c}"`).join(', ')}: the configurations are ${FETCH_CONFIG_NAMES.join(', ')}`);
}

/** A file's text; one that is not a regular file or is over the size limit is a diagnostic, as a missing one is. */
function readInput(path: string): string {
  try {
    return readInputFile(path);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new ScenarioError([{ pos: { file: path, line: 1, col: 1 }, message: e.message }]);
  }
}

/** Reads and compiles every file first, so bad input anywhere stops the run before any search: one ScenarioError with every problem. */
function readAll(paths: readonly string[]): Array<{ path: string; notebook: Notebook }> {
  const missing: Diagnostic[] = paths.filter((p) => !existsSync(p)).map((p) => ({ pos: { file: p, line: 1, col: 1 }, message: 'no such file or directory' }));
  if (missing.length) throw new ScenarioError(missing);
  const diagnostics: Diagnostic[] = [];
  const out: Array<{ path: string; notebook: Notebook }> = [];
  for (const path of scenarioFiles(paths)) {
    try {
      const notebook = readNotebook(path, readInput(path));
      // Once per place: scenarios that extend another share its code.
      const refused = uniqueDiagnostics(notebook.entries.flatMap((e) => [...unsupportedInstructions(e.scenario), ...checksNothing(e.scenario)]));
      if (refused.length) throw new ScenarioError(refused);
      out.push({ path, notebook });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      diagnostics.push(...e.diagnostics);
    }
  }
  if (diagnostics.length) throw new ScenarioError(diagnostics);
  return out;
}

/**
 * Judges every scenario of the files under `paths` (directories are searched for
 * notebooks, YAML scenarios and litmus tests). Rejects with ScenarioError on bad input,
 * with the diagnostics of every file, before any search; with RangeError for a fetch
 * configuration that does not exist or a `jobs` that is not a positive integer.
 */
export async function run(paths: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
  checkConfigs(options.configs);
  const read = readAll(typeof paths === 'string' ? [paths] : paths);
  const results = await judgeAll(
    read.flatMap((f) => f.notebook.entries.map((e) => e.scenario)),
    options,
  );
  let next = 0;
  const files = read.map(({ path, notebook }) => ({ path, notebook, results: notebook.entries.map(() => results[next++]) }));
  const n = statusCounts(files.flatMap((f) => f.results.map((r) => r.status)));
  return { files, passed: n.pass, failed: n.fail, xfail: n.xfail, xpass: n.xpass, incomplete: n.incomplete };
}
