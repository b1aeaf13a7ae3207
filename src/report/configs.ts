// Fetch configurations named in prose, for the text report and the terminal: a reader
// told "pass under both" has to go and find out which two.

import { SUITE_CONFIGS } from '../scenario/types.ts';
import type { ConfigResult } from '../verdict/types.ts';

/** "ziccid", "ziccif-only and ziccid", "ziccif-only, ziccid and ir3-fetch". */
export function namesText(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '');
}

const fetchOf = (c: ConfigResult) => c.model.fetch;

/** Whether `list` is the suite's own five, the configurations a scenario gets when it names none. */
function isSuite(list: readonly ConfigResult[]): boolean {
  return list.length === SUITE_CONFIGS.length && list.every((c, i) => fetchOf(c) === SUITE_CONFIGS[i]);
}

/**
 * The configurations of `list` (some of `all`), each named, except that the suite's own
 * five, all judged, are "all 5": the default a reader of patchlit knows.
 */
export function configNames(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  if (list.length === all.length && isSuite(all)) return `all ${all.length}`;
  return namesText(list.map(fetchOf));
}

/**
 * Where a statement goes after one naming every configuration already: "all 5", "both",
 * or the names of those it is about.
 */
export function configsShort(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  if (list.length === all.length && all.length > 1) return all.length === 2 ? 'both' : `all ${all.length}`;
  return namesText(list.map(fetchOf));
}
