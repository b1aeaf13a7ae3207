// What the library rejects with, besides ScenarioError (bad input, at its file:line:col):
// a path it cannot read, and a selection with nothing to judge. Each is a class of its own
// with a `name`, so a caller tells them apart with instanceof (or by name, as Node's own
// errors are told apart by `code`) and never has to parse a message.

import { fileErrorReason, nothingToJudge } from './cli/files.ts';
import { InputFileError } from './scenario/limits.ts';

/**
 * A path that could not be read: missing, unreadable, not a regular file (a FIFO, a
 * device), or over the size limit. `code` is Node's (ENOENT, EACCES, ...) or patchlit's
 * own for a file that is there but is not one it reads (ENOTREG, EISDIR, EFBIG).
 */
export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(
    /** The path as it was given. */
    readonly path: string,
    readonly code: string,
    /** What is wrong, without the path: "no such file or directory". */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }

  /**
   * A file system call's error (or readInputFile's) as a FileError, worded as the command
   * words it, at the path the error names or else at `path`; anything else as it is.
   */
  static from(e: unknown, path: string): unknown {
    if (e instanceof InputFileError) return new FileError(e.path, e.code, e.message);
    const err = e as NodeJS.ErrnoException | undefined;
    return e instanceof Error && typeof err?.code === 'string' ? new FileError(err.path ?? path, err.code, fileErrorReason(e)) : e;
  }
}

/**
 * Nothing to judge: no scenario file under the paths given (a wrong directory, a typo), or
 * only files with no scenario (libraries of definitions). Judging nothing is a mistake,
 * never a run that passes: the command exits 2 with the same message and hint.
 */
export class NoScenarioError extends Error {
  override readonly name = 'NoScenarioError';
  /** What to do about it, when there is something to say. */
  readonly hint?: string;
  constructor(
    /** The paths searched: those given when no file was found, else the files found. */
    readonly paths: readonly string[],
    /** Whether files were found (all of them without a scenario). */
    readonly filesFound: boolean,
  ) {
    const none = nothingToJudge(paths, filesFound);
    super(none.message);
    if (none.hint) this.hint = none.hint;
  }
}
