// What `patchlit run` shows on a terminal: coloured status words, the failing checks
// with their shortest runs, a progress line that rewrites itself during long
// explorations, and a closing summary. Colour and cursor control appear only on a TTY, so
// piped output, CI logs and tests see plain text.

import { checksOf } from '../report/checks.ts';
import { configNames } from '../report/by-config.ts';
import { Names, runKey } from '../report/describe.ts';
import { laneLines } from '../report/lanes.ts';
import { count } from '../report/markdown.ts';
import { recordDiff } from '../verdict/records.ts';
import { hardwareFailure } from '../hw/hardware.ts';
import { histogramLine } from '../scenario/histogram.ts';
import type { PoolProgress } from '../verdict/pool.ts';
import type { ConfigResult, ScenarioResult, Status, Verdict } from '../verdict/types.ts';

type Stream = NodeJS.WriteStream | NodeJS.WritableStream;
type Paint = (text: string) => string;

export interface Colours {
  readonly enabled: boolean;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
}

function isTTY(stream: Stream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/**
 * Colour functions for text written to `stream`. Off unless it is a TTY; NO_COLOR set to
 * anything non-empty turns them off (no-color.org) and wins over FORCE_COLOR, which turns
 * them on for a non-TTY (FORCE_COLOR=0 or false: off); TERM=dumb cannot show them.
 */
export function colours(stream: Stream, env: NodeJS.ProcessEnv = process.env): Colours {
  const enabled = colourWanted(stream, env);
  // Each style closes with its own reset code, not \x1b[0m, so styles can nest.
  const style = (open: number, close: number): Paint => (enabled ? (t) => `\x1b[${open}m${t}\x1b[${close}m` : (t) => t);
  return { enabled, red: style(31, 39), green: style(32, 39), yellow: style(33, 39), dim: style(2, 22), bold: style(1, 22) };
}

function colourWanted(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return isTTY(stream) && env.TERM !== 'dumb';
}

const STATUS_WIDTH = 'INCOMPLETE'.length;

const STATUS_COLOUR: Record<Status, keyof Omit<Colours, 'enabled'>> = {
  pass: 'green',
  fail: 'red',
  xpass: 'red', // held though declared to fail: the expectation is wrong, which is a failure
  xfail: 'yellow',
  incomplete: 'yellow',
};

/** PASS, FAIL, XFAIL, XPASS or INCOMPLETE, coloured, padded to one width (padding outside the colour codes so columns line up either way). */
export function statusWord(status: Status, c: Colours): string {
  const word = status.toUpperCase();
  return c[STATUS_COLOUR[status]](word) + ' '.repeat(STATUS_WIDTH - word.length);
}

/** "pass under all 5", or "FAIL under ziccif-only and ir3-fetch; pass under ziccid, ...": every configuration named but the suite's own five. */
export function configsText(configs: readonly ConfigResult[]): string {
  const order: readonly Verdict[] = ['fail', 'incomplete', 'pass'];
  return order
    .flatMap((v) => {
      const list = configs.filter((c) => c.verdict === v);
      return list.length ? [`${v === 'pass' ? 'pass' : v.toUpperCase()} under ${configNames(list, configs)}`] : [];
    })
    .join('; ');
}

export interface FailureOptions {
  /** Columns of the runs drawn. */
  readonly width: number;
  /** Every step of a long run (`--detail full`), not only its first and last. */
  readonly full: boolean;
  /** The report file that will hold it all, if one is written. */
  readonly report?: string;
}

/**
 * What a scenario that does not pass shows under its line: each failing check (failed, or
 * holding though declared to fail) with its shortest run as lanes, a run drawn once
 * however many checks and configurations share it; each recorded observation that
 * changed, as a diff; and the report that has all of it.
 */
export function failureDetails(r: ScenarioResult, c: Colours, options: FailureOptions): string[] {
  const names = new Names(r.scenario);
  const lines: string[] = [];
  const seen = new Set<string>();
  const drawn = new Set<string>();
  for (const check of checksOf(r)) {
    if (check.status !== 'fail' && check.status !== 'xpass') continue;
    if (check.kind === 'record' || check.kind === 'hardware') continue; // told below, with their lines
    const text = `  ${c.red('x')} ${check.text}: ${check.why}`;
    if (seen.has(text)) continue;
    seen.add(text);
    lines.push(text);
    if (!check.run) continue;
    const key = runKey(check.run, names);
    if (drawn.has(key)) {
      lines.push(c.dim('      (the run drawn above)'));
      continue;
    }
    drawn.add(key);
    lines.push(...laneLines(check.run, r.scenario, names, { width: options.width, indent: '    ', elide: !options.full }));
  }
  for (const rec of r.records) {
    if (rec.matches) continue;
    const where = `${rec.recorded.pos.file}:${rec.recorded.pos.line}:${rec.recorded.pos.col}`;
    lines.push(`  ${c.red('x')} ${where}: ${rec.recorded.kind}: changed (--update records what this run saw)`);
    lines.push(`    ${c.red('- recorded')}`, `    ${c.green('+ observed')}`);
    const paint = { '+': c.green, '-': c.red, ' ': (t: string) => t };
    for (const d of recordDiff(rec)) lines.push(`    ${paint[d.mark](`${d.mark} ${d.line}`)}`);
  }
  for (const h of r.hardware ?? []) {
    const headline = hardwareFailure(h);
    if (!headline) continue;
    lines.push(`  ${c.red('x')} ${h.run.pos.file}:${h.run.pos.line}:${h.run.pos.col}: ${headline} (${h.run.results}, under ${h.comparison.config})`);
    for (const f of h.comparison.forbidden) lines.push(`    ${histogramLine(f)}`);
  }
  if (lines.length && options.report) lines.push(`  full report: ${options.report}`);
  return lines;
}

export interface ProgressFigures {
  readonly states: number;
  readonly depth: number;
  readonly queue: number;
  readonly seconds: number;
  /** States per second, where it is not states / seconds (several searches at once). */
  readonly rate?: number;
  /** Units of work (a scenario under a configuration) not started yet. */
  readonly waiting?: number;
  /** States still to find, estimated (Progress.toGo); null: some search's frontier still grows. */
  readonly toGo?: number | null;
}

/**
 * The progress line of a pool of judging threads (verdict/pool.ts): the units running,
 * as `scenario (configuration, ...)`, with their figures added up (states, states/s, queue;
 * the deepest depth, the longest time), and the units waiting for a thread.
 */
export function poolFigures(p: PoolProgress): { label: string; figures: ProgressFigures } {
  const configs = new Map<string, string[]>();
  for (const r of p.running) configs.set(r.scenario, [...(configs.get(r.scenario) ?? []), r.config]);
  const label = [...configs].map(([name, list]) => `${name} (${list.join(', ')})`).join('; ');
  let [states, rate, depth, queue, seconds] = [0, 0, 0, 0, 0];
  let toGo: number | null = 0;
  for (const { progress: x } of p.running) {
    states += x.states;
    rate += x.rate;
    depth = Math.max(depth, x.depth);
    queue += x.queue;
    seconds = Math.max(seconds, x.seconds);
    toGo = toGo === null || x.toGo === undefined ? null : toGo + x.toGo;
  }
  return { label, figures: { states, depth, queue, seconds, ...(seconds > 0 ? { rate } : {}), waiting: p.waiting, ...(p.running.length ? { toGo } : {}) } };
}

/**
 * One line, rewritten in place, saying how far a long exploration has got. Quick
 * explorations never show it: it appears once an exploration has run `minMs` by the
 * explorer's own clock (`seconds`) or its label has been updated for that long by `now`
 * (a label can cover several explorations, each restarting `seconds`). Not a TTY: silent.
 */
export class ProgressLine {
  private readonly stream: Stream;
  private readonly now: () => number;
  private readonly minMs: number;
  private readonly active: boolean;
  private label: string | undefined;
  private labelSince = 0;
  private shown = false;

  constructor(stream: Stream, options: { now?: () => number; minMs?: number } = {}) {
    this.stream = stream;
    this.now = options.now ?? Date.now;
    this.minMs = options.minMs ?? 1000;
    this.active = isTTY(stream);
  }

  update(label: string, p: ProgressFigures): void {
    if (!this.active) return;
    const now = this.now();
    if (label !== this.label) [this.label, this.labelSince] = [label, now];
    if (Math.max(p.seconds * 1000, now - this.labelSince) < this.minMs) return;
    this.stream.write(`\r${fitTo(progressText(label, p), this.columns())}\x1b[K`);
    this.shown = true;
  }

  /** Erases the line, so that what is printed next starts at column 0 on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  // One column short of the width: a line that fills the last column leaves some terminals about to wrap.
  private columns(): number {
    const cols = (this.stream as { columns?: number }).columns;
    return Math.max(1, (cols && cols > 0 ? cols : 80) - 1);
  }
}

function progressText(label: string, p: ProgressFigures): string {
  const parts = [label, `${count(p.states)} states`];
  const rate = p.rate ?? (p.seconds > 0 ? p.states / p.seconds : undefined);
  if (rate !== undefined) parts.push(`${count(Math.round(rate))} states/s`);
  parts.push(`depth ${p.depth}`, `queue ${count(p.queue)}`);
  // The frontier: still growing, or about how many states are left to find at this pace.
  if (p.toGo === null) parts.push('frontier growing');
  else if (p.toGo !== undefined) parts.push(`~${count(p.toGo)} to go${rate ? ` (~${duration(p.toGo / rate)})` : ''}`);
  if (p.waiting) parts.push(`${count(p.waiting)} waiting`);
  return parts.join('  ');
}

/** Cut by code points, so a label with astral characters is never split mid-pair. */
function fitTo(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : chars.slice(0, width).join('');
}

export interface RunCounts {
  readonly passed: number;
  readonly failed: number;
  readonly xfail: number;
  readonly xpass: number;
  readonly incomplete: number;
  readonly files: number;
  readonly scenarios: number;
}

/**
 * The closing block: notebooks, scenarios by status, how long it took, then the plain
 * `N passed, N failed[, N incomplete]` line CI log parsers look for, always last and never
 * coloured. Passed counts pass and xfail; failed counts fail and xpass. The Duration line
 * is the only timing in it and goes just before that last line; `seconds` null leaves it
 * out, for output that must be byte-identical from run to run (pipes, tests). No blank
 * line before the block: the caller decides the spacing.
 */
export function summary(counts: RunCounts, seconds: number | null, c: Colours): string[] {
  const label = (name: string) => c.dim(name.padStart(10));
  const scenarioWord = counts.scenarios === 1 ? 'scenario' : 'scenarios';
  const byStatus = [
    counts.failed > 0 && c.red(`${counts.failed} failed`),
    counts.xpass > 0 && c.red(`${counts.xpass} unexpectedly passed`),
    counts.incomplete > 0 && c.yellow(`${counts.incomplete} incomplete`),
    counts.xfail > 0 && c.yellow(`${counts.xfail} expected fail`),
    counts.passed > 0 && c.green(`${counts.passed} passed`),
  ].filter((part): part is string => part !== false);
  const lines = [
    `${label('Notebooks')}  ${counts.files} (${counts.scenarios} ${scenarioWord})`,
    `${label('Scenarios')}  ${byStatus.length ? byStatus.join(c.dim(' | ')) : 'none'}`,
  ];
  if (seconds !== null) lines.push(`${label('Duration')}  ${duration(seconds)}`);
  const passed = counts.passed + counts.xfail;
  const failed = counts.failed + counts.xpass;
  lines.push(`${passed} passed, ${failed} failed${counts.incomplete ? `, ${counts.incomplete} incomplete` : ''}`);
  return lines;
}

/** 21.4s under a minute; 3m 07s beyond, where tenths no longer matter. */
function duration(seconds: number): string {
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`; // 59.96 would round to "60.0s"
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
}
