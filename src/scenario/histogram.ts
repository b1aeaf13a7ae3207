// The histogram a program of `patchlit emit` prints (on QEMU's console, or a board's
// serial line), read back: a header, one line per distinct outcome, an end line.
//
//   patchlit hw: three-step: 1000 iterations on 2 harts
//   612 complete; cpu1: new_tramp # first at iteration 1
//   388 complete; cpu1: no calls # first at iteration 2
//   patchlit hw: end
//
// Anything before the header (a boot log, QEMU's own lines) is skipped. The scenario
// stage reads it: a notebook's `hardware:` names such files, and a histogram that does
// not parse is an error in the notebook's input, reported where it is wrong.

import type { Diagnostic, Histogram, HistogramEntry } from './types.ts';

const HEADER = /^patchlit hw: (.*): (\d+) iterations on (\d+) harts$/;
const END = 'patchlit hw: end';
const LOST = /^patchlit hw: (\d+) iterations had outcomes beyond/;
const INTERNAL = /^patchlit hw: internal error: (.*)$/;
const STOPPED = /^patchlit hw: stopped (after iteration \d+: .*)$/;
const ENTRY = /^(\d+) (.+?)(?: # first at iteration (\d+))?$/;

export class HistogramError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.pos.file}:${diagnostic.pos.line}:${diagnostic.pos.col}: ${diagnostic.message}`);
  }
}

/** An entry as a histogram line, what parseHistogram reads back: "COUNT OUTCOME # first at iteration N". */
export function histogramLine(e: Pick<HistogramEntry, 'count' | 'outcome' | 'first'>): string {
  return `${e.count} ${e.outcome}${e.first === undefined ? '' : ` # first at iteration ${e.first}`}`;
}

/** The histogram in `text` (from `file`, for diagnostics). Throws HistogramError at the line that is wrong. */
export function parseHistogram(text: string, file: string): Histogram {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, message: string, hint?: string): never => {
    throw new HistogramError({ pos: { file, line, col: 1 }, message, ...(hint ? { hint } : {}) });
  };
  let at = lines.findIndex((l) => HEADER.test(l.trim()));
  const internal = lines.findIndex((l) => INTERNAL.test(l.trim()));
  if (internal >= 0) fail(internal + 1, `the program stopped: ${INTERNAL.exec(lines[internal].trim())![1]}`);
  if (at < 0) fail(Math.max(1, lines.length - 1), 'no histogram here: no line "patchlit hw: SCENARIO: K iterations on N harts"', 'the program prints one when it starts counting; did it run at all?');
  const [, scenario, iterations, harts] = HEADER.exec(lines[at].trim())!;
  const entries: HistogramEntry[] = [];
  let lost = 0;
  let stopped: string | undefined;
  for (at++; at < lines.length; at++) {
    const l = lines[at].trim();
    if (l === END) return { scenario, iterations: Number(iterations), harts: Number(harts), entries, lost, ...(stopped ? { stopped } : {}) };
    if (!l) continue;
    const halt = STOPPED.exec(l);
    if (halt) {
      stopped = halt[1];
      continue;
    }
    const m = LOST.exec(l);
    if (m) {
      lost = Number(m[1]);
      continue;
    }
    const e = ENTRY.exec(l);
    if (!e) fail(at + 1, `not a histogram line: "${l}"`, 'each line is COUNT OUTCOME, optionally followed by "# first at iteration N"');
    entries.push({ count: Number(e![1]), outcome: e![2], ...(e![3] ? { first: Number(e![3]) } : {}), line: at + 1 });
  }
  return fail(lines.length, `the histogram has no end line ("${END}"): the run was cut short`);
}
