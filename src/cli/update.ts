// `--update`: recorded observations (`outcomes:`, the table's `observed:`) rewritten from
// what the run saw. Only the bytes of each recorded value change; every other byte of the
// notebook stays as the author wrote it, and the file is replaced in one rename.

import type { SourcePos } from '../scenario/index.ts';
import type { RecordCheck } from '../verdict/index.ts';

/** Offset in `text` of a 1-based line and column. */
function offsetOf(text: string, pos: SourcePos): number {
  let at = 0;
  for (let line = 1; line < pos.line; line++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return Math.min(at + pos.col - 1, text.length);
}

/**
 * The new value: a literal block, indented one step deeper than its key, that ends where
 * the old value ended (with its newline, if it had one).
 */
function valueText(text: string, start: number, end: number, keyCol: number, lines: readonly string[]): string {
  const old = text.slice(start, end);
  const lead = start > 0 && text[start - 1] === ':' ? ' ' : '';
  if (!lines.length) return `${lead}[]${old.endsWith('\n') ? '\n' : ''}`;
  const pad = ' '.repeat(keyCol + 1);
  return `${lead}|\n${lines.map((l) => pad + l).join('\n')}${old.endsWith('\n') ? '\n' : ''}`;
}

/** The notebook's text with every changed recording rewritten; the checks must all come from this text. */
export function updateRecords(text: string, checks: readonly RecordCheck[]): string {
  const edits = checks
    .filter((c) => !c.matches)
    .map((c) => ({ start: offsetOf(text, c.recorded.value.start), end: offsetOf(text, c.recorded.value.end), check: c }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + valueText(out, e.start, e.end, e.check.recorded.pos.col, e.check.observed) + out.slice(e.end);
  return out;
}
