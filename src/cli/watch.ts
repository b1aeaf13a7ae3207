// `patchlit run --watch`: which scenario files changed, reported once per burst of edits.
//
// Each directory is watched on its own (non-recursive fs.watch), walking the tree the
// way collectFiles does. Node 20 does support `recursive: true` on Linux, but there it is
// emulated by a watch on every file of the tree, node_modules included (a thousand
// inotify watches for a thousand files), and it cannot skip anything; one watch per
// directory we care about is cheap and behaves the same on every platform.

import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';
import { SCENARIO_FILE } from '../files.ts';


/** Dot-directories (.git, editors' state) and node_modules hold no scenarios worth rerunning. */
function skippedDirectory(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Editors' side files never count: dot-files (vim's .x.md.swp, emacs's .#x.md lock),
 * emacs's #x.md# autosave, backups ending in ~ (vim's 4913 probe and the like fail the
 * extension test).
 */
function scenarioFileName(name: string): boolean {
  return SCENARIO_FILE.test(name) && !name.startsWith('.') && !name.startsWith('#') && !name.endsWith('~');
}

interface WatchedDirectory {
  readonly watcher: FSWatcher;
  /** The directory as the caller spelled it, so reported paths read like collectFiles' output. */
  readonly shownAs: string;
  /** Every scenario file in it counts, and its subdirectories are watched too. */
  whole: boolean;
  /** Files named on their own: they count whatever their extension. */
  readonly named: Set<string>;
}

export interface Watcher {
  /**
   * Watches one more file, named on its own (a file a notebook imports, which may lie
   * outside the paths watched, or not exist yet); its changes are reported as it is
   * spelled here. A file whose directory does not exist is not watched.
   */
  add(file: string): void;
  close(): void;
}

/**
 * Watches `paths` (files and directories, as given to `patchlit run`) and calls
 * `onChange` once per burst of changes, `debounceMs` after the last one, with the changed
 * files sorted and deduplicated. Deleted files are reported too; directories created
 * later are watched, and the scenario files already in them reported. A named file is
 * watched through its directory, so an editor that saves by renaming a new file over
 * the old one is still seen.
 */
export function watchFiles(paths: readonly string[], onChange: (changed: string[]) => void, options: { debounceMs?: number } = {}): Watcher {
  const debounceMs = options.debounceMs ?? 100;
  const directories = new Map<string, WatchedDirectory>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const changed = [...pending].sort();
    pending.clear();
    onChange(changed);
  };
  const changedFile = (file: string) => {
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  const unwatchTree = (dir: string) => {
    for (const [key, entry] of directories) {
      if (key === dir || key.startsWith(dir + sep)) {
        entry.watcher.close();
        directories.delete(key);
      }
    }
  };

  const onEvent = (key: string, name: string) => {
    const entry = directories.get(key);
    if (!entry) return;
    const shown = join(entry.shownAs, name);
    if (entry.named.has(name)) return changedFile(shown);
    if (!entry.whole) return;
    const full = join(key, name);
    let isDirectory = false;
    try {
      isDirectory = statSync(full).isDirectory();
    } catch {
      unwatchTree(full); // gone: if it was a watched directory, its watchers go with it
    }
    if (isDirectory) {
      if (!skippedDirectory(name) && !directories.has(full)) watchTree(full, shown, true);
    } else if (scenarioFileName(name)) changedFile(shown);
  };

  const watchDirectory = (dir: string, shownAs: string): WatchedDirectory => {
    const key = resolve(dir);
    const existing = directories.get(key);
    if (existing) return existing;
    const watcher = watch(key, (_event, name) => {
      if (!closed && name) onEvent(key, String(name));
    });
    // A watched directory that is removed can report an error; the parent's event cleans up.
    watcher.on('error', () => unwatchTree(key));
    const entry: WatchedDirectory = { watcher, shownAs: normalize(shownAs), whole: false, named: new Set() };
    directories.set(key, entry);
    return entry;
  };

  // `reportExisting`: a directory that appears while watching may already hold files
  // written before its watch began.
  const watchTree = (dir: string, shownAs: string, reportExisting: boolean) => {
    const entry = watchDirectory(dir, shownAs);
    entry.whole = true;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return unwatchTree(resolve(dir));
    }
    for (const name of names) {
      const child = join(dir, name);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(child).isDirectory();
      } catch {
        continue;
      }
      if (isDirectory) {
        if (!skippedDirectory(name)) watchTree(child, join(shownAs, name), reportExisting);
      } else if (reportExisting && scenarioFileName(name)) changedFile(join(shownAs, name));
    }
  };

  try {
    for (const p of paths) {
      if (statSync(p).isDirectory()) watchTree(p, p, false);
      else watchDirectory(dirname(p), dirname(p)).named.add(basename(p));
    }
  } catch (e) {
    for (const entry of directories.values()) entry.watcher.close();
    throw e;
  }

  return {
    add(file) {
      if (closed) return;
      try {
        watchDirectory(dirname(file), dirname(file)).named.add(basename(file));
      } catch {
        // no such directory: nothing there to change
      }
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const entry of directories.values()) entry.watcher.close();
      directories.clear();
      pending.clear();
    },
  };
}

/**
 * The files of `known` that `changed` names, in `known`'s order and spelling; paths are
 * compared resolved, so "./a.md" matches "a.md". Pass the files collected afresh after a
 * change (collectFiles again): a new file is then known, a deleted one no longer is.
 */
export function affectedFiles(changed: readonly string[], known: readonly string[]): string[] {
  const touched = new Set(changed.map((f) => resolve(f)));
  return known.filter((f) => touched.has(resolve(f)));
}
