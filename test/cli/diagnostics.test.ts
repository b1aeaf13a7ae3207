// How an input error is printed: file:line:col, the source line with a caret, the hint.
// A long line is quoted around the column (a diagnostic on a generated 100 KB line once
// printed the line whole, for each of thousands of diagnostics); carriage returns never
// reach the terminal.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/cli/diagnostics.ts';

const at = (line: number, col: number) => ({ file: 'a.yaml', line, col });

describe('formatDiagnostic', () => {
  it('quotes the line with a caret under the column, then the hint', () => {
    expect(formatDiagnostic({ pos: at(2, 5), message: 'bad', hint: 'fix it' }, 'x: 1\ny: zz\n')).toBe('a.yaml:2:5: error: bad\n  y: zz\n      ^\n  hint: fix it');
  });

  it('a long line: the part around the column, marked as cut on each side', () => {
    const line = 'a'.repeat(1000) + 'X' + 'b'.repeat(1000);
    const [, quote, caret] = formatDiagnostic({ pos: at(1, 1001), message: 'bad' }, line).split('\n');
    expect(quote).toBe(`  …${'a'.repeat(80)}X${'b'.repeat(79)}…`);
    expect(caret.indexOf('^')).toBe(quote.indexOf('X'));
    const [, start, startCaret] = formatDiagnostic({ pos: at(1, 3), message: 'bad' }, line).split('\n');
    expect(start).toBe(`  ${'a'.repeat(160)}…`);
    expect(startCaret).toBe('    ^');
    const [, end, endCaret] = formatDiagnostic({ pos: at(1, 2001), message: 'bad' }, line).split('\n');
    expect(end).toBe(`  …${'b'.repeat(160)}`);
    expect(endCaret.indexOf('^')).toBe(end.length - 1);
  });

  it('carriage returns (CRLF, a lone one) are blanks, the caret where it was', () => {
    expect(formatDiagnostic({ pos: at(1, 3), message: 'bad' }, 'ab\rcd\r\n').split('\n').slice(1)).toEqual(['  ab cd ', '    ^']);
  });
});
