// Where a file's scenarios are: the fenced blocks of a Markdown notebook (```patchlit, or
// ```litmus for a herd7 test), or the whole of a YAML file. Shared by the loader and by
// `import:`, which reads other files' blocks the same way.

import MarkdownIt from 'markdown-it';
import type { Block, Diagnostic } from './types.ts';

const md = new MarkdownIt();

export const FENCE_INFO = 'patchlit';
/** A fenced block holding a herd7 litmus test instead of a patchlit scenario. */
export const LITMUS_FENCE_INFO = 'litmus';

export function isMarkdown(file: string): boolean {
  return /\.(md|markdown)$/i.test(file);
}

/**
 * Where a Markdown notebook's YAML front matter ends: the index of its closing `---` (or
 * `...`) line among the notebook's lines; -1 when it opens one and never closes it;
 * undefined when it has none. The loader reads it; a report keeps it first.
 */
export function frontMatterEnd(lines: readonly string[]): number | undefined {
  if (lines.length < 2 || !/^---\r?$/.test(lines[0])) return undefined;
  return lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
}

/** A .litmus file holds one herd7 litmus test. */
export function isLitmus(file: string): boolean {
  return /\.litmus$/i.test(file);
}

/** What a lone carriage return gets, here and in the litmus reader. */
export const LONE_CR = {
  message: 'a carriage return that ends no line (lone CR): lines end with LF or CRLF here',
  hint: "convert the line endings to LF (dos2unix -c mac, or the editor's line-ending setting)",
} as const;

/**
 * A carriage return that ends no line (old Mac line endings, or a stray one): Markdown
 * and YAML take it for a line break, while positions here count lines by LF (CRLF
 * included), so the file is refused where it has one rather than misread.
 */
export function loneCarriageReturn(file: string, text: string): Diagnostic | undefined {
  const at = text.search(/\r(?!\n)/);
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return {
    pos: { file, line, col: at - (before.lastIndexOf('\n') + 1) + 1 },
    ...LONE_CR,
  };
}

/** The scenario blocks of a file, where they are. */
export function blocksOf(file: string, text: string): Block[] {
  if (!isMarkdown(file)) {
    return [{ source: text, line: 0, indent: 0, endLine: text.split('\n').length }];
  }
  const lines = text.split('\n');
  return md
    .parse(text, {})
    .filter((t) => t.type === 'fence' && [FENCE_INFO, LITMUS_FENCE_INFO].includes(t.info.trim().split(/\s+/)[0]) && t.map)
    .map((t) => {
      const [open, close] = t.map!;
      // markdown-it counts lone CRs as line breaks, which `lines` does not (loneCarriageReturn refuses such files).
      const fence = lines[open] ?? '';
      const indent = fence.length - fence.trimStart().length;
      // YAML lines count from 1 at the line after the opening fence.
      return { source: t.content, line: open + 1, indent, endLine: close };
    });
}

/** The opening fence of a notebook's block (the line before it): its info string says what the block holds. */
export function fenceLine(lines: readonly string[], block: Block): string {
  return lines[block.line - 1];
}

/** Whether a notebook's block holds a litmus test rather than a patchlit scenario. */
export function isLitmusBlock(lines: readonly string[], block: Block): boolean {
  return fenceLine(lines, block).trim().replace(/^(`{3,}|~{3,})/, '').trim().split(/\s+/)[0] === LITMUS_FENCE_INFO;
}
