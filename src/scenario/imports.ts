// `import:` and `extends:`: the layers a scenario is put together from. A scenario extends
// an earlier block of its own file by name, and imports other files by a path relative to
// its own file: a library (a YAML file of definitions without `name:`), a YAML scenario,
// or a notebook's scenario (FILE#NAME). Its layers are what it extends, then what it
// imports in the order written, then its own block, so imported keys merge as extended
// ones do (compile reads the later layer first) and the block's own keys win.
//
// Files are read and parsed once per notebook read, and only the scenarios asked for are
// put together: another notebook's unrelated blocks cost a parse, nothing else. Every
// problem is reported in the file where it is, with a note for each import that led
// there, as a compiler reports an error in a header: a path that leads nowhere (with the
// file it resolved to), a name that is not in the file, a cycle, and whatever is wrong
// inside the imported file.

import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { isMap, isScalar } from 'yaml';
import { closestName } from '../isa/index.ts';
import { blocksOf, isLitmus, isLitmusBlock, isMarkdown, loneCarriageReturn } from './blocks.ts';
import { InputFileError, readInputFile } from './limits.ts';
import { child, closestHint, scalarText, stringList, type Layer, type Located } from './context.ts';
import { LIBRARY_KEYS, SCENARIO_SCHEMA } from './schema.ts';
import { BlockSource } from './source.ts';
import type { Block, Diagnostic, DiagnosticNote } from './types.ts';
import { validateStructure } from './validate.ts';

export interface ImportOptions {
  /**
   * Receives every file an import names, as joined to the importing file's path, whether
   * or not it could be read: `run --watch` judges the notebook again when one changes
   * (or appears).
   */
  readonly dependencies?: Set<string>;
}

/** A file as read for its scenarios. */
export interface ParsedFile {
  /** Its path as imports joined it (relative to the working directory when the notebook's was). */
  readonly file: string;
  readonly kind: 'markdown' | 'yaml' | 'library' | 'litmus';
  /** Every block, litmus ones included, in order. */
  readonly blocks: readonly Block[];
  /** Its patchlit blocks (or its one YAML document), parsed, in order. */
  readonly units: readonly Unit[];
  /** What keeps the whole file from being read (a lone CR): it has no blocks then. */
  readonly problems?: readonly Diagnostic[];
}

/** One patchlit block of a file, parsed and checked against the schema. */
export interface Unit {
  readonly in: ParsedFile;
  readonly index: number;
  readonly block: Block;
  readonly src: BlockSource;
  readonly own: Located;
  readonly name?: string;
  /** Syntax and schema errors: a unit with any is not put together. */
  readonly problems: readonly Diagnostic[];
}

/** Top-level keys only a scenario has: a YAML file without `name:` and without these is a library. */
const SCENARIO_ONLY = Object.keys(SCENARIO_SCHEMA.properties).filter((k) => !(LIBRARY_KEYS as readonly string[]).includes(k));

function isLibrary(src: BlockSource): boolean {
  const top = src.doc.contents;
  if (!isMap(top)) return false;
  const keys = top.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  return !keys.includes('name') && !keys.some((k) => SCENARIO_ONLY.includes(k));
}

const LIBRARY_HINT = `give the scenario a name; a YAML file without one is a library, which holds only definitions (${LIBRARY_KEYS.join(', ')})`;

/** Splits a file into its blocks and parses each patchlit one. */
export function parseFile(file: string, text: string): ParsedFile {
  const lone = loneCarriageReturn(file, text);
  if (lone) return { file, kind: isLitmus(file) ? 'litmus' : isMarkdown(file) ? 'markdown' : 'yaml', blocks: [], units: [], problems: [lone] };
  if (isLitmus(file)) return { file, kind: 'litmus', blocks: [{ source: text, line: 0, indent: 0, endLine: text.split('\n').length }], units: [] };
  const blocks = blocksOf(file, text);
  const lines = text.split('\n');
  const markdown = isMarkdown(file);
  const units: Unit[] = [];
  const parsed = { file, kind: 'markdown', blocks, units } as { file: string; kind: ParsedFile['kind']; blocks: Block[]; units: Unit[] };
  for (const block of blocks) {
    if (markdown && isLitmusBlock(lines, block)) continue;
    const src = new BlockSource(file, block);
    const library = !markdown && isLibrary(src);
    if (!markdown) parsed.kind = library ? 'library' : 'yaml';
    let problems = src.syntaxErrors();
    if (!problems.length) {
      problems = validateStructure(src, library ? 'library' : 'scenario');
      // A scenario that forgot its name, in a file of its own, may have been meant either way.
      if (!markdown) problems = problems.map((d) => (/^the scenario: "name" is missing$/.test(d.message) && !d.hint ? { ...d, hint: LIBRARY_HINT } : d));
    }
    const own: Located = { node: src.doc.contents as Located['node'], src };
    const name = scalarText(child(own, 'name'));
    units.push({ in: parsed, index: units.length, block, src, own, ...(name !== undefined ? { name } : {}), problems });
  }
  return parsed;
}

/** How a file system error reads after "cannot import ...:". */
function readError(e: NodeJS.ErrnoException): string {
  const why: Record<string, string> = { ENOENT: 'no such file or directory', EISDIR: 'it is a directory', EACCES: 'permission denied', ENOTDIR: 'a part of the path is not a directory' };
  return e instanceof InputFileError ? e.message : ((e.code && why[e.code]) ?? e.message);
}

/** What a scenario is called in messages: a notebook's by file#name, a YAML file's by its file. */
function label(u: Unit): string {
  return u.in.kind === 'markdown' ? `${u.in.file}#${u.name ?? ''}` : u.in.file;
}

/** The scenarios of a notebook, for a hint. */
function namesHint(names: readonly string[]): string {
  if (!names.length) return 'it has no patchlit scenario';
  const shown = names.slice(0, 8).join(', ');
  return `its scenarios: ${shown}${names.length > 8 ? `, and ${names.length - 8} more` : ''}`;
}

export class Imports {
  private readonly files = new Map<string, ParsedFile | NodeJS.ErrnoException>();
  private readonly done = new Map<Unit, Layer[] | null>();
  private readonly parents = new Map<Unit, Unit>();
  /** Scenarios being put together, outermost first: importing one of them again is a cycle. */
  private readonly open: Unit[] = [];
  /** The imports being followed, outermost first: the notes of an error found inside. */
  private readonly sites: DiagnosticNote[] = [];

  /** Problems go to `diagnostics`, in the order they are found. */
  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly options: ImportOptions = {},
  ) {}

  /** The file being read, from its text: an import of it (FILE#NAME of the same notebook) finds these same blocks. */
  root(file: string, text: string): ParsedFile {
    const parsed = parseFile(file, text);
    this.files.set(resolve(file), parsed);
    return parsed;
  }

  /** The scenario `unit` extends, once its layers have been asked for. */
  extended(unit: Unit): Unit | undefined {
    return this.parents.get(unit);
  }

  /**
   * A scenario's layers, its notebook's front matter left out (that belongs to the
   * notebook being read, whichever it is): what it extends, what it imports, its own
   * block. Null when something on the way has an error, which is reported here once.
   */
  layersOf(unit: Unit): Layer[] | null {
    const known = this.done.get(unit);
    if (known !== undefined) return known;
    if (unit.problems.length) {
      for (const d of unit.problems) this.report(d);
      this.done.set(unit, null);
      return null;
    }
    this.open.push(unit);
    const layers: Layer[] = [];
    let ok = true;
    const ext = child(unit.own, 'extends');
    if (ext) {
      const parent = this.extendedUnit(unit, ext);
      const got = parent && this.layersOf(parent);
      if (got) layers.push(...got);
      else ok = false;
    }
    for (const item of stringList(child(unit.own, 'import'))) {
      const got = this.follow(unit, item.text, item.at);
      if (got) layers.push(...got);
      else ok = false;
    }
    this.open.pop();
    const result = ok ? [...layers, { node: unit.own.node, src: unit.src }] : null;
    this.done.set(unit, result);
    return result;
  }

  private report(d: Diagnostic): void {
    const notes = [...this.sites].reverse();
    this.diagnostics.push(notes.length ? { ...d, notes: [...notes, ...(d.notes ?? [])] } : d);
  }

  /** `extends: NAME`: an earlier block of the same file. */
  private extendedUnit(unit: Unit, ext: Located): Unit | undefined {
    const name = scalarText(ext) ?? '';
    const earlier = unit.in.units.slice(0, unit.index);
    const parent = earlier.find((u) => u.name === name);
    if (parent) {
      this.parents.set(unit, parent);
      return parent;
    }
    const looksLikePath = /[/#]|\.(ya?ml|md|markdown)$/i.test(name);
    const hint = looksLikePath ? `a scenario of another file is imported: import: ${name}` : closestHint(name, earlier.flatMap((u) => (u.name ? [u.name] : [])));
    this.report({ pos: unit.src.of(ext.node), message: `"${name}" is not an earlier scenario of this file`, ...(hint ? { hint } : {}) });
    return undefined;
  }

  /** One `import:` item: the layers of what it names, each noting this import; null after reporting why not. */
  private follow(unit: Unit, text: string, at: Located): Layer[] | null {
    const hash = text.lastIndexOf('#');
    const path = hash < 0 ? text : text.slice(0, hash);
    const name = hash < 0 ? undefined : text.slice(hash + 1);
    const col = (c: number) => at.src.inScalar(at.node, 1, c);
    const fail = (c: number, message: string, hint?: string): null => {
      this.report({ pos: col(c), message, ...(hint ? { hint } : {}) });
      return null;
    };
    if (path.trim() === '') return fail(1, `import: "${text}" names no file`, `write FILE or FILE#SCENARIO, the path relative to this file${name ? `; a scenario of this notebook is extended instead: extends: ${name}` : ''}`);
    if (name === '') return fail(hash + 1, `import: "${text}" has no scenario name after "#"`, 'write FILE#SCENARIO, or FILE for a library or a YAML file');
    const file = isAbsolute(path) ? normalize(path) : join(dirname(unit.in.file), path);
    this.options.dependencies?.add(file);
    const parsed = this.read(file);
    if (!('units' in parsed)) return fail(1, `cannot import "${path}": ${readError(parsed)}`, pathHint(unit.in.file, path, file));
    const site: DiagnosticNote = { pos: col(1), message: `imported here, by ${unit.in.kind === 'library' ? 'the library' : `scenario "${unit.name ?? ''}"`}` };
    if (parsed.problems?.length) {
      this.sites.push(site);
      for (const d of parsed.problems) this.report(d);
      this.sites.pop();
      return null;
    }
    const nameCol = hash + 2;
    let target: Unit | undefined;
    switch (parsed.kind) {
      case 'litmus':
        return fail(1, `cannot import "${path}": it is a litmus test; import patchlit scenarios and libraries`);
      case 'markdown': {
        const names = parsed.units.flatMap((u) => (u.name ? [u.name] : []));
        if (name === undefined) return fail(1, `"${path}" is a notebook: name the scenario to import, as ${path}#NAME`, namesHint(names));
        target = parsed.units.find((u) => u.name === name);
        if (!target) return fail(nameCol, `no scenario named "${name}" in ${file}`, closestHint(name, names) ?? namesHint(names));
        break;
      }
      case 'library':
        if (name !== undefined) return fail(nameCol, `${file} is a library, which has no scenarios: import it as "${path}"`);
        target = parsed.units[0];
        break;
      case 'yaml':
        target = parsed.units[0];
        if (name !== undefined && target.name !== undefined && name !== target.name) {
          return fail(nameCol, `no scenario named "${name}" in ${file}`, `it holds one, "${target.name}": import it as "${path}"`);
        }
        break;
    }
    if (unit.in.kind === 'library' && parsed.kind !== 'library') {
      return fail(1, `a library imports only libraries, and "${text}" is a scenario`, 'a library holds definitions; import the scenario from the scenario that needs it');
    }
    const from = this.open.indexOf(target);
    if (from >= 0) {
      const cycle = [...this.open.slice(from), target].map(label).join(' → ');
      return fail(1, `import cycle: ${cycle}`, 'a file cannot import, directly or through others, what imports it: move what both need into a library that each imports');
    }
    this.sites.push(site);
    const layers = this.layersOf(target);
    this.sites.pop();
    return layers && layers.map((l) => ({ ...l, via: [...(l.via ?? []), site] }));
  }

  /** A file read and parsed once, or why it could not be read. */
  private read(file: string): ParsedFile | NodeJS.ErrnoException {
    const key = resolve(file);
    let parsed = this.files.get(key);
    if (parsed === undefined) {
      try {
        parsed = parseFile(file, readInputFile(file));
      } catch (e) {
        if (!(e instanceof Error) || !('code' in e)) throw e;
        parsed = e as NodeJS.ErrnoException;
      }
      this.files.set(key, parsed);
    }
    return parsed;
  }
}

/** For a path that leads nowhere: the nearest name in the directory it points into, else where it led. */
function pathHint(importer: string, path: string, file: string): string {
  try {
    const near = closestName(basename(file), readdirSync(dirname(file)));
    if (near) return `did you mean "${join(dirname(path), near)}"?`;
  } catch {
    // the directory is not there either
  }
  return `paths are relative to the importing file, ${importer}: this one names ${file}`;
}
