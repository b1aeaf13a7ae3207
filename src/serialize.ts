// Results that JSON.stringify takes as they are. The results hold bigints (addresses,
// final values) and a compiled scenario, which JSON cannot hold; the JSON report
// (report/json.ts, schema/report.schema.json) already says all of it in JSON, addresses
// by name and offset ("func+0x4") or in hex. So each result the library returns gets a
// toJSON giving its part of that report, as a Date gives its ISO string:
//
//   JSON.stringify(await run(paths), null, 2)   the bytes `patchlit run --format json --out -` prints
//   JSON.stringify(file)                         { path, scenarios }: a file of that report
//   JSON.stringify(result)                       a scenario of it
//   JSON.stringify(result.configs[0])            a configuration of it
//
// toJSON is a non-enumerable own property: spreading a result, comparing it, or
// iterating its keys sees only its data, as before.

import { configJson, fileJson, jsonReport, scenarioJson } from './report/json.ts';
import { Names } from './report/describe.ts';
import type { Notebook } from './scenario/index.ts';
import type { ConfigResult, ScenarioResult } from './verdict/index.ts';

/** The JSON report (`patchlit run --format json`), as schema/report.schema.json describes it. */
export type ReportJson = ReturnType<typeof jsonReport>;
export type FileJson = ReturnType<typeof fileJson>;
export type ScenarioJson = ReturnType<typeof scenarioJson>;
export type ConfigJson = ReturnType<typeof configJson>;

/** A scenario judged, as the library returns it: JSON.stringify gives its part of the JSON report. */
export type JudgedScenario = ScenarioResult & {
  readonly configs: ReadonlyArray<ConfigResult & { toJSON(): ConfigJson }>;
  toJSON(): ScenarioJson;
};

/** A file's scenarios judged. */
export interface JudgedFile {
  /** The path as it was given, or as found under a directory given. */
  readonly path: string;
  readonly notebook: Notebook;
  /** One per scenario of the notebook, in its order. */
  readonly results: readonly JudgedScenario[];
  toJSON(): FileJson;
}

function withJson<T extends object, J>(value: T, json: () => J): T & { toJSON(): J } {
  return Object.defineProperty(value, 'toJSON', { value: json, enumerable: false, configurable: true, writable: true }) as T & { toJSON(): J };
}

/** The result, given its toJSON and its configurations theirs. */
export function judgedScenario(r: ScenarioResult): JudgedScenario {
  const names = new Names(r.scenario);
  for (const c of r.configs) withJson(c, () => configJson(r, c, names));
  return withJson(r, () => scenarioJson(r)) as JudgedScenario;
}

export function judgedFile(path: string, notebook: Notebook, results: readonly ScenarioResult[]): JudgedFile {
  const judged = results.map(judgedScenario);
  return withJson({ path, notebook, results: judged }, () => fileJson({ path, results: judged }));
}

/** `value` (a run's result) given the toJSON of the whole JSON report of `files`. */
export function withReportJson<T extends { readonly files: readonly JudgedFile[] }>(value: T): T & { toJSON(): ReportJson } {
  return withJson(value, () => jsonReport(value.files));
}
