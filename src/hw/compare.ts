// A machine's histogram held against the model: every outcome the machine showed must be
// one the model allows under the configuration that describes the machine.

import { atomicityText } from '../machine/index.ts';
import type { MachineModel, Scenario } from '../scenario/types.ts';
import { judgeScenario, outcomeLines } from '../verdict/index.ts';
import type { Histogram, HwComparison } from './types.ts';

const norm = (l: string) => l.trim().replace(/\s+/g, ' ');

/** A `?` the machine printed for what it cannot know, and the words before it. */
const UNKNOWN = /(?<=(from |=|deadlock: ))\?(?=( to |;|$))/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether an observed line is the model's: the same words, where a `?` the machine printed
 * for what it cannot know stands for what the model has there: a wild jump's origin
 * (`from ? to`), a final value after a crash or a hang (`cpu1:a0=?;`), which deadlock or
 * endless loop a run that did not end was in (`deadlock: ?`).
 */
export function sameOutcome(observed: string, allowed: string): boolean {
  const o = norm(observed);
  const a = norm(allowed);
  if (o.search(UNKNOWN) < 0) return o === a;
  let pattern = '';
  let at = 0;
  for (const m of o.matchAll(UNKNOWN)) {
    pattern += escape(o.slice(at, m.index)) + (m[1] === 'deadlock: ' ? '.+?' : '[^\\s;]+');
    at = m.index! + m[0].length;
  }
  return new RegExp(`^${pattern}${escape(o.slice(at))}$`).test(a);
}

/** The model's outcomes for the scenario under `machine`, and whether its search finished. */
export function modelOutcomes(s: Scenario, machine: Pick<MachineModel, 'fetch' | 'atomicity'>): { lines: string[]; complete: boolean } {
  const scenario: Scenario = { ...s, system: { ...s.system, model: { ...s.system.model, atomicity: machine.atomicity } } };
  const result = judgeScenario(scenario, { configs: [machine.fetch] });
  return { lines: outcomeLines(scenario, result.configs, result.symmetry), complete: result.configs.every((c) => c.complete) };
}

export function compareHistogram(s: Scenario, h: Histogram, machine: Pick<MachineModel, 'fetch' | 'atomicity'>, model = modelOutcomes(s, machine)): HwComparison {
  const allowed = model.lines.map((outcome) => {
    const seen = h.entries.filter((e) => sameOutcome(e.outcome, outcome));
    const firsts = seen.flatMap((e) => (e.first === undefined ? [] : [e.first]));
    return { outcome, count: seen.reduce((n, e) => n + e.count, 0), ...(firsts.length ? { first: Math.min(...firsts) } : {}) };
  });
  return {
    scenario: s.name,
    config: machineText(machine),
    allowed,
    forbidden: h.entries.filter((e) => !model.lines.some((l) => sameOutcome(e.outcome, l))),
    modelIncomplete: !model.complete,
    iterations: h.entries.reduce((n, e) => n + e.count, 0) + h.lost,
    ...(h.stopped ? { stopped: h.stopped } : {}),
  };
}

export function machineText(m: Pick<MachineModel, 'fetch' | 'atomicity'>): string {
  return `${m.fetch}, fetch atomicity ${atomicityText(m.atomicity)}`;
}

/** " (first at iteration N)" after an outcome a machine showed, when the histogram says when. */
export function firstSeenText(first: number | undefined): string {
  return first === undefined ? '' : ` (first at iteration ${first})`;
}

/** "N outcomes the model forbids". */
export function forbiddenText(n: number): string {
  return `${n} outcome${n === 1 ? '' : 's'} the model forbids`;
}

/** What a machine showed that the model allows, in one clause: "every outcome seen is allowed; 4 of 7 allowed never seen". */
export function allowedText(c: HwComparison): string {
  return `every outcome seen is allowed; ${c.allowed.filter((a) => !a.count).length} of ${c.allowed.length} allowed never seen`;
}

/** The comparison as the terminal shows it. */
export function comparisonText(c: HwComparison): string {
  const out = [`${c.scenario}: ${c.iterations} iterations, held against the model under ${c.config}`];
  for (const a of c.allowed) out.push(`  ${a.count ? 'seen ' : 'never'} ${String(a.count).padStart(8)}  ${a.outcome}`);
  for (const f of c.forbidden) out.push(`  FORBIDDEN ${String(f.count).padStart(6)}  ${f.outcome}${firstSeenText(f.first)}`);
  if (c.stopped) out.push(`  the machine stopped ${c.stopped}`);
  out.push(
    c.forbidden.length
      ? `  fail: ${forbiddenText(c.forbidden.length)}${c.modelIncomplete ? ' (the model\'s search ran out of budget: it may not have reached them)' : ''}`
      : `  ok: ${allowedText(c)}`,
  );
  return out.join('\n');
}
