// `--update`: recorded observations (`outcomes:`, the table's `observed:`) rewritten from
// what the run saw. Only the recorded values' lines change; every other byte of the
// notebook stays as the author wrote it (line endings, the prefix a blockquote or a list
// item puts before each line of a block, comments), and the result is read back before
// anything is written: a value that cannot be rewritten so that the notebook reads the
// same but for it is refused with a diagnostic instead.

import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument, Parser, type Document, type Node, type Pair } from 'yaml';
import { blocksOf, ScenarioError, type Block, type Diagnostic } from '../scenario/index.ts';
import type { RecordCheck } from '../verdict/index.ts';

/** Options the scenario reader parses a block with: a value must read back the same way. */
const YAML_OPTIONS = { intAsBigInt: true, uniqueKeys: true } as const;

/** Where each kind of recording is, in the scenario's own map. */
const KEY_PATH: Readonly<Record<RecordCheck['recorded']['kind'], readonly string[]>> = { outcomes: ['outcomes'], observed: ['table', 'observed'] };

/** Why a recording could not be rewritten: the message of the diagnostic at its key. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The lines of a text, each with its own line ending ('' for a last line without one). */
function linesOf(text: string): Array<{ text: string; eol: string }> {
  return text.split(/(?<=\n)/).map((l) => {
    const eol = l.endsWith('\r\n') ? '\r\n' : l.endsWith('\n') ? '\n' : '';
    return { text: l.slice(0, l.length - eol.length), eol };
  });
}

function pairAt(doc: Document, path: readonly string[]): Pair<Node, Node | null> | undefined {
  let node: unknown = doc.contents;
  let pair: Pair<Node, Node | null> | undefined;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    pair = node.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node | null> | undefined;
    node = pair?.value;
  }
  return pair;
}

/** Every comment in a YAML text, where it starts. */
function commentsOf(source: string): Array<{ offset: number; source: string }> {
  const out: Array<{ offset: number; source: string }> = [];
  const visit = (t: unknown) => {
    if (!t || typeof t !== 'object') return;
    const token = t as { type?: string; offset?: number; source?: string };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') out.push({ offset: token.offset, source: token.source });
    for (const v of Object.values(t)) visit(v);
  };
  for (const token of new Parser().parse(source)) visit(token);
  return out;
}

interface LineEdit {
  /** First and last line (0-based, inclusive) of the block's YAML replaced. */
  readonly first: number;
  readonly last: number;
  readonly lines: readonly string[];
}

/**
 * The lines that replace a recording's key line and value: the key line up to its colon,
 * then ` |` (or ` []` for no lines) with the value's anchor and the comments on the value
 * as a whole, then one line per observation, indented one step deeper than the key.
 */
function recordEdit(source: string, doc: Document, path: readonly string[], observed: readonly string[]): LineEdit {
  const pair = pairAt(doc, path);
  const key = pair?.key;
  if (!pair || !key?.range) throw new Refusal('not found where it was read');
  const value = pair.value;
  if (value && !isScalar(value) && !isSeq(value)) throw new Refusal('is not a list of lines');
  const lineStart = (offset: number) => source.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (offset: number) => (source.indexOf('\n', offset) < 0 ? source.length : source.indexOf('\n', offset));
  const lineNo = (offset: number) => source.slice(0, offset).split('\n').length - 1;
  const colon = source.indexOf(':', key.range[1]);
  const [start, end] = value?.range ?? [colon + 1, colon + 1];
  // The value's last line: a block value's range ends past its newline.
  const regionEnd = end > colon + 1 && source[end - 1] === '\n' ? end - 1 : lineEnd(Math.max(end, colon + 1));
  const first = lineNo(colon);
  const block = isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED');
  const kept: string[] = [];
  for (const c of commentsOf(source)) {
    if (c.offset <= colon || c.offset >= regionEnd) continue;
    const onKeyLine = lineNo(c.offset) === first;
    // A comment on the key line before the value, after a block scalar's header, or after the whole value stays; one among its lines has nowhere to go.
    if ((onKeyLine && (block || c.offset < start)) || c.offset >= end) {
      const space = /[ \t]*$/.exec(source.slice(lineStart(c.offset), c.offset))![0];
      kept.push((space || ' ') + c.source);
    } else {
      throw new Refusal(`a comment among the recorded lines ("${c.source}") would be lost`, 'move it above the key, or delete it, and run --update again');
    }
  }
  const anchor = value?.anchor ? ` &${value.anchor}` : '';
  const keyLine = source.slice(lineStart(colon), colon + 1) + anchor + (observed.length ? ' |' : ' []') + kept.join('');
  const pad = ' '.repeat(key.range[0] - lineStart(key.range[0]) + 2);
  return { first, last: lineNo(regionEnd), lines: [keyLine, ...observed.map((l) => pad + l)] };
}

/** A scenario's data as the reader sees it, the recordings left out. */
function withoutRecords(doc: Document): unknown {
  const js = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null;
  if (!js || typeof js !== 'object') return js;
  const { outcomes: _outcomes, ...rest } = js;
  if (rest.table && typeof rest.table === 'object') {
    const { observed: _observed, ...table } = rest.table as Record<string, unknown>;
    rest.table = table;
  }
  return rest;
}

/** A recording's value as lines, read as the scenario reader reads it. */
function recordedLines(doc: Document, path: readonly string[]): string[] | undefined {
  const v = pairAt(doc, path)?.value;
  if (isSeq(v)) return v.items.map((i) => String(isScalar(i) ? (i.value ?? '') : '').trim()).filter(Boolean);
  if (isScalar(v) && (v.value === null || typeof v.value === 'string')) return String(v.value ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  return undefined;
}

/** A block's YAML with its recordings rewritten, checked to read back the same but for them. */
function rewriteBlock(block: Block, checks: readonly RecordCheck[]): { source: string; edits: LineEdit[] } {
  const source = block.source.replace(/\r\n/g, '\n');
  const doc = parseDocument(source, YAML_OPTIONS);
  const edits = checks.map((c) => recordEdit(source, doc, KEY_PATH[c.recorded.kind], c.observed)).sort((a, b) => b.first - a.first);
  const lines = source.split('\n');
  for (const e of edits) lines.splice(e.first, e.last - e.first + 1, ...e.lines);
  const rewritten = lines.join('\n');
  const back = parseDocument(rewritten, YAML_OPTIONS);
  const same =
    back.errors.length === 0 &&
    isDeepStrictEqual(withoutRecords(back), withoutRecords(doc)) &&
    checks.every((c) => isDeepStrictEqual(recordedLines(back, KEY_PATH[c.recorded.kind]), c.observed.map((l) => l.trim()).filter(Boolean)));
  if (!same) throw new Refusal('--update cannot rewrite this recording so that the rest of the scenario reads the same', 'write it in block style, the key followed by `|` and a line each, not in a { } or [ ] collection nor through an alias');
  return { source: rewritten, edits };
}

/**
 * The notebook's text with every changed recording rewritten; the checks must all come
 * from this text. Throws a ScenarioError, at each recording's key, for what it cannot
 * rewrite faithfully: then nothing of the file is to be written.
 */
export function updateRecords(file: string, text: string, checks: readonly RecordCheck[]): string {
  const changed = checks.filter((c) => !c.matches);
  if (!changed.length) return text;
  const blocks = blocksOf(file, text);
  const fileLines = linesOf(text);
  const eolOf = (i: number) => fileLines[i]?.eol || (text.includes('\r\n') ? '\r\n' : '\n');
  const rewritten = new Map<Block, string>();
  const fileEdits: Array<{ first: number; last: number; prefix: string; lines: readonly string[] }> = [];
  const problems: Diagnostic[] = [];
  for (const block of blocks) {
    const own = changed.filter((c) => c.recorded.pos.line - 1 >= block.line && c.recorded.pos.line - 1 < block.endLine);
    if (!own.length) continue;
    try {
      const { source, edits } = rewriteBlock(block, own);
      // Each file line is the block's line after a prefix (a blockquote's `> `, a list item's indentation): new lines take the key line's.
      const blockLines = block.source.replace(/\r\n/g, '\n').split('\n');
      for (const e of edits) {
        const keyLine = fileLines[block.line + e.first]?.text;
        const own = blockLines[e.first];
        if (keyLine === undefined || !keyLine.endsWith(own)) throw new Refusal('the notebook line does not hold the YAML the block was read as (a tab in a blockquote or list item?)', 'indent the block with spaces');
        fileEdits.push({ first: block.line + e.first, last: block.line + e.last, prefix: keyLine.slice(0, keyLine.length - own.length), lines: e.lines });
      }
      rewritten.set(block, source);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      for (const c of own) problems.push({ pos: c.recorded.pos, message: `${c.recorded.kind}: ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) });
    }
  }
  if (problems.length) throw new ScenarioError(problems);
  fileEdits.sort((a, b) => b.first - a.first);
  const assemble = (prefixOf: (keyPrefix: string) => string) => {
    const out = [...fileLines];
    for (const e of fileEdits) {
      const lastEol = out[e.last].eol;
      const eol = eolOf(e.first);
      const prefix = prefixOf(e.prefix);
      out.splice(e.first, e.last - e.first + 1, ...e.lines.map((l, i) => ({ text: i === 0 ? e.prefix + l : prefix + l, eol: i === e.lines.length - 1 ? lastEol : eol })));
    }
    return out.map((l) => l.text + l.eol).join('');
  };
  // The notebook must still hold the same blocks, the rewritten ones as rewritten.
  const intactText = (result: string) => {
    const after = blocksOf(file, result);
    return after.length === blocks.length && after.every((b, i) => b.source.replace(/\r\n/g, '\n') === (rewritten.get(blocks[i]) ?? blocks[i].source.replace(/\r\n/g, '\n')));
  };
  // New lines take the key line's prefix; after a `>` with no space, the space Markdown strips when there is one.
  const result = [assemble((p) => p), assemble((p) => (p.endsWith('>') ? p + ' ' : p))].find(intactText);
  if (result === undefined) {
    throw new ScenarioError(
      changed.map((c) => ({
        pos: c.recorded.pos,
        message: `${c.recorded.kind}: --update cannot rewrite this recording where it stands in the notebook's Markdown`,
        hint: 'move the block out of its blockquote or list item, or update the recording by hand',
      })),
    );
  }
  return result;
}
