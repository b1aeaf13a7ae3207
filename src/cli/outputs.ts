// The report formats `--format` can name, and the files each one writes under --out.
// Per-notebook formats mirror the notebook's path (scenarios/seed/three-step.md ->
// reports/seed/three-step.{md,txt,html,json}); suite formats write one file for the run
// (junit.xml, index.html). With `--out -` one format goes to stdout instead.

import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { htmlAssets, renderHtml, renderHtmlIndex } from '../report/html.ts';
import { jsonReport, renderJunit, renderMarkdown, renderText, toJsonText } from '../report/index.ts';
import type { Notebook } from '../scenario/index.ts';
import { statusCounts, type ScenarioResult } from '../verdict/index.ts';
import { reportPath } from './files.ts';
import { UsageError } from './usage.ts';

export const FORMATS = ['md', 'text', 'html', 'json', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface FileResults {
  readonly path: string;
  readonly notebook: Notebook;
  readonly results: readonly ScenarioResult[];
}

export interface Output {
  readonly path: string;
  readonly text: string;
}

export interface OutputOptions {
  readonly out: string;
  readonly width: number;
}

/** `--format md,text` or repeated `--format`: the formats, checked, each once. */
export function formatList(values: readonly string[]): Format[] {
  const names = values.flatMap((v) => v.split(',')).map((n) => n.trim()).filter(Boolean);
  const bad = names.find((n) => !(FORMATS as readonly string[]).includes(n));
  if (bad !== undefined) throw new UsageError(`--format takes ${FORMATS.join(', ')} (several separated by commas), not "${bad}"`);
  return names.length ? [...new Set(names)] as Format[] : ['md'];
}

const EXTENSION: Readonly<Record<Format, string>> = { md: '.md', text: '.txt', html: '.html', json: '.json', junit: '.xml' };

function pathFor(file: string, format: Format, out: string): string {
  return reportPath(file, out).replace(/\.md$/, EXTENSION[format]);
}

/** A notebook's report in one format, as text. */
export function renderFile(f: FileResults, format: Exclude<Format, 'junit'>, options: { width: number; assets?: string }): string {
  switch (format) {
    case 'md':
      return renderMarkdown(f.notebook, f.results);
    case 'text':
      return renderText(f.notebook, f.results, { width: options.width });
    case 'json':
      return toJsonText(jsonReport([{ path: f.path, results: f.results }])) + '\n';
    case 'html':
      return renderHtml(renderMarkdown(f.notebook, f.results), { title: basename(f.path), assets: options.assets ?? 'assets' });
  }
}

function counts(results: readonly ScenarioResult[]) {
  const n = statusCounts(results.map((r) => r.status));
  return { passed: n.pass, failed: n.fail + n.xpass, xfail: n.xfail, incomplete: n.incomplete };
}

/** Every file the formats write for this run. */
export function outputs(files: readonly FileResults[], formats: readonly Format[], options: OutputOptions): Output[] {
  const out: Output[] = [];
  for (const format of formats) {
    if (format === 'junit') {
      out.push({ path: join(options.out, 'junit.xml'), text: renderJunit(files) });
      continue;
    }
    for (const f of files) {
      const path = pathFor(f.path, format, options.out);
      // Pages link the shared assets relative to where they are, so the tree opens from disk.
      const assets = relative(dirname(path), join(options.out, 'assets')) || 'assets';
      out.push({ path, text: renderFile(f, format, { width: options.width, assets }) });
    }
    if (format === 'html') {
      const index = files.map((f) => ({ title: f.path, href: relative(options.out, pathFor(f.path, 'html', options.out)), ...counts(f.results) }));
      out.push({ path: join(options.out, 'index.html'), text: renderHtmlIndex(index, { title: 'patchlit', assets: 'assets' }) });
      for (const a of htmlAssets()) out.push({ path: join(options.out, 'assets', a.name), text: readFileSync(a.source, 'utf8') });
    }
  }
  return out;
}

/** With `--out -`: the run's one report on stdout. */
export function stdoutReport(files: readonly FileResults[], format: Format, width: number): string {
  if (format === 'junit') return renderJunit(files);
  if (format === 'json') return toJsonText(jsonReport(files.map((f) => ({ path: f.path, results: f.results })))) + '\n';
  if (format === 'html') throw new UsageError('--out - cannot take html: its pages link assets; write them under a directory');
  return files.map((f) => renderFile(f, format, { width })).join('\n');
}
