// Which scenarios a run takes: `FILE:LINE` on the command line (the scenario whose block
// holds that line), `--filter` by name, and `--shard K/N`, which spreads whole notebooks
// over N machines the way vitest and Playwright shard test files.

import { existsSync } from 'node:fs';
import type { Notebook } from '../scenario/index.ts';
import { UsageError } from './usage.ts';

/**
 * A path argument, split from a trailing `:LINE`, or `:LINE:COL` as diagnostics and the
 * lines a run prints give a place (the column names nothing a block could hold more
 * precisely, so it is dropped). A file whose own name ends so is taken whole.
 */
export function splitLine(arg: string, exists: (path: string) => boolean = existsSync): { path: string; line?: number } {
  const m = /^(.*?):(\d+)(?::\d+)?$/.exec(arg);
  return m && !exists(arg) ? { path: m[1], line: Number(m[2]) } : { path: arg };
}

/** `--shard 2/3`: the second of three. */
export function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard takes K/N with 1 <= K <= N, not "${text}"`);
  return { index, count };
}

/** The files of shard K of N: every Nth file of the sorted list, so a suite splits the same way on every machine. */
export function shardFiles(files: readonly string[], shard: { index: number; count: number } | undefined): string[] {
  if (!shard) return [...files];
  const sorted = [...files].sort();
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/** `--filter` patterns: a `*` matches any run of characters; without one, a pattern matches anywhere in the name. */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (!patterns.length) return () => true;
  const res = patterns.map((p) => {
    const body = p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(p.includes('*') ? `^${body}$` : body);
  });
  return (name) => res.some((r) => r.test(name));
}

/**
 * The 1-based lines of each scenario's block, its fences included: Block counts from 0
 * the line after the opening fence (so the fence's own number from 1) and the line after
 * the closing fence (the closing fence's from 1).
 */
function blockSpans(nb: Notebook): Array<{ first: number; last: number }> {
  return nb.entries.map((e) => ({ first: e.block.line, last: e.block.endLine }));
}

/**
 * Why `FILE:LINE` names no scenario of the notebook, with where its scenarios are;
 * undefined when every line is inside one's block. Selecting nothing is an error (exit
 * 2), never a run of no scenario that passes.
 */
export function linesProblem(nb: Notebook, lines: readonly number[]): string | undefined {
  if (nb.kind !== 'markdown') return undefined;
  const spans = blockSpans(nb);
  const outside = lines.find((line) => !spans.some((s) => line >= s.first && line <= s.last));
  if (outside === undefined) return undefined;
  const blocks = nb.entries.map((e, i) => `${spans[i].first}-${spans[i].last} (${e.scenario.name})`);
  const hint = blocks.length ? `its scenario blocks are at lines ${listed(blocks)}` : 'it holds no scenario block';
  return `${nb.file}:${outside} is not inside a scenario block\n  hint: ${hint}`;
}

/** A list in a line: the first few items, then how many more. */
export function listed(items: readonly string[], most = 6): string {
  const shown = items.slice(0, most).join(', ');
  return items.length > most ? `${shown} and ${items.length - most} more` : shown;
}

/**
 * Indices of the notebook's scenarios to run: those whose block spans one of `lines`
 * (any when none are given) and whose name matches.
 */
export function selectEntries(nb: Notebook, lines: readonly number[], matches: (name: string) => boolean): number[] {
  const spans = blockSpans(nb);
  return nb.entries
    .map((e, i) => ({ e, i }))
    .filter(({ i }) => !lines.length || nb.kind !== 'markdown' || lines.some((l) => l >= spans[i].first && l <= spans[i].last))
    .filter(({ e }) => matches(e.scenario.name))
    .map(({ i }) => i);
}
