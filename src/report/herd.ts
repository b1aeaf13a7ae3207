// herd7's outcome block, so that people used to herd read a litmus result at a glance:
//
//   Test LB.FF Allowed
//   States 4
//   0:s0=1; 1:s0=1;
//   ...
//   Ok
//   Witnesses
//   Positive: 1 Negative: 3
//   Condition exists (0:s0=2 /\ 1:s0=2)
//   Observation LB.FF Sometimes 1 3
//
// herd counts candidate executions in Positive/Negative; patchlit counts distinct final
// states, as it counts outcomes everywhere (verdict/outcomes.ts): its runs are
// interleavings, far more numerous than herd's executions, and partial-order reduction
// does not keep their number.

import type { Claim, FinalLocation, Scenario } from '../scenario/types.ts';
import { scenarioStatus } from '../verdict/expect.ts';
import { observedLocations } from '../verdict/observed.ts';
import { conditionHolds } from '../verdict/predicates.ts';
import { outcomeLine } from '../verdict/records.ts';
import type { ClaimResult, ConfigResult, ScenarioResult } from '../verdict/types.ts';
import { endingText, herdStates, Names, taskIndices } from '../verdict/words.ts';
import { taskGroups } from './describe.ts';

export { herdStates };

const TEST_KIND = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' } as const;

/** Whether the test's outcome is observed under this configuration: herd's Ok/No, and the kinds-file word. */
export function litmusVerdict(s: Scenario, c: ConfigResult): { ok: boolean; positive: number; negative: number; kind: 'Allow' | 'Forbid' } {
  const lit = s.litmus!;
  const locs = observedLocations(s);
  const states = distinctFinals(c);
  let positive = 0;
  for (const f of states) if (conditionHolds(lit.condition, (loc) => f[locs.findIndex((l) => sameLoc(l, loc))])) positive++;
  const negative = states.length - positive;
  const ok = lit.quantifier === 'exists' ? positive > 0 : lit.quantifier === '~exists' ? positive === 0 : negative === 0;
  // Kinds files say whether the proposition can be observed: Allow when some final state satisfies it.
  return { ok, positive, negative, kind: positive > 0 ? 'Allow' : 'Forbid' };
}

function sameLoc(a: FinalLocation, b: FinalLocation): boolean {
  return a.kind === 'reg' && b.kind === 'reg' ? a.hart === b.hart && a.reg === b.reg : a.kind === 'mem' && b.kind === 'mem' && a.addr === b.addr && a.size === b.size;
}

/** Distinct final states of completed runs. */
function distinctFinals(c: ConfigResult): Array<readonly bigint[]> {
  const seen = new Map<string, readonly bigint[]>();
  for (const o of c.outcomes) if (o.ending.kind === 'complete') seen.set(o.final.join(','), o.final);
  return [...seen.values()];
}

/** herd's outcome block for one litmus scenario under one configuration. */
export function herdBlock(s: Scenario, c: ConfigResult): string[] {
  const lit = s.litmus!;
  const fmt = herdStates(s)!;
  const states = distinctFinals(c).map(fmt).sort();
  const v = litmusVerdict(s, c);
  const observation = v.positive === 0 ? 'Never' : v.negative === 0 ? 'Always' : 'Sometimes';
  const out = [`Test ${lit.name} ${TEST_KIND[lit.quantifier]}`, `States ${states.length}`, ...states, v.ok ? 'Ok' : 'No', 'Witnesses', `Positive: ${v.positive} Negative: ${v.negative}`, `Condition ${lit.quantifier} ${lit.conditionText.trim()}`, `Observation ${lit.name} ${observation} ${v.positive} ${v.negative}`];
  if (!c.complete) out.splice(1, 0, `(incomplete: the search stopped before it had seen every outcome)`);
  return out;
}

// ---------------------------------------------------------------------------------
// A scenario's block: its claims are herd's conditions, its outcomes herd's states.

/**
 * What herd would say of a claim's predicate: Never (it held in no outcome), Always (in
 * every one), Sometimes; with P distinct outcomes satisfying it and N the rest (herd's
 * States are P + N). A search cut short did not see every outcome: its counts are unknown
 * ('?'), and the word then comes from the verdict when it tells.
 */
export function observation(x: ClaimResult, c: ConfigResult): { word: 'Never' | 'Always' | 'Sometimes' | '?'; positive: string; negative: string } {
  const p = c.complete ? x.satisfied : null;
  const n = p !== null ? c.outcomes.length - p : null;
  const q = x.claim.quantifier;
  const universal = q === 'always' || q === 'eventually';
  // A universal claim that holds holds in every outcome: in some, if there is any.
  const noneFail = n === 0 || (universal && x.verdict === 'pass');
  const noneSatisfy = p === 0 || (q === 'never' && x.verdict === 'pass') || (q === 'sometimes' && x.verdict === 'fail');
  const someSatisfy = (p !== null && p > 0) || (q === 'never' && x.verdict === 'fail') || (q === 'sometimes' && x.verdict === 'pass') || (noneFail && c.outcomes.length > 0);
  const someFail = (n !== null && n > 0) || (q === 'always' && x.verdict === 'fail');
  const word = noneSatisfy ? 'Never' : someSatisfy && noneFail ? 'Always' : someSatisfy && someFail ? 'Sometimes' : '?';
  return { word, positive: p === null ? '?' : String(p), negative: n === null ? '?' : String(n) };
}

/** A claim as its author laid it out: one line, or the lines of a predicate written in block style. */
export function claimLines(claim: Claim): string[] {
  return (claim.written ?? claim.text).split('\n');
}

/** The state lines a brief block lists; the rest are counted. */
const MAX_STATES = 8;

/**
 * Each outcome's line, with how many outcomes share it: they differ only in what the line
 * does not show (what a claim's `executed` saw, a signature), and the counts add up to
 * `States`. Brief: each task's calls by name, as a recorded `outcomes:` line has them,
 * and the first MAX_STATES lines; full: every line, where each call was made from, and
 * an interchangeable group's calls in some order.
 */
function stateLines(r: ScenarioResult, c: ConfigResult, names: Names, full: boolean): string[] {
  const lineOf = full ? fullStateLine(r, names) : (o: ConfigResult['outcomes'][number]) => outcomeLine(o, r.scenario, names, r.symmetry);
  const lines = new Map<string, number>();
  for (const o of c.outcomes) {
    const line = lineOf(o);
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  const out = [...lines.keys()].sort().map((line) => (lines.get(line)! > 1 ? `${line} (${lines.get(line)} outcomes)` : line));
  if (full || out.length <= MAX_STATES) return out;
  const left = [...lines.keys()].sort().slice(MAX_STATES);
  const outcomes = left.reduce((n, line) => n + lines.get(line)!, 0);
  return [...out.slice(0, MAX_STATES), `... ${left.length} more lines (${outcomes} outcomes): --detail full lists them`];
}

function fullStateLine(r: ScenarioResult, names: Names): (o: ConfigResult['outcomes'][number]) => string {
  const grouped = new Set(r.symmetry.flat());
  const finals = herdStates(r.scenario);
  // Calls are listed when some configuration saw any, so that blocks compare across configurations.
  const anyCalls = r.configs.some((x) => x.outcomes.some((o) => o.tasks.some((h) => h.calls.length)));
  return (o) => {
    const callsOf = (i: number) => o.tasks[i].calls.map((x) => `${x.stub} from ${names.addr(x.site)}`).join(', ') || 'no calls';
    const parts = [endingText(o.ending, names)];
    if (anyCalls) {
      for (const i of taskIndices(r.scenario)) if (!grouped.has(i)) parts.push(`${names.hart(i)}: ${callsOf(i)}`);
      for (const g of taskGroups(r)) parts.push(`${g.map((i) => names.hart(i)).join(', ')} in some order: ${g.map(callsOf).sort().join(' / ')}`);
    }
    if (finals) parts.push(finals(o.final));
    return parts.join('; ');
  };
}

/** What herd's Ok or No cannot say: that the checks fail as their author declared, or hold though declared to fail. */
export function expectationNote(s: Scenario, c: ConfigResult): string | undefined {
  const status = scenarioStatus(s, [c], []);
  if (status === 'xfail') return '(fails as declared: an expected failure, XFAIL)';
  if (status === 'xpass') return '(a check declared to fail holds: XPASS)';
  return undefined;
}

/**
 * herd's outcome block for a scenario under one configuration, unindented: its states
 * (distinct outcomes), Ok when every check holds (claims and table rows), and one
 * Observation per claim, numbered as the claims are. Brief: the Observation lines alone
 * (the claims are listed with their numbers elsewhere); full: each with herd's Positive
 * and Condition lines. A litmus test's block is herd's own.
 */
export function scenarioBlock(r: ScenarioResult, c: ConfigResult, names: Names, full: boolean): string[] {
  const s = r.scenario;
  const note = expectationNote(s, c);
  if (s.litmus) {
    const out = herdBlock(s, c);
    if (note) out.splice(out.findIndex((l) => l === 'Ok' || l === 'No') + 1, 0, note);
    return out;
  }
  const required = s.claims.some((x) => x.quantifier !== 'sometimes');
  const out = [`Test ${s.name} ${required ? 'Required' : 'Allowed'}`, `States ${c.outcomes.length}`, ...stateLines(r, c, names, full)];
  if (!c.complete) out.splice(1, 0, '(incomplete: the search stopped before it had seen every outcome)');
  else if (!c.outcomes.length) out.splice(1, 0, '(no run ends: every run loops forever)');
  out.push(c.verdict === 'pass' ? 'Ok' : 'No');
  if (note) out.push(note);
  if (!c.claims.length) return out;
  out.push('Witnesses');
  c.claims.forEach((x, i) => {
    const o = observation(x, c);
    const line = `Observation ${s.name}/${i + 1} ${o.word} ${o.positive} ${o.negative}`;
    if (!full) return out.push(line);
    const [first, ...rest] = claimLines(x.claim);
    out.push(`Positive: ${o.positive} Negative: ${o.negative}`, `Condition ${first}`, ...rest.map((l) => `          ${l}`), line);
  });
  return out;
}

