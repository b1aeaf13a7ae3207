// The results as JUnit XML, the format CI dashboards read: one <testsuite> per notebook,
// one <testcase> per check (a claim or a table row under one configuration, a recorded
// observation). Statuses map onto JUnit's three outcomes: fail and xpass are failures,
// incomplete an error, and xfail a pass that says so in its output, because JUnit has no
// expected failure and "skipped" would hide that the check ran. Every time is 0 so that
// the same results give the same bytes.

import type { ScenarioResult, Status } from '../verdict/types.ts';
import { checksOf, STATUS_PHRASE, type Check } from './checks.ts';

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

type Outcome = 'passed' | 'failure' | 'error';

const OUTCOME: Readonly<Record<Status, Outcome>> = { pass: 'passed', xfail: 'passed', fail: 'failure', xpass: 'failure', incomplete: 'error' };

interface Case {
  readonly outcome: Outcome;
  readonly xml: string[];
}

/** The testcase's name: the check as written, then the configuration, so each (check, configuration) pair is its own test. */
function caseName(check: Check): string {
  return check.config ? `${check.text} [${check.config}]` : check.text;
}

function message(check: Check): string {
  const under = check.config ? ` under ${check.config}` : '';
  return `${STATUS_PHRASE[check.status]}${under}${check.why ? `: ${check.why}` : ''}`;
}

function testcase(path: string, r: ScenarioResult, check: Check): Case {
  const head = `    <testcase${attrs([
    ['classname', `${path}:${r.scenario.pos.line} ${r.scenario.name}`],
    ['name', caseName(check)],
    ['file', check.pos.file === r.scenario.pos.file ? path : check.pos.file], // a claim imported from another file is written there
    ['line', check.pos.line],
    ['time', 0],
  ])}`;
  const outcome = OUTCOME[check.status];
  const body = escapeText(check.lines.join('\n'));
  if (outcome === 'failure' || outcome === 'error') {
    return { outcome, xml: [`${head}>`, `      <${outcome}${attrs([['message', message(check)], ['type', check.status]])}>${body}</${outcome}>`, '    </testcase>'] };
  }
  if (check.status === 'xfail') {
    return { outcome, xml: [`${head}>`, `      <system-out>${escapeText(message(check))}</system-out>`, '    </testcase>'] };
  }
  return { outcome, xml: [`${head}/>`] };
}

function counts(cases: readonly Case[]): Array<[string, number]> {
  const n = (o: Outcome) => cases.filter((c) => c.outcome === o).length;
  return [
    ['tests', cases.length],
    ['failures', n('failure')],
    ['errors', n('error')],
    ['skipped', 0],
    ['time', 0],
  ];
}

/** One <testsuite> per file, one <testcase> per check of each of its scenarios. */
export function renderJunit(files: ReadonlyArray<{ path: string; results: readonly ScenarioResult[] }>): string {
  const suites = files.map((f) => ({ path: f.path, cases: f.results.flatMap((r) => checksOf(r).map((c) => testcase(f.path, r, c))) }));
  const all = suites.flatMap((s) => s.cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([['name', 'patchlit'], ...counts(all)])}>`,
    ...suites.flatMap((s) =>
      s.cases.length
        ? [`  <testsuite${attrs([['name', s.path], ...counts(s.cases)])}>`, ...s.cases.flatMap((c) => c.xml), '  </testsuite>']
        : [`  <testsuite${attrs([['name', s.path], ...counts(s.cases)])}/>`],
    ),
    '</testsuites>',
    '',
  ].join('\n');
}
