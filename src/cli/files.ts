// Which files a command reads, and where their reports go.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { InputFileError, readInputFile } from '../scenario/limits.ts';
import { scenarioFiles } from '../files.ts';
import { judgeableNotebook } from '../machine/check.ts';
import { ScenarioError, type Notebook } from '../scenario/index.ts';
import type { InputError } from '../report/index.ts';
import type { Diagnostic } from '../scenario/types.ts';
import { formatDiagnostic, type TextOf } from './diagnostics.ts';

/** Files named on the command line; directories are searched for notebooks, YAML scenarios and litmus tests. */
export const collectFiles = scenarioFiles;

/**
 * Litmus tests named on the command line. A directory with an `@all` index (herd's
 * convention) contributes the tests it lists, in that order; any other directory every
 * .litmus file under it, sorted.
 */
export function collectLitmusFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!statSync(p).isDirectory()) {
      out.push(p);
      return;
    }
    const index = join(p, '@all');
    if (existsSync(index)) {
      for (const line of readFileSync(index, 'utf8').split('\n')) {
        const name = line.replace(/#.*/, '').trim();
        if (name) walk(join(p, name));
      }
      return;
    }
    for (const name of readdirSync(p).sort()) {
      if (name.startsWith('.')) continue;
      const child = join(p, name);
      if (statSync(child).isDirectory() || name.endsWith('.litmus')) walk(child);
    }
  };
  for (const a of args) walk(a);
  return out;
}

/**
 * Where the report of `file` goes: its path under scenarios/ mirrored under `outDir`
 * (scenarios/seed/three-step.md -> reports/seed/three-step.md); a file elsewhere goes to
 * outDir by its own name. YAML scenarios get a Markdown report.
 */
export function reportPath(file: string, outDir: string, cwd = process.cwd()): string {
  const rel = relative(join(cwd, 'scenarios'), resolve(cwd, file));
  const inside = !rel.startsWith('..') && !rel.startsWith(sep) && rel !== '';
  const name = (inside ? rel : basename(file)).replace(/\.(ya?ml|markdown|litmus)$/i, '.md');
  return join(outDir, name);
}

/**
 * Reads and compiles every file before anything runs: bad input anywhere stops a command
 * before any exploring. Diagnostics go to `err` as file:line:col with the source line,
 * each once (a library's error is met again by every notebook that imports it), quoting
 * whichever file it is in; undefined when there were any. `problems` receives each of
 * them too, for the reports that carry bad input (junit.xml).
 */
export function compileAll<T>(files: readonly string[], compile: (file: string, text: string) => T, err: NodeJS.WritableStream, problems: InputError[] = []): Array<{ file: string; value: T }> | undefined {
  const out: Array<{ file: string; value: T }> = [];
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string) => {
    const key = resolve(file);
    if (!texts.has(key)) {
      try {
        texts.set(key, readInputFile(file));
      } catch {
        texts.set(key, undefined);
      }
    }
    return texts.get(key);
  };
  const printed = new Set<string>();
  let bad = false;
  for (const file of files) {
    let text: string;
    try {
      text = readInputFile(file);
    } catch (e) {
      if (!(e instanceof Error) || !('code' in e)) throw e;
      err.write(`patchlit: ${fileErrorText(e)}\n`);
      problems.push({ file, message: fileErrorReason(e), text: fileErrorText(e) });
      bad = true;
      continue;
    }
    texts.set(resolve(file), text); // the very text compiled, even if the file changes meanwhile
    try {
      out.push({ file, value: compile(file, text) });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      for (const d of e.diagnostics) {
        const key = `${resolve(d.pos.file)}:${d.pos.line}:${d.pos.col}: ${d.message}`;
        if (printed.has(key)) continue;
        printed.add(key);
        const problem = diagnosticProblem(d, textOf);
        err.write(problem.text + '\n');
        problems.push(problem);
      }
      bad = true;
    }
  }
  return bad ? undefined : out;
}

/** A diagnostic as the terminal prints it, and as a report carries it. */
export function diagnosticProblem(d: Diagnostic, textOf: TextOf): InputError {
  return { file: d.pos.file, line: d.pos.line, col: d.pos.col, message: d.message, text: formatDiagnostic(d, textOf) };
}

/**
 * Every notebook read and compiled, instructions the machine cannot run included, before
 * anything explores; undefined after printing the diagnostics when there are any.
 * `dependencies` receives, for each file, the files its imports name (compiled or not),
 * for --watch.
 */
export function compileNotebooks(
  files: readonly string[],
  err: NodeJS.WritableStream,
  dependencies?: Map<string, ReadonlySet<string>>,
  problems?: InputError[],
): Array<{ file: string; value: Notebook }> | undefined {
  return compileAll(
    files,
    (file, text) => {
      const imported = new Set<string>();
      dependencies?.set(file, imported);
      return judgeableNotebook(file, text, { dependencies: imported });
    },
    err,
    problems,
  );
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'a file is in the way',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** What went wrong in a file system error, without the path: "permission denied". */
export function fileErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err.code && ERRNO_TEXT[err.code]) || err.message.split('\n')[0];
}

/** The message of a command that found no scenario file where it was pointed (exit status 2). */
export function noFilesText(paths: readonly string[]): string {
  const none = nothingToJudge(paths, false);
  return `patchlit: ${none.message}\n  hint: ${none.hint}`;
}

/**
 * Nothing to judge, in the words both the command (exit 2) and the library's
 * NoScenarioError use: no scenario file under `paths`, or (`filesFound`) only files with
 * no scenario in them (libraries of definitions).
 */
export function nothingToJudge(paths: readonly string[], filesFound: boolean): { message: string; hint?: string } {
  if (filesFound) return { message: `no scenario in ${paths.join(', ')}` };
  return { message: `no scenario files in ${paths.join(', ')}`, hint: 'patchlit reads notebooks (.md), YAML scenarios (.yaml, .yml) and litmus tests (.litmus)' };
}

/** A file system error as a user reads it: "nothere.md: no such file or directory". */
export function fileErrorText(e: unknown): string {
  if (e instanceof InputFileError) return `${e.path}: ${e.message}`;
  const err = e as NodeJS.ErrnoException;
  return err.path && err.code && ERRNO_TEXT[err.code] ? `${err.path}: ${ERRNO_TEXT[err.code]}` : err.message.split('\n')[0];
}
