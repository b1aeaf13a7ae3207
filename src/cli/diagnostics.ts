// Input errors as a compiler prints them: file:line:col: message, the source line, a
// caret under the column, and a hint where there is one.

import type { Diagnostic } from '../scenario/types.ts';

export function formatDiagnostic(d: Diagnostic, text: string | undefined): string {
  const head = `${d.pos.file}:${d.pos.line}:${d.pos.col}: error: ${d.message}`;
  const line = text?.split('\n')[d.pos.line - 1];
  const out = [head];
  if (line !== undefined) {
    const shown = line.replace(/\t/g, ' ');
    out.push(`  ${shown}`, `  ${' '.repeat(Math.max(0, d.pos.col - 1))}^`);
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join('\n');
}
