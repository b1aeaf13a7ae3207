// npm run bench: rendering the seed notebook's results in each report format, judged
// once beforehand: what a format costs on top of the search (the search dominates).

import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { jsonReport, renderJunit, renderMarkdown, renderText, toJsonText } from '../../src/report/index.ts';
import { renderHtml } from '../../src/report/html.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';

const path = 'scenarios/seed/three-step.md';
const notebook = readNotebook(path, readFileSync(path, 'utf8'));
const results = notebook.entries.map((e) => judgeScenario(e.scenario));
const files = [{ path, notebook, results }];

let sink = 0;
describe(`render ${path} (${results.length} scenarios)`, () => {
  bench('md', () => {
    sink += renderMarkdown(notebook, results).length;
  });
  bench('text, 72 columns', () => {
    sink += renderText(notebook, results, { width: 72 }).length;
  });
  bench('html (markdown-it)', () => {
    sink += renderHtml(renderMarkdown(notebook, results), { title: path, assets: 'assets' }).length;
  });
  bench('json', () => {
    sink += toJsonText(jsonReport(files)).length;
  });
  bench('junit', () => {
    sink += renderJunit(files).length;
  });
});
void sink;
