// The text of a litmus test as the front end reads it: herd's `(* comments *)` blanked out
// (so every offset still means the same character), and offsets mapped to file positions,
// also when the test is a fenced block inside a notebook.

import { ScenarioError, type Diagnostic, type SourcePos } from '../types.ts';

/** Where the text sits in its file: a notebook block starts below line 0 and may be indented. */
export interface TextOrigin {
  /** Lines of the file before the text's first line (0 for a whole .litmus file). */
  readonly line: number;
  /** Columns the file indents every line of the text by. */
  readonly indent: number;
}

export class LitmusText {
  /** The text with comments replaced by spaces (newlines kept): what the parser reads. */
  readonly code: string;
  private readonly lineStarts: number[] = [0];
  /** Where an unterminated comment starts, if one does. */
  readonly openComment?: number;

  constructor(
    readonly file: string,
    readonly raw: string,
    readonly origin: TextOrigin = { line: 0, indent: 0 },
  ) {
    for (let i = 0; i < raw.length; i++) if (raw[i] === '\n') this.lineStarts.push(i + 1);
    const { code, open } = blankComments(raw);
    this.code = code;
    if (open !== undefined) this.openComment = open;
  }

  /** File position (1-based) of an offset into the text. */
  at(offset: number): SourcePos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: this.origin.line + lo + 1, col: this.origin.indent + offset - this.lineStarts[lo] + 1 };
  }
}

/**
 * herd's comments are OCaml's: `(* ... *)`, nesting, spanning lines. Quoted strings
 * (instr:"...", the doc string) are skipped so that a `(*` inside one is not a comment.
 */
function blankComments(text: string): { code: string; open?: number } {
  const out = text.split('');
  let depth = 0;
  let start = -1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth === 0) {
      if (c === '"') quoted = !quoted;
      else if (c === '\n') quoted = false; // strings never span lines
      else if (!quoted && c === '(' && text[i + 1] === '*') {
        depth = 1;
        start = i;
        out[i] = out[i + 1] = ' ';
        i++;
      }
      continue;
    }
    if (c === '(' && text[i + 1] === '*') {
      depth++;
      out[i] = out[i + 1] = ' ';
      i++;
    } else if (c === '*' && text[i + 1] === ')') {
      depth--;
      out[i] = out[i + 1] = ' ';
      i++;
    } else if (c !== '\n') out[i] = ' ';
  }
  return depth > 0 ? { code: out.join(''), open: start } : { code: out.join('') };
}

/** Diagnostics gathered while reading or compiling, thrown together. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  error(pos: SourcePos, message: string, hint?: string): void {
    this.list.push(hint ? { pos, message, hint } : { pos, message });
  }

  /** Runs `f`, keeping the diagnostics of a ScenarioError it throws; undefined then. */
  collect<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      this.list.push(...err.diagnostics);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.list.length) throw new ScenarioError(this.list);
  }
}

/** A "did you mean" hint, when a known name is close. */
export function didYouMean(near: string | undefined): string | undefined {
  return near === undefined ? undefined : `did you mean "${near}"?`;
}

/**
 * Text a message quotes back: its first line, cut at 60 characters. A message is one line
 * (what reads it, an editor's problem matcher or a user, takes each line for a message),
 * and an entry of the initial state may span lines.
 */
export function excerpt(text: string): string {
  const line = text.trim().split(/\r?\n/)[0];
  const cut = line.length > 60 ? `${line.slice(0, 60)}…` : line;
  return cut + (line !== text.trim() && cut === line ? '…' : '');
}
