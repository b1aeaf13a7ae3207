// `hardware:` — the histograms a scenario's program printed on machines (`patchlit hw`,
// or a board's console saved to a file), kept next to the notebook: each entry names
// the machine, the file (relative to the notebook) and the configuration that describes
// the machine. Read here, so that a missing file or one that does not parse is an input
// error at its place, as an import's is. Only the scenario's own block counts: a
// histogram was printed by this scenario's code, not by that of one it extends.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { child, mapEntries, scalarText, seqItems, type Context, type Located } from './context.ts';
import { HistogramError, parseHistogram } from './histogram.ts';
import { type Atomicity, type FetchConfigName, type HardwareRun } from './types.ts';

/** How compile reads an `atomicity:` value (passed in: compile imports this module). */
type AtomicityReader = (ctx: Context, at: Located | undefined) => Atomicity;

/** `atomicity`: the scenario's, which an entry without its own `atomicity:` is compared under. */
export function buildHardware(ctx: Context, atomicity: Atomicity, readAtomicity: AtomicityReader): HardwareRun[] {
  const own = ctx.layers[ctx.layers.length - 1];
  const list = child(own, 'hardware');
  if (!list) return [];
  return seqItems(list).flatMap((item) => {
    const run = hardwareRun(ctx, item, atomicity, readAtomicity);
    return run ? [run] : [];
  });
}

function hardwareRun(ctx: Context, item: Located, scenarioAtomicity: Atomicity, readAtomicity: AtomicityReader): HardwareRun | undefined {
  const e = new Map(mapEntries(item).map((x) => [x.key, x]));
  const machine = scalarText(e.get('machine'))!;
  const resultsAt = e.get('results')!;
  const results = scalarText(resultsAt)!;
  const modelAt = e.get('model')!;
  // The schema has checked it is a configuration's name.
  const fetch = scalarText(modelAt) as FetchConfigName;
  const atomicity = e.has('atomicity') ? readAtomicity(ctx, e.get('atomicity')) : scenarioAtomicity;
  const file = isAbsolute(results) ? results : join(dirname(resultsAt.src.file), results);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    ctx.error(resultsAt, `cannot read "${results}" (${file})`, 'results: is the histogram file, relative to the notebook');
    return undefined;
  }
  try {
    const histogram = parseHistogram(text, file);
    const xfail = scalarText(e.get('xfail'));
    return { machine, results, model: { fetch, atomicity }, histogram, ...(xfail !== undefined ? { xfail } : {}), pos: item.src.of(item.node) };
  } catch (err) {
    if (!(err instanceof HistogramError)) throw err;
    const d = err.diagnostic;
    const at = resultsAt.src.of(resultsAt.node);
    ctx.diagnostics.push({ ...d, notes: [{ pos: at, message: `the histogram of ${machine}, named here` }] });
    return undefined;
  }
}
