// Which files hold scenarios: a path named is read as it is, a directory is searched.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Notebooks, YAML scenarios and litmus tests, by their names. */
export const SCENARIO_FILE = /\.(md|markdown|ya?ml|litmus)$/i;

/** A directory's README (an index of its notebooks, say): prose, never searched for scenarios. */
export const README_FILE = /^readme\.(md|markdown)$/i;

/**
 * The files under `paths`: a file is taken whatever its name (it was asked for); a
 * directory contributes its scenario files and those of its subdirectories, in sorted
 * order so that a run's order does not depend on the file system, skipping hidden
 * entries, node_modules and READMEs.
 */
export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (path: string, named: boolean) => {
    if (!statSync(path).isDirectory()) {
      if (named || SCENARIO_FILE.test(path)) out.push(path);
      return;
    }
    for (const entry of readdirSync(path).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules' || README_FILE.test(entry)) continue;
      visit(join(path, entry), false);
    }
  };
  for (const p of paths) visit(p, true);
  return out;
}
