// Reading scenario files: a Markdown notebook (its ```patchlit fenced blocks, prose kept
// as it is), a YAML file holding one scenario, or a YAML library of definitions. A block
// may extend an earlier one and import other files (imports.ts puts its layers together).

import { Context, child, type Layer } from './context.ts';
import { buildBudget, buildModel, compileScenario } from './compile.ts';
import { FENCE_INFO, fenceLine, frontMatterEnd, isLitmus, isLitmusBlock, isMarkdown, LITMUS_FENCE_INFO, loneCarriageReturn } from './blocks.ts';
import { Imports, type ImportOptions, type Unit } from './imports.ts';
import { compileLitmus } from './litmus/index.ts';
import { BlockSource } from './source.ts';
import { FETCH_CONFIG_NAMES, ScenarioError, type Block, type Diagnostic, type FetchConfigName, type Notebook, type Scenario } from './types.ts';
import { validateStructure } from './validate.ts';

export { blocksOf, FENCE_INFO, frontMatterEnd, isLitmus, isMarkdown, LITMUS_FENCE_INFO } from './blocks.ts';
export type { ImportOptions } from './imports.ts';

/**
 * A Markdown notebook's YAML front matter (`---` lines around it, at the very top), as the
 * bottom layer of every scenario in it: its `patchlit:` key's model and budget apply to
 * each scenario that does not set its own.
 */
function frontMatter(file: string, text: string, diagnostics: Diagnostic[]): Layer | undefined {
  const lines = text.split('\n');
  const close = isMarkdown(file) ? frontMatterEnd(lines) : undefined;
  if (close === undefined) return undefined;
  if (close < 0) {
    // Read as Markdown, the whole notebook would be its front matter's YAML: said, not ignored.
    diagnostics.push({
      pos: { file, line: 1, col: 1 },
      message: 'the front matter opened here has no closing "---" line',
      hint: 'end the front matter with a line "---"; a notebook whose first line is "---" starts with YAML front matter',
    });
    return undefined;
  }
  const src = new BlockSource(file, { source: lines.slice(1, close).join('\n') + '\n', line: 1, indent: 0, endLine: close + 1 });
  const problems = [...src.syntaxErrors()];
  if (!problems.length) problems.push(...validateStructure(src, 'front-matter'));
  if (problems.length) {
    diagnostics.push(...problems);
    return undefined;
  }
  const top: Layer = { node: src.doc.contents as Layer['node'], src };
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

/** Diagnostics with the same place and message once: scenarios that extend or import the same block meet its errors again. */
export function uniqueDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Reads and compiles every scenario of a file; all errors of all blocks, and of the files
 * they import, in one ScenarioError. Imported files are read from disk, their paths
 * relative to `file`.
 */
export function readNotebook(file: string, text: string, options: ImportOptions = {}): Notebook {
  const lone = loneCarriageReturn(file, text);
  if (lone) throw new ScenarioError([lone]);
  if (isLitmus(file)) {
    const scenario = compileLitmus(file, text);
    return { file, text, kind: 'litmus', entries: [{ block: { source: text, line: 0, indent: 0, endLine: text.split('\n').length }, scenario }] };
  }
  const diagnostics: Diagnostic[] = [];
  const defaults = frontMatter(file, text, diagnostics);
  const base: Layer[] = defaults ? [defaults] : [];
  const imports = new Imports(diagnostics, options);
  const parsed = imports.root(file, text);
  if (parsed.kind === 'library') {
    checkLibrary(imports, parsed.units[0], diagnostics);
    if (diagnostics.length) throw new ScenarioError(uniqueDiagnostics(diagnostics));
    return { file, text, kind: 'library', entries: [] };
  }
  const entries: Array<{ block: Block; scenario: Scenario }> = [];
  const unitOf = new Map(parsed.units.map((u) => [u.block, u]));
  if (isMarkdown(file) && parsed.blocks.length === 0) {
    diagnostics.push({ pos: { file, line: 1, col: 1 }, message: `no \`\`\`${FENCE_INFO} (or \`\`\`${LITMUS_FENCE_INFO}) block in this notebook` });
  }
  const lines = text.split('\n');
  const named = new Set<string>();
  const failed = new Set<Unit>(); // its errors are reported: what extends it is not compiled
  for (const block of parsed.blocks) {
    if (isMarkdown(file) && isLitmusBlock(lines, block)) {
      try {
        const scenario = { ...compileLitmus(file, block.source, { line: block.line, indent: block.indent }), ...infoExpectation(file, fenceLine(lines, block), block.line) };
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
    const unit = unitOf.get(block)!;
    if (!unit.problems.length && unit.name !== undefined && named.has(unit.name)) {
      diagnostics.push({ pos: unit.src.of(child(unit.own, 'name')!.node), message: `a scenario named "${unit.name}" comes earlier in this file` });
      continue;
    }
    if (unit.name !== undefined) named.add(unit.name);
    const layers = imports.layersOf(unit);
    const parent = imports.extended(unit);
    if (!layers || (parent && failed.has(parent))) {
      failed.add(unit);
      continue;
    }
    try {
      // The front matter is the bottom layer, whatever the scenario extends or imports.
      entries.push({ block, scenario: compileScenario(new Context([...base, ...layers])) });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      diagnostics.push(...err.diagnostics);
      failed.add(unit);
    }
  }
  if (diagnostics.length) throw new ScenarioError(uniqueDiagnostics(diagnostics));
  return { file, text, kind: isMarkdown(file) ? 'markdown' : 'yaml', entries };
}

/**
 * A library read on its own (`patchlit check lib/`, or met in a directory): its
 * definitions resolved and its code assembled as a scenario with nothing to run would
 * have them, so a mistake in it shows before any notebook imports it.
 */
function checkLibrary(imports: Imports, unit: Unit, diagnostics: Diagnostic[]): void {
  const layers = imports.layersOf(unit);
  if (!layers) return;
  try {
    compileScenario(new Context(layers));
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    diagnostics.push(...err.diagnostics);
  }
}
