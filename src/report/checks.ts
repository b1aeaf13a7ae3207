// A scenario's results as a flat list of checks, each with its status and, when it does
// not pass, why in words: the shape test runners want (one test per check), shared by
// the JUnit report and the vitest helper so both tell a failure the same way.

import type { Claim, FetchConfigName, HardwareRun, Recorded, Scenario, SourcePos, TableRow } from '../scenario/types.ts';
import { recordDiff } from '../verdict/records.ts';
import type { ConfigResult, RecordCheck, Run, ScenarioResult, Status } from '../verdict/types.ts';
import { actorOf, endingText, Names, runSummary, stepText, stopText } from './describe.ts';
import { firstSeenText, forbiddenText } from '../hw/compare.ts';

export type CheckKind = 'claim' | 'table-row' | 'record' | 'hardware' | 'scenario';

export interface Check {
  readonly kind: CheckKind;
  /** The check as the author wrote it: a claim, a table row, a recorded key. */
  readonly text: string;
  /** Where it was written. */
  readonly pos: SourcePos;
  /** The configuration it was judged under; absent for checks over all of them (recorded observations). */
  readonly config?: FetchConfigName;
  readonly status: Status;
  /** What happened, in one line without the configuration's name ('' for a plain pass). */
  readonly why: string;
  /** Supporting lines: a run's steps, or recorded lines against observed ones. */
  readonly lines: readonly string[];
  /** The run those lines tell: a counterexample, or a run that shows a declared failure holds. */
  readonly run?: Run;
  /** For a check declared to fail (xfail, xpass): the reason its `xfail:` gives ('' for none). */
  readonly declared?: string;
}

/** How each status reads after a check's text. */
export const STATUS_PHRASE: Readonly<Record<Status, string>> = {
  pass: 'holds',
  fail: 'fails',
  xfail: 'fails as declared',
  xpass: 'holds though declared to fail',
  incomplete: 'is undecided',
};

/** A claim, a table row, a recording: as a check names it. */
const claimText = (claim: Claim) => claim.text;
const rowText = (row: TableRow) => `${row.signature} -- ${row.text}`;
const recordText = (recorded: Recorded) => (recorded.kind === 'outcomes' ? 'outcomes: as recorded' : 'table observed: as recorded');
const hardwareText = (run: HardwareRun) => `hardware: what ${run.machine} showed (${run.results}) is allowed`;

/** A check's name as test runners list it: what was written, then the configuration, so each (check, configuration) pair is a test of its own. */
export function checkName(check: Pick<Check, 'text' | 'config'>): string {
  return check.config ? `${check.text} [${check.config}]` : check.text;
}

/** What happened to a check, in one line: "fails under ziccid: shortest counterexample: ...", "expected failure under ziccid: ...". */
export function checkMessage(check: Check): string {
  const under = check.config ? ` under ${check.config}` : '';
  const what = check.status === 'xfail' ? 'expected failure' : STATUS_PHRASE[check.status];
  return `${what}${under}${check.why ? `: ${check.why}` : ''}`;
}

/** What identifies a check among a scenario's: its kind, where it was written, its configuration. */
export function checkKey(check: Pick<Check, 'kind' | 'pos' | 'config'>): string {
  return `${check.kind} ${check.pos.file}:${check.pos.line}:${check.pos.col} ${check.config ?? ''}`;
}

/** A check as known before judging: what checksOf will give for it, but its outcome. */
export type PlannedCheck = Pick<Check, 'kind' | 'text' | 'pos' | 'config'>;

/**
 * The checks a judgement of `s` under `configs` will have, in checksOf's order, known
 * before any search: what a test runner lists at collection. Those checksOf adds to
 * account for a scenario's status alone (kind 'scenario') depend on the outcome and are
 * not among them.
 */
export function plannedChecks(s: Scenario, configs: readonly FetchConfigName[]): PlannedCheck[] {
  return [
    ...configs.flatMap((config) => [
      ...s.claims.map((c) => ({ kind: 'claim' as const, text: claimText(c), pos: c.pos, config })),
      ...(s.table?.rows ?? []).map((r) => ({ kind: 'table-row' as const, text: rowText(r), pos: r.pos, config })),
    ]),
    ...(s.recorded ?? []).map((r) => ({ kind: 'record' as const, text: recordText(r), pos: r.pos })),
    ...(s.hardware ?? []).map((h) => ({ kind: 'hardware' as const, text: hardwareText(h), pos: h.pos })),
  ];
}

/** A run as numbered plain lines, "N. hart: what it did", then how it ended. */
export function runLines(run: Run, names: Names): string[] {
  const out: string[] = [];
  run.steps.forEach((step, i) => {
    if (run.loopFrom === i) out.push(`(from here, steps ${i + 1} to ${run.steps.length} repeat forever)`);
    out.push(`${i + 1}. ${actorOf(step.transition, names)}: ${stepText(step, names) || '(nothing visible)'}`);
  });
  if (run.ending) out.push(`ending: ${endingText(run.ending, names)}`);
  return out;
}

/** A check's supporting lines and run, where it has one. */
function runOf(run: Run | undefined, names: Names): { lines: string[]; run?: Run } {
  return run ? { lines: runLines(run, names), run } : { lines: [] };
}

/** Why a check fails where every run loops forever (verdict/claims.ts). */
export const NO_RUN_ENDS = 'no run ends (every run loops forever): there is no outcome to judge it by';

const reason = (own: string | undefined, r: ScenarioResult) => own ?? r.scenario.xfail ?? '';
const declared = (text: string) => (text ? ` (xfail: ${text})` : '');

function claimChecks(r: ScenarioResult, c: ConfigResult, names: Names): Check[] {
  return c.claims.map((x) => {
    const because = reason(x.claim.xfail, r);
    const base = { kind: 'claim' as const, text: claimText(x.claim), pos: x.claim.pos, config: c.model.fetch, status: x.status, ...(x.status === 'xfail' || x.status === 'xpass' ? { declared: because } : {}) };
    const expected = declared(because);
    if (x.status === 'incomplete') return { ...base, why: stopText(c), lines: [] };
    if (x.verdict === 'fail') {
      const why = x.counterexample
        ? `shortest counterexample: ${runSummary(x.counterexample, names)}`
        : c.complete && !c.outcomes.length
          ? NO_RUN_ENDS
          : `no run shows it (in none of ${c.outcomes.length} outcomes)`;
      return { ...base, why: why + (x.status === 'xfail' ? expected : ''), ...runOf(x.counterexample, names) };
    }
    if (x.status === 'xpass') {
      const why = x.witness ? `it happens: ${runSummary(x.witness, names)}` : 'no run breaks it';
      return { ...base, why: why + expected, ...runOf(x.witness, names) };
    }
    return { ...base, why: '', lines: [] };
  });
}

function rowChecks(r: ScenarioResult, c: ConfigResult, names: Names): Check[] {
  const table = c.table;
  if (!table) return [];
  return table.rows.map((row) => {
    const because = row.status === 'xfail' || row.status === 'xpass' ? reason(row.row.xfail, r) : undefined;
    const base = { kind: 'table-row' as const, text: rowText(row.row), pos: row.row.pos, config: c.model.fetch, status: row.status, ...(because !== undefined ? { declared: because } : {}) };
    if (row.status === 'incomplete') return { ...base, why: stopText(c), lines: [] };
    if (row.status === 'pass') return { ...base, why: '', lines: [] };
    const expected = because !== undefined ? declared(because) : '';
    if (row.status === 'xpass') return { ...base, why: `every signature is as claimed${expected}`, lines: [] };
    if (c.complete && !c.outcomes.length) return { ...base, why: NO_RUN_ENDS + expected, lines: [] };
    const wrong = row.parts.filter((p) => p.verdict === 'fail');
    const observed = (p: (typeof wrong)[number]) =>
      p.observed ? Object.entries(p.classes).map(([k, n]) => `${k} in ${n} outcome${n === 1 ? '' : 's'}`).join(', ') : 'never';
    const why = wrong.map((p) => `${p.signature} claimed ${p.expect}, observed ${observed(p)}`).join('; ');
    // A signature claimed impossible that happens has a shortest run to show.
    const seen = wrong.find((p) => p.expect === 'impossible');
    const example = seen && table.signatures.get(seen.signature)?.example;
    return { ...base, why: why + expected, ...runOf(example || undefined, names) };
  });
}

/** Only what changed, the recorded lines first: "- " only recorded, "+ " only observed. */
function recordChanges(rec: RecordCheck): string[] {
  const diff = recordDiff(rec);
  return (['-', '+'] as const).flatMap((mark) => diff.filter((d) => d.mark === mark).map((d) => `${mark} ${d.line}`));
}

function recordChecks(r: ScenarioResult): Check[] {
  return r.records.map((rec) => {
    const base = { kind: 'record' as const, text: recordText(rec.recorded), pos: rec.recorded.pos };
    if (rec.matches) return { ...base, status: 'pass' as const, why: '', lines: [] };
    return { ...base, status: 'fail' as const, why: 'what was observed differs from what is recorded (- recorded, + observed)', lines: recordChanges(rec) };
  });
}

/** Each machine of the scenario's `hardware:` (once held against the model): it fails on an outcome the model forbids. */
function hardwareChecks(r: ScenarioResult): Check[] {
  return (r.hardware ?? []).map((h) => {
    const base = { kind: 'hardware' as const, text: hardwareText(h.run), pos: h.run.pos };
    const c = h.comparison;
    const declared = h.run.xfail !== undefined ? { declared: h.run.xfail } : {};
    if (h.status === 'pass') return { ...base, status: h.status, why: '', lines: [] };
    if (h.status === 'xpass') return { ...base, ...declared, status: h.status, why: `no outcome the model forbids in ${c.iterations} iterations, though the machine is declared to show one${declared.declared ? ` (xfail: ${declared.declared})` : ''}`, lines: [] };
    const why = `${forbiddenText(c.forbidden.length)} under ${c.config}, in ${c.iterations} iterations${h.status === 'xfail' ? ', as declared' : ''}`;
    return { ...base, ...declared, status: h.status, why, lines: c.forbidden.map((f) => `${f.count} ${f.outcome}${firstSeenText(f.first)}`) };
  });
}

/**
 * Every check of a scenario: each claim and each table row under each configuration, in
 * the scenario's order, then its recorded observations and its machines' histograms. When the scenario's status is
 * not owed to any single check (a whole scenario declared to fail in which everything
 * holds, or a search stopped though every check was decided), a check for that comes last,
 * so the list always accounts for the status.
 */
export function checksOf(r: ScenarioResult): Check[] {
  const names = new Names(r.scenario);
  const out: Check[] = [];
  for (const c of r.configs) out.push(...claimChecks(r, c, names), ...rowChecks(r, c, names));
  out.push(...recordChecks(r), ...hardwareChecks(r));
  if (r.status === 'xpass' && !out.some((x) => x.status === 'xpass')) {
    out.push({ kind: 'scenario', text: 'xfail', pos: r.scenario.pos, status: 'xpass', declared: r.scenario.xfail ?? '', why: `every check holds, though the scenario is declared to fail${declared(r.scenario.xfail ?? '')}`, lines: [] });
  }
  if (r.status === 'incomplete' && !out.some((x) => x.status === 'incomplete')) {
    for (const c of r.configs.filter((x) => !x.complete)) {
      out.push({ kind: 'scenario', text: 'exploration', pos: r.scenario.pos, config: c.model.fetch, status: 'incomplete', why: stopText(c), lines: [] });
    }
  }
  return out;
}
