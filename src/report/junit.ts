// The results as JUnit XML, the format CI dashboards read: one <testsuite> per notebook,
// one <testcase> per check (a claim or a table row under one configuration, a recorded
// observation) of each scenario that ran, however the run selected them. Statuses map onto
// JUnit's outcomes: fail and xpass are failures, incomplete an error, and xfail a skip.
//
// An expected failure is <skipped type="xfail" message="expected failure ..."> with a
// testcase property xfail=REASON. That is how pytest's junitxml writes one (skipped,
// type "pytest.xfail"), the one widespread convention, and what every dashboard shows as
// neither a pass nor a failure: GitLab's test report and Jenkins' JUnit plugin as skipped
// with the message, dorny/test-reporter and mikepenz/action-junit-report as skipped in
// their counts, none of them turning the run red. A pass would hide that the check fails;
// a failure would turn CI red for a race the notebook demonstrates on purpose. Nothing
// in patchlit is ever skipped, so every <skipped> is an expected failure, and the
// property says so to a tool that reads properties.
//
// Bad input (a scenario that does not read) is a testsuite of its file with one <error>
// testcase per diagnostic, at its file and line, so that a CI run shows why it stopped.
//
// JUnit is the one report with wall times: each testcase's is the time its
// configuration's search took, a check over all the configurations (a recorded
// observation) the time of all of them; a testsuite's the time of its scenarios'
// searches, each counted once (checks judged from one search share its time). The
// other reports stay the same bytes from the same input; this one differs in its `time`
// attributes only.

import type { ScenarioResult, Status } from '../verdict/types.ts';
import { checkMessage, checkName, checksOf, type Check } from './checks.ts';

/**
 * Characters XML 1.0 cannot hold at all, not even as a character reference: C0 controls
 * other than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Such a character becomes visible text naming its code, so a reader still sees it was there. */
const visible = (s: string) => s.replace(NOT_XML, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase()}}`);

export function escapeText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and whitespace that attribute normalisation would turn into spaces. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('');
}

/** Input patchlit could not read, as the terminal printed it. */
export interface InputError {
  /** The file the error is in (an imported one's, for an error there). */
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  readonly message: string;
  /** The whole diagnostic as printed: `file:line:col: error: ...`, the line, a caret, a hint, notes. */
  readonly text: string;
}

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

const OUTCOME: Readonly<Record<Status, Outcome>> = { pass: 'passed', xfail: 'skipped', fail: 'failure', xpass: 'failure', incomplete: 'error' };

interface Case {
  readonly outcome: Outcome;
  readonly xml: string[];
}

/** Seconds as JUnit writers give them: to the millisecond. */
const seconds = (s: number) => s.toFixed(3);

/** The seconds of the searches a scenario's checks were judged from: each configuration's own, or the one it shares (ConfigResult.searchedAs). */
function searchSeconds(r: ScenarioResult): { of: (check: Check) => number; total: number } {
  const own = (fetch: string) => {
    const c = r.configs.find((x) => x.model.fetch === fetch);
    return c ? c.stats.seconds : 0;
  };
  const total = r.configs.reduce((t, c) => t + (c.searchedAs ? 0 : c.stats.seconds), 0);
  return { of: (check) => (check.config ? own(check.config) : total), total };
}

/** A testcase with one child element (a failure, an error, a skip) or none, and the properties it has. */
function element(head: string, child: string | undefined, properties: ReadonlyArray<readonly [string, string]> = []): string[] {
  if (child === undefined && !properties.length) return [`${head}/>`];
  const props = properties.length ? ['      <properties>', ...properties.map((p) => `        <property${attrs([['name', p[0]], ['value', p[1]]])}/>`), '      </properties>'] : [];
  return [`${head}>`, ...props, ...(child === undefined ? [] : [`      ${child}`]), '    </testcase>'];
}

function testcase(path: string, r: ScenarioResult, check: Check, time: number): Case {
  const head = `    <testcase${attrs([
    ['classname', `${path}:${r.scenario.pos.line} ${r.scenario.name}`],
    ['name', checkName(check)],
    ['file', check.pos.file === r.scenario.pos.file ? path : check.pos.file], // a claim imported from another file is written there
    ['line', check.pos.line],
    ['time', seconds(time)],
  ])}`;
  const outcome = OUTCOME[check.status];
  if (outcome === 'passed') return { outcome, xml: element(head, undefined) };
  // An expected failure's run is in the notebook's report; here, as pytest writes one, its message only.
  if (outcome === 'skipped') return { outcome, xml: element(head, `<skipped${attrs([['message', checkMessage(check)], ['type', 'xfail']])}/>`, [['xfail', check.declared ?? '']]) };
  return { outcome, xml: element(head, `<${outcome}${attrs([['message', checkMessage(check)], ['type', check.status]])}>${escapeText(check.lines.join('\n'))}</${outcome}>`) };
}

/** A diagnostic as an error testcase at its place, named as the terminal printed its first line. */
function inputCase(e: InputError): Case {
  const at = [e.file, e.line, e.col].filter((x) => x !== undefined).join(':');
  const head = `    <testcase${attrs([['classname', e.file], ['name', `${at}: ${e.message}`], ['file', e.file], ...(e.line !== undefined ? [['line', e.line] as const] : []), ['time', seconds(0)]])}`;
  return { outcome: 'error', xml: element(head, `<error${attrs([['message', `${at}: ${e.message}`], ['type', 'bad input']])}>${escapeText(e.text)}</error>`) };
}

function counts(cases: readonly Case[], time: number): Array<[string, string | number]> {
  const n = (o: Outcome) => cases.filter((c) => c.outcome === o).length;
  return [
    ['tests', cases.length],
    ['failures', n('failure')],
    ['errors', n('error')],
    ['skipped', n('skipped')],
    ['time', seconds(time)],
  ];
}

interface Suite {
  readonly name: string;
  readonly cases: readonly Case[];
  readonly seconds: number;
}

function resultSuite(f: { path: string; results: readonly ScenarioResult[] }): Suite {
  let total = 0;
  const cases = f.results.flatMap((r) => {
    const time = searchSeconds(r);
    total += time.total;
    return checksOf(r).map((c) => testcase(f.path, r, c, time.of(c)));
  });
  return { name: f.path, cases, seconds: total };
}

/** The input errors grouped by file, in the order they were met. */
function errorSuites(errors: readonly InputError[]): Suite[] {
  const files = [...new Set(errors.map((e) => e.file))];
  return files.map((file) => ({ name: file, cases: errors.filter((e) => e.file === file).map(inputCase), seconds: 0 }));
}

/**
 * One <testsuite> per file, one <testcase> per check of each of its scenarios; then, for
 * a run stopped by bad input, one per file with errors, an error testcase for each.
 */
export function renderJunit(files: ReadonlyArray<{ path: string; results: readonly ScenarioResult[] }>, errors: readonly InputError[] = []): string {
  const suites = [...files.map(resultSuite), ...errorSuites(errors)];
  const all = suites.flatMap((s) => s.cases);
  const total = suites.reduce((t, s) => t + s.seconds, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([['name', 'patchlit'], ...counts(all, total)])}>`,
    ...suites.flatMap((s) =>
      s.cases.length
        ? [`  <testsuite${attrs([['name', s.name], ...counts(s.cases, s.seconds)])}>`, ...s.cases.flatMap((c) => c.xml), '  </testsuite>']
        : [`  <testsuite${attrs([['name', s.name], ...counts(s.cases, s.seconds)])}/>`],
    ),
    '</testsuites>',
    '',
  ].join('\n');
}
