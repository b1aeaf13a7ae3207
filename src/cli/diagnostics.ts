// Input errors as a compiler prints them: file:line:col: message, the source line, a
// caret under the column, and a hint where there is one; then each note (for an error in
// an imported file, the import that brought it in) the same way, as gcc prints
// "In file included from".

import { readFileSync } from 'node:fs';
import type { Diagnostic, SourcePos } from '../scenario/types.ts';

/** The text of a file a diagnostic names, when it can be read. */
export type TextOf = (file: string) => string | undefined;

/** A file's text to quote a diagnostic from, or nothing when it cannot be read (the diagnostic is printed unquoted). */
export const textIfReadable: TextOf = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

// The lines of the text quoted last: a file's diagnostics come one after another, and
// splitting a large file again for each of thousands of them took minutes.
let split: { text: string; lines: string[] } | undefined;

function linesOf(text: string): string[] {
  if (split?.text !== text) split = { text, lines: text.split('\n') };
  return split.lines;
}

/** The line at `pos` with a caret under its column, when the file's text is known. */
function quoted(pos: SourcePos, textOf: TextOf): string[] {
  const text = textOf(pos.file);
  const line = text === undefined ? undefined : linesOf(text)[pos.line - 1];
  if (line === undefined) return [];
  // A tab as one column, as the caret counts it; a carriage return (CRLF, or a lone one) not sent to the terminal.
  const shown = line.replace(/[\t\r]/g, ' ');
  const col = Math.max(0, pos.col - 1);
  if (shown.length <= QUOTE_WIDTH) return [`  ${shown}`, `  ${' '.repeat(col)}^`];
  // A long line (a generated one, a whole file on one line) is quoted around the column only.
  const start = Math.max(0, Math.min(col - QUOTE_WIDTH / 2, shown.length - QUOTE_WIDTH));
  const end = start + QUOTE_WIDTH;
  const lead = start > 0 ? '…' : '';
  return [`  ${lead}${shown.slice(start, end)}${end < shown.length ? '…' : ''}`, `  ${' '.repeat(col - start + lead.length)}^`];
}

/** The widest source line quoted whole. */
const QUOTE_WIDTH = 160;

/** `text`: the text of the file being read (a string), or a way to read any file a diagnostic or its notes name. */
export function formatDiagnostic(d: Diagnostic, text: string | TextOf | undefined): string {
  const textOf: TextOf = typeof text === 'function' ? text : (file) => (file === d.pos.file ? text : undefined);
  const at = (p: SourcePos) => `${p.file}:${p.line}:${p.col}`;
  const out = [`${at(d.pos)}: error: ${d.message}`, ...quoted(d.pos, textOf)];
  if (d.hint) out.push(`  hint: ${d.hint}`);
  for (const n of d.notes ?? []) out.push(`${at(n.pos)}: note: ${n.message}`, ...quoted(n.pos, textOf));
  return out.join('\n');
}
