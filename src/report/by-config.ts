// A scenario's verdict told configuration by configuration: each configuration's status
// over its own checks, the configurations that share one grouped (the worst first), and
// a list of configurations in words that names them ("both configurations (ziccif-only
// and ziccid)"), so a reader never has to look elsewhere for which two "both" are.

import { scenarioStatus, STATUS_ORDER } from '../verdict/expect.ts';
import { SUITE_CONFIGS, type Scenario } from '../scenario/types.ts';
import type { ConfigResult, Status } from '../verdict/types.ts';

export const configName = (c: ConfigResult) => c.model.fetch;

/** A configuration's status over its own checks (recorded observations are the scenario's, not a configuration's). */
export function configStatus(s: Scenario, c: ConfigResult): Status {
  return scenarioStatus(s, [c], []);
}

/** "a", "a and b", "a, b and c". */
export function listText(xs: readonly string[]): string {
  return xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : (xs[0] ?? '');
}

/**
 * Configurations in words: "all 5 configurations", "both configurations (ziccif-only and
 * ziccid)", or their names; `name` writes each name (a code span, say).
 */
export function configsText(list: readonly ConfigResult[], all: readonly ConfigResult[], name: (n: string) => string = (n) => n): string {
  const names = list.map((c) => name(configName(c)));
  if (list.length === all.length && all.length === 2) return `both configurations (${listText(names)})`;
  if (list.length === all.length && all.length > 2) return `all ${all.length} configurations`;
  return listText(names);
}

/** Configurations grouped by status, the worst first; each group's in the scenario's order. */
export function byStatus(all: readonly ConfigResult[], statusOf: (c: ConfigResult) => Status): Array<{ status: Status; configs: ConfigResult[] }> {
  return STATUS_ORDER.flatMap((status) => {
    const configs = all.filter((c) => statusOf(c) === status);
    return configs.length ? [{ status, configs }] : [];
  });
}

/** The worst of some statuses (pass for none). */
export function worstStatus(list: readonly Status[]): Status {
  return STATUS_ORDER.find((s) => list.includes(s)) ?? 'pass';
}

/** Whether `list` is the suite's own five, the configurations a scenario gets when it names none. */
function isSuite(list: readonly ConfigResult[]): boolean {
  return list.length === SUITE_CONFIGS.length && list.every((c, i) => configName(c) === SUITE_CONFIGS[i]);
}

/**
 * The configurations of `list` (some of `all`), each named, except that the suite's own
 * five, all judged, are "all 5": the default a reader of patchlit knows.
 */
export function configNames(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  if (list.length === all.length && isSuite(all)) return `all ${all.length}`;
  return listText(list.map(configName));
}

/**
 * Where a statement goes after one naming every configuration already: "all 5", "both",
 * or the names of those it is about.
 */
export function configsShort(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  if (list.length === all.length && all.length > 1) return all.length === 2 ? 'both' : `all ${all.length}`;
  return listText(list.map(configName));
}
