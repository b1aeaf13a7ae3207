// Reading scenario files: a Markdown notebook (its ```patchlit fenced blocks, prose kept
// as it is) or a YAML file holding one scenario. A block may extend an earlier one.

import MarkdownIt from 'markdown-it';
import { Context, child, scalarText, type Located } from './context.ts';
import { buildBudget, buildModel, compileScenario } from './compile.ts';
import { compileLitmus } from './litmus/index.ts';
import { BlockSource } from './source.ts';
import { FETCH_CONFIG_NAMES, ScenarioError, type Block, type Diagnostic, type FetchConfigName, type Notebook, type Scenario } from './types.ts';
import { validateStructure } from './validate.ts';

const md = new MarkdownIt();

export const FENCE_INFO = 'patchlit';
/** A fenced block holding a herd7 litmus test instead of a patchlit scenario. */
export const LITMUS_FENCE_INFO = 'litmus';

export function isMarkdown(file: string): boolean {
  return /\.(md|markdown)$/i.test(file);
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
      const indent = lines[open].length - lines[open].trimStart().length;
      // YAML lines count from 1 at the line after the opening fence.
      return { source: t.content, line: open + 1, indent, endLine: close };
    });
}

/**
 * A Markdown notebook's YAML front matter (`---` lines around it, at the very top), as the
 * bottom layer of every scenario in it: its `patchlit:` key's model and budget apply to
 * each scenario that does not set its own.
 */
function frontMatter(file: string, text: string, diagnostics: Diagnostic[]): Located | undefined {
  if (!isMarkdown(file) || !/^---\r?\n/.test(text)) return undefined;
  const lines = text.split('\n');
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (close < 0) return undefined;
  const src = new BlockSource(file, { source: lines.slice(1, close).join('\n') + '\n', line: 1, indent: 0, endLine: close + 1 });
  const problems = [...src.syntaxErrors()];
  if (!problems.length) problems.push(...validateStructure(src, 'front-matter'));
  if (problems.length) {
    diagnostics.push(...problems);
    return undefined;
  }
  const top: Located = { node: src.doc.contents as Located['node'], src };
  return child(top, 'patchlit');
}

/**
 * A litmus block's expectation, from its fence's info string (herd's syntax has no place
 * for one): ```litmus xfail (expected to fail everywhere) or xfail=ziccid,ir3-fetch
 * (expected to fail under those configurations and to hold under the others).
 */
function infoExpectation(file: string, fence: string, line: number): { xfail?: string; xfailUnder?: FetchConfigName[] } {
  const words = fence.trim().replace(/^(`{3,}|~{3,})/, '').trim().split(/\s+/).slice(1);
  const word = words.find((w) => /^xfail(=|$)/.test(w));
  if (!word) return {};
  if (word === 'xfail') return { xfail: '' };
  const names = word.slice('xfail='.length).split(',').filter(Boolean);
  const bad = names.find((n) => !(FETCH_CONFIG_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || !names.length) {
    const col = fence.indexOf(word) + 1;
    throw new ScenarioError([{ pos: { file, line, col }, message: `xfail= takes fetch configurations (${FETCH_CONFIG_NAMES.join(', ')}), not "${bad ?? ''}"` }]);
  }
  return { xfail: '', xfailUnder: names as FetchConfigName[] };
}

/** A .litmus file holds one herd7 litmus test. */
export function isLitmus(file: string): boolean {
  return /\.litmus$/i.test(file);
}

/** Reads and compiles every scenario of a file; all errors of all blocks in one ScenarioError. */
export function readNotebook(file: string, text: string): Notebook {
  if (isLitmus(file)) {
    const scenario = compileLitmus(file, text);
    return { file, text, kind: 'litmus', entries: [{ block: { source: text, line: 0, indent: 0, endLine: text.split('\n').length }, scenario }] };
  }
  const diagnostics: Diagnostic[] = [];
  const defaults = frontMatter(file, text, diagnostics);
  const base: Located[] = defaults ? [defaults] : [];
  const entries: Array<{ block: Block; scenario: Scenario }> = [];
  const layersOf = new Map<string, Located[] | null>(); // null: that scenario has errors
  const blocks = blocksOf(file, text);
  if (isMarkdown(file) && blocks.length === 0) {
    diagnostics.push({ pos: { file, line: 1, col: 1 }, message: `no \`\`\`${FENCE_INFO} (or \`\`\`${LITMUS_FENCE_INFO}) block in this notebook` });
  }
  const lines = text.split('\n');
  for (const block of blocks) {
    // The opening fence is the line before the block: its info string says what the block holds.
    if (isMarkdown(file) && lines[block.line - 1].trim().replace(/^(`{3,}|~{3,})/, '').trim().split(/\s+/)[0] === LITMUS_FENCE_INFO) {
      try {
        const scenario = { ...compileLitmus(file, block.source, { line: block.line, indent: block.indent }), ...infoExpectation(file, lines[block.line - 1], block.line) };
        if (!defaults) entries.push({ block, scenario });
        else {
          // The notebook's model and budget apply to its litmus tests too.
          const ctx = new Context(base);
          const model = buildModel(ctx);
          const budget = buildBudget(ctx);
          if (ctx.diagnostics.length) throw new ScenarioError(ctx.diagnostics);
          entries.push({ block, scenario: { ...scenario, system: { ...scenario.system, model }, budget: { ...scenario.budget, ...budget } } });
        }
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        diagnostics.push(...err.diagnostics);
      }
      continue;
    }
    const src = new BlockSource(file, block);
    const syntax = src.syntaxErrors();
    if (syntax.length) {
      diagnostics.push(...syntax);
      continue;
    }
    const structure = validateStructure(src);
    const own: Located = { node: src.doc.contents as Located['node'], src };
    const name = scalarText(child(own, 'name'));
    if (structure.length) {
      diagnostics.push(...structure);
      if (name) layersOf.set(name, null);
      continue;
    }
    if (name && layersOf.has(name)) {
      diagnostics.push({ pos: src.of(child(own, 'name')!.node), message: `a scenario named "${name}" comes earlier in this file` });
      continue;
    }
    let layers: Located[] = [...base, own];
    const ext = child(own, 'extends');
    if (ext) {
      const extended = layersOf.get(scalarText(ext) ?? '');
      if (extended === undefined) {
        diagnostics.push({ pos: src.of(ext.node), message: `"${scalarText(ext)}" is not an earlier scenario of this file` });
        continue;
      }
      if (extended === null) continue; // its own errors are reported already
      layers = [...extended, own]; // the front matter is already at the bottom of those
    }
    try {
      entries.push({ block, scenario: compileScenario(new Context(layers)) });
      layersOf.set(name!, layers);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      diagnostics.push(...err.diagnostics);
      layersOf.set(name!, null);
    }
  }
  if (diagnostics.length) throw new ScenarioError(diagnostics);
  return { file, text, kind: isMarkdown(file) ? 'markdown' : 'yaml', entries };
}
