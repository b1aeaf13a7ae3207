// Which scenarios a run takes: `FILE:LINE` on the command line (the scenario whose block
// holds that line), `--filter` by name, and `--shard K/N`, which spreads whole notebooks
// over N machines the way vitest and Playwright shard test files.

import type { Notebook } from '../scenario/index.ts';
import { UsageError } from './usage.ts';

/** A path argument, split from a trailing `:LINE` when the path has one. */
export function splitLine(arg: string): { path: string; line?: number } {
  const m = /^(.*):(\d+)$/.exec(arg);
  return m ? { path: m[1], line: Number(m[2]) } : { path: arg };
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
 * Indices of the notebook's scenarios to run: those whose block spans one of `lines`
 * (any when none are given) and whose name matches. A line outside every block is an
 * error: it names nothing.
 */
export function selectEntries(nb: Notebook, lines: readonly number[], matches: (name: string) => boolean): number[] {
  const spans = nb.entries.map((e) => ({ first: e.block.line, last: e.block.endLine + 1 }));
  for (const line of lines) {
    // A notebook block spans its fence lines too; a YAML file is one block.
    if (!spans.some((s) => nb.kind !== 'markdown' || (line >= s.first && line <= s.last)))
      throw new UsageError(`${nb.file}:${line} is not inside a scenario block`);
  }
  return nb.entries
    .map((e, i) => ({ e, i }))
    .filter(({ i }) => !lines.length || nb.kind !== 'markdown' || lines.some((l) => l >= spans[i].first && l <= spans[i].last))
    .filter(({ e }) => matches(e.scenario.name))
    .map(({ i }) => i);
}
