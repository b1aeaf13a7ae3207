// Splits assembly source into statements: labels, a mnemonic or directive, and operands,
// each with its 0-based column so that every diagnostic can point at the culprit.

export interface Operand {
  readonly text: string;
  /** 0-based column of the operand's first character. */
  readonly col: number;
}

export interface Statement {
  /** 1-based line in the source text. */
  readonly line: number;
  /** Labels defined before the mnemonic, with their columns. */
  readonly labels: ReadonlyArray<{ name: string; col: number }>;
  /** Mnemonic or directive (lower case), absent on a label-only line. */
  readonly op?: string;
  readonly opCol: number;
  readonly operands: readonly Operand[];
  /** The statement as written, for listings. */
  readonly source: string;
}

/** A statement that cannot be split: no mnemonic where one belongs. */
export interface LexError {
  readonly message: string;
  readonly line: number;
  /** 0-based. */
  readonly col: number;
}

const LABEL = /^\s*([A-Za-z_.$][\w.$]*|\d+)\s*:/;
const MNEMONIC = /^\s*([A-Za-z_.][\w.]*)/;

/** Columns of `text` where a top-level `sep` occurs (outside parentheses). */
function splitTopLevel(text: string, sep: string): number[] {
  const at: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) at.push(i);
  }
  return at;
}

function pieces(text: string, base: number, sep: string): Operand[] {
  const cuts = splitTopLevel(text, sep);
  const out: Operand[] = [];
  let start = 0;
  for (const end of [...cuts, text.length]) {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    out.push({ text: raw.trim(), col: base + start + lead });
    start = end + 1;
  }
  return out;
}

/**
 * GNU as on RISC-V: `#` starts a comment, `;` separates statements on one line. A
 * statement that cannot be split is reported and left out; the others are still read.
 */
export function lex(source: string): { statements: Statement[]; errors: LexError[] } {
  const out: Statement[] = [];
  const errors: LexError[] = [];
  source.split(/\r?\n/).forEach((rawLine, idx) => {
    const line = idx + 1;
    const hash = rawLine.indexOf('#');
    const code = hash >= 0 ? rawLine.slice(0, hash) : rawLine;
    for (const part of pieces(code, 0, ';')) {
      if (part.text === '') continue;
      let rest = code.slice(part.col, part.col + part.text.length);
      let col = part.col;
      const labels: Array<{ name: string; col: number }> = [];
      for (let m = LABEL.exec(rest); m; m = LABEL.exec(rest)) {
        const lead = m[0].indexOf(m[1]);
        labels.push({ name: m[1], col: col + lead });
        col += m[0].length;
        rest = rest.slice(m[0].length);
      }
      const mn = MNEMONIC.exec(rest);
      if (!mn) {
        if (rest.trim() !== '') {
          const lead = rest.length - rest.trimStart().length;
          errors.push({ message: `expected an instruction or directive, found "${rest.trim()}"`, line, col: col + lead });
          continue;
        }
        out.push({ line, labels, opCol: col, operands: [], source: part.text });
        continue;
      }
      const opCol = col + mn[0].indexOf(mn[1]);
      const after = rest.slice(mn[0].length);
      const operandText = after.trim();
      const operandCol = col + mn[0].length + (after.length - after.trimStart().length);
      const operands = operandText === '' ? [] : pieces(operandText, operandCol, ',');
      out.push({ line, labels, op: mn[1].toLowerCase(), opCol, operands, source: part.text });
    }
  });
  return { statements: out, errors };
}
