// The HTML report's steppers: each run the report shows as a table gets the data of its
// states (stepper.ts) right after that table, in a <script type="application/json">
// block that the page's stepper script (assets/stepper.js) turns into a panel to step
// through. Without JavaScript the block shows nothing and the table stays as it is.
//
// The blocks go into the report's Markdown, where markdown-it passes them through as
// HTML: a run's table is found there by its exact text, as markdown.ts's runTable writes it.

import type { Notebook } from '../scenario/types.ts';
import type { ConfigResult, Run, ScenarioResult } from '../verdict/types.ts';
import { assetFile } from './assets.ts';
import { Names } from './describe.ts';
import { runTable } from './markdown.ts';
import { steppedRun } from './stepper.ts';

/** What a page's steppers are made from: the notebook and its judged scenarios, as the report was rendered from them. */
export interface Judged {
  readonly notebook: Notebook;
  readonly results: readonly ScenarioResult[];
}

const DATA_CLASS = 'patchlit-steps';
const SCRIPT = 'stepper.js';

/** Every run a scenario's results hold: claims' counterexamples and witnesses, and the table's examples. */
function runsOf(r: ScenarioResult): Array<{ run: Run; config: ConfigResult }> {
  return r.configs.flatMap((config) => [
    ...config.claims.flatMap((x) => [x.counterexample, x.witness].flatMap((run) => (run ? [{ run, config }] : []))),
    ...[...(config.table?.signatures.values() ?? [])].map((sig) => ({ run: sig.example, config })),
  ]);
}

/**
 * Where each scenario's results are in the report: after its block in a Markdown notebook
 * (kept byte for byte there), up to the next scenario's; anywhere in another kind of
 * notebook, which has one text and all results after it. Two scenarios' runs may read the
 * same and still differ in what the table does not show (registers): each run's table
 * is looked for in its own scenario's part only.
 */
function parts(markdown: string, nb: Notebook): Array<{ start: number; end: number }> {
  if (nb.kind !== 'markdown') return nb.entries.map(() => ({ start: 0, end: markdown.length }));
  const lines = nb.text.split('\n');
  let cursor = 0;
  const starts = new Map<number, number>();
  for (const e of nb.entries) {
    if (starts.has(e.block.line)) continue;
    const block = lines.slice(e.block.line, e.block.endLine).join('\n');
    const at = markdown.indexOf(block, cursor);
    if (at >= 0) cursor = at + block.length;
    starts.set(e.block.line, cursor);
  }
  return nb.entries.map((e) => {
    const start = starts.get(e.block.line)!;
    const next = [...starts.values()].filter((s) => s > start);
    return { start, end: next.length ? Math.min(...next) : markdown.length };
  });
}

/** JSON inside a <script> element: no `<` at all, so nothing in it can close or comment the element. */
function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/** Each occurrence of a whole table `table` in `text` within [start, end): where it ends. */
function tableEnds(text: string, table: string, start: number, end: number): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(table, start); at >= 0 && at + table.length <= end; at = text.indexOf(table, at + 1)) {
    const after = at + table.length;
    // The whole table: it starts a line and ends one, the next line no row of it (a longer run's).
    if ((at === 0 || text[at - 1] === '\n') && (after === text.length || (text[after] === '\n' && text[after + 1] !== '|'))) out.push(after);
  }
  return out;
}

/** The report's Markdown with the data of a stepper after each run's table; as it was without `judged`. */
export function withStepData(markdown: string, judged: Judged | undefined): string {
  if (!judged) return markdown;
  const inserts = new Map<number, string>();
  const where = parts(markdown, judged.notebook);
  judged.results.forEach((r, i) => {
    const names = new Names(r.scenario);
    const seen = new Set<string>();
    for (const { run, config } of runsOf(r)) {
      const table = runTable(run, r.scenario, names).join('\n');
      if (seen.has(table)) continue;
      seen.add(table);
      const ends = tableEnds(markdown, table, where[i].start, where[i].end).filter((at) => !inserts.has(at));
      if (!ends.length) continue;
      const block = `\n\n<script type="application/json" class="${DATA_CLASS}">${scriptJson(steppedRun(run, r.scenario, config))}</script>`;
      for (const at of ends) inserts.set(at, block);
    }
  });
  let out = markdown;
  for (const at of [...inserts.keys()].sort((a, b) => b - a)) out = out.slice(0, at) + inserts.get(at) + out.slice(at);
  return out;
}

/** The script tag that loads the steppers' script from `assets`, when the page has any data for it. */
export function stepperScript(body: string, assets: string, escapeAttr: (s: string) => string): string {
  return body.includes(`class="${DATA_CLASS}"`) ? `<script src="${escapeAttr(`${assets.replace(/\/$/, '')}/${SCRIPT}`)}"></script>` : '';
}

/** The steppers' script, for a page's assets directory. */
export function stepperAsset(): { name: string; source: string } {
  return { name: SCRIPT, source: assetFile(SCRIPT) };
}
