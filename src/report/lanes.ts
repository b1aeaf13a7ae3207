// A run as lanes, for plain text (the mail report, the terminal): a column per hart, the
// patching harts first as the Markdown tables have them, and a row per step, its text
// starting in its hart's column and running on to the right margin (one hart acts per
// step, so the columns to its right are free). A bar marks each lane to its left, so the
// column a step starts in reads at a glance however long its text:
//
//         cpu0  cpu1
//      1  |     cpu1.main: jal ffffffff8001f840 <func>
//      2  store J +8 at func; func := j ffffffff8001f848 <func+0x8>
//
// A long run may be shown by its first and last steps, the count of those left out
// between them, and a run by the steps after those it shares with one drawn before; the
// caller decides (the default detail does, `--detail full` never).

import type { Scenario } from '../scenario/types.ts';
import type { Run } from '../verdict/types.ts';
import { actorOf, Names, stepText } from './describe.ts';
import { spaces, wrap } from './layout.ts';

export interface LaneOptions {
  readonly width: number;
  /** Before each step's number. */
  readonly indent?: string;
  /** Show a long run by its first and last steps only. */
  readonly elide?: boolean;
  /** Its first steps are those of a run drawn before: they are named, not drawn again. */
  readonly sameAs?: { readonly steps: number; readonly run: string };
}

/** A run longer than this is long: eliding, it shows its first HEAD and last TAIL steps. */
export const LONG_RUN = 16;
const HEAD = 3;
const TAIL = 9;
/** The last lane needs this much room for its text; with less, the steps are listed one under another, each naming its hart. */
const MIN_ROOM = 24;

/** The steps shown of those from `from` to `n`, as index ranges: all of them, or the first and last of a long stretch. */
function shownSteps(from: number, n: number, elide: boolean): Array<[number, number]> {
  return elide && n - from > LONG_RUN ? [[from, from + HEAD], [n - TAIL, n]] : [[from, n]];
}

/** How many first steps two runs have in common, step for step as the lanes draw them. */
export function commonSteps(a: Run, b: Run, names: Names): number {
  const key = (step: Run['steps'][number]) => `${actorOf(step.transition, names)}:${stepText(step, names)}`;
  let n = 0;
  while (n < a.steps.length && n < b.steps.length && key(a.steps[n]) === key(b.steps[n])) n++;
  return n;
}

/** The harts whose steps a run of `s` can have, in lane order. */
function actorsOf(s: Scenario): string[] {
  return [...s.system.patchers.map((p) => p.name), ...s.system.harts.map((h) => h.name)];
}

/** A run as lanes, lines of at most `width` columns (see the top of this file). */
export function laneLines(run: Run, s: Scenario, names: Names, options: LaneOptions): string[] {
  const { width } = options;
  const indent = options.indent ?? '';
  const actors = actorsOf(s);
  const digits = String(run.steps.length).length;
  const gutter = indent.length + digits + 2;
  const pitch = Math.max(6, ...actors.map((a) => a.length + 2));
  const listed = width - gutter - pitch * (actors.length - 1) < MIN_ROOM;
  const number = (i: number) => `${indent}${String(i + 1).padStart(digits)}  `;
  const out: string[] = [];
  if (!listed) out.push((spaces(gutter) + actors.map((a) => a.padEnd(pitch)).join('')).trimEnd());
  const row = (i: number) => {
    const step = run.steps[i];
    const who = actorOf(step.transition, names);
    const text = stepText(step, names) || '(nothing visible)';
    if (listed) return wrap(`${who}: ${text}`, width, number(i), spaces(gutter + 2));
    const bars = '|'.padEnd(pitch).repeat(Math.max(0, actors.indexOf(who)));
    return wrap(text, width, number(i) + bars, spaces(gutter) + bars + '  ');
  };
  const note = (text: string) => wrap(text, width, spaces(gutter), spaces(gutter + 2));
  const from = options.sameAs?.steps ?? 0;
  const ranges = shownSteps(from, run.steps.length, options.elide ?? false);
  // What stands for the steps not drawn before each range: those of the earlier run, or how many are left out.
  const gaps = ranges.map(([start], k) => {
    const end = k ? ranges[k - 1][1] : 0;
    if (start === end) return [];
    return note(k ? `... ${start - end} steps (${end + 1} to ${start}) ...` : `steps 1 to ${start}: as in run ${options.sameAs!.run}`);
  });
  ranges.forEach(([start, end], k) => {
    out.push(...gaps[k]);
    // A loop that begins among the steps not drawn is still said to be one.
    const gapStart = k ? ranges[k - 1][1] : 0;
    if (run.loopFrom !== undefined && run.loopFrom >= gapStart && run.loopFrom < start) out.push(...note(`loop: steps ${run.loopFrom + 1} to ${run.steps.length} repeat forever`));
    for (let i = start; i < end; i++) {
      if (run.loopFrom === i) out.push(...note(`loop: steps ${i + 1} to ${run.steps.length} repeat forever`));
      out.push(...row(i));
    }
  });
  if (run.loopFrom !== undefined) out.push(...note(`(then back to step ${run.loopFrom + 1})`));
  return out;
}
