// Writing a file so that nothing is ever half written, or written where it should not be:
// through a temporary file in the same directory, renamed over the file in one step. A
// symlink is followed (its target is replaced, the link stays a link), the file's mode is
// kept, a read-only file is refused, and no temporary file outlives the command: one
// that a write fails on is removed, a termination signal waits until the file being
// written is whole, and one left by a process killed outright (SIGKILL) is swept away by
// the next write beside it, recognised by its name.

import { accessSync, closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/** A file that is not to be replaced, and why, as the user reads it. */
export class WriteRefused extends Error {}

/** The file a write to `path` lands in: symlinks followed, even to a file that does not exist yet. */
export function writeTarget(path: string): string {
  let at = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(at).isSymbolicLink()) return at;
      link = readlinkSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return at;
      throw e;
    }
    at = resolve(dirname(at), link);
  }
  throw new WriteRefused(`${path}: too many levels of symbolic links`);
}

/** One name for a file however it is reached (symlinks, `..`, a linked directory on the way), to tell when two paths are one file. */
export function canonicalPath(path: string): string {
  const target = writeTarget(path);
  for (const candidate of [() => realpathSync(target), () => join(realpathSync(dirname(target)), basename(target))]) {
    try {
      return candidate();
    } catch {
      // Not there (yet).
    }
  }
  return target;
}

/** The first `bytes` bytes of a regular file (through symlinks), as text; undefined when there is none. */
export function headOf(path: string, bytes = 65536): string | undefined {
  const st = statOrUndefined(path);
  if (!st?.isFile()) return undefined;
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(bytes, st.size));
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Why files cannot be written under `dir`, checked before any work is done, or undefined:
 * it (or the nearest part of it that exists) is not a directory, or is not writable.
 */
export function directoryProblem(dir: string): string | undefined {
  let at = resolve(dir);
  for (;;) {
    const st = statOrUndefined(at);
    if (st) {
      const name = at === resolve(dir) ? dir : `${dir}: ${relative(process.cwd(), at) || '.'}`;
      if (!st.isDirectory()) return `${name} is not a directory`;
      try {
        accessSync(at, constants.W_OK);
      } catch {
        return `${name} is not writable (permission denied)`;
      }
      return undefined;
    }
    if (dirname(at) === at) return undefined;
    at = dirname(at);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Why `path` cannot be replaced, or undefined when it can: a directory stands there, it is
 * read-only (write permission removed, whoever runs the command: root included), or it has
 * other hard links, which a rename would leave holding the old text.
 */
export function replaceProblem(path: string): string | undefined {
  const st = statOrUndefined(writeTarget(path));
  if (!st) return undefined;
  if (st.isDirectory()) return `${path} is a directory`;
  if (!st.isFile()) return `${path} is not a regular file`;
  if ((st.mode & 0o222) === 0) return `${path} is read-only`;
  if (st.nlink > 1) return `${path} has other hard links, which a new file would leave holding the old text`;
  return undefined;
}

const TEMP = /^\.(.+)\.patchlit-(\d+)\.tmp$/;

/** The temporary file a process writes `target` through: hidden, and named for the file and the process. */
export function tempPath(target: string, pid = process.pid): string {
  return join(dirname(target), `.${basename(target)}.patchlit-${pid}.tmp`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files for `target` left by processes that are gone (killed outright): removed. */
function sweepStale(target: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || m[1] !== basename(target)) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && alive(pid)) continue;
    try {
      unlinkSync(join(dirname(target), name));
    } catch {
      // Another process swept it first.
    }
  }
}

/** The temporary files being written now: removed if the process is stopped meanwhile. */
const writing = new Set<string>();

/**
 * Replaces `path` (through symlinks) with `text` in one rename, keeping the file's mode
 * (and, for root, its owner); the directory is made if need be. A reader never sees half a
 * file, and a failed write leaves the file as it was and no temporary file behind.
 */
export function writeAtomically(path: string, text: string): void {
  const problem = replaceProblem(path);
  if (problem) throw new WriteRefused(`${problem}: not replaced`);
  const target = writeTarget(path);
  mkdirSync(dirname(target), { recursive: true });
  sweepStale(target);
  const old = statOrUndefined(target);
  const tmp = tempPath(target);
  writing.add(tmp);
  try {
    const fd = openSync(tmp, 'wx', 0o666);
    try {
      writeFileSync(fd, text);
      if (old) {
        fchmodSync(fd, old.mode & 0o7777);
        if (process.getuid?.() === 0) fchownSync(fd, old.uid, old.gid);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Never made, or already renamed.
    }
    throw e;
  } finally {
    writing.delete(tmp);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `writes`, one after the other, with termination signals held: a signal that comes
 * during a write takes effect once that file is whole (between two writes), and the
 * process then ends by that signal, as it would have. Writes are synchronous, so a signal
 * can only be acted on between them; the temporary files still listed then are removed
 * all the same.
 */
export async function writeHoldingSignals(writes: ReadonlyArray<() => void>): Promise<void> {
  const handler = (signal: NodeJS.Signals) => {
    for (const tmp of writing) {
      try {
        unlinkSync(tmp);
      } catch {
        // Not made yet.
      }
    }
    release();
    process.kill(process.pid, signal);
  };
  const release = () => {
    for (const s of SIGNALS) process.removeListener(s, handler);
  };
  for (const s of SIGNALS) process.on(s, handler);
  // A signal that came during a write is delivered at the loop's next turn: let it come before the next write, and before the handlers go.
  const turn = () => new Promise<void>((done) => setImmediate(done));
  try {
    for (const write of writes) {
      write();
      await turn();
    }
  } finally {
    // The loop's first turns may not deliver one yet: two, to be sure.
    await turn();
    await turn();
    release();
  }
}
