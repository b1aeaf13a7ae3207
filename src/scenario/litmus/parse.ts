// Reads a herd7 RISC-V litmus test (self-modifying-code conventions) into a syntax tree
// that keeps where everything is written. Nothing is resolved here: registers, labels and
// locations are checked by the compiler, which knows the threads' code.
//
//   RISCV <name>
//   Variant=self                         (any Key=value lines, a "doc string")
//   { 0:t0=instr:"li s0, 2"; 0:a1=P1:mod; x=1; [y]=P0:end; }
//   P0          | P1          ;
//   sw t0,0(a1) | mod: li s0,1 ;
//   locations [1:s1; x;]                 (optional)
//   exists (1:s0=2 /\ x=1)               (or ~exists, forall)

import { LONE_CR } from '../blocks.ts';
import { ScenarioError, type SourcePos } from '../types.ts';
import { parseProposition, type LocationSyntax, type PropSyntax } from './condition.ts';
import { Diagnostics, excerpt, LitmusText, type TextOrigin } from './text.ts';
import { parseValue, type ValueSyntax } from './value.ts';

export interface Name {
  readonly text: string;
  readonly pos: SourcePos;
}

export interface ValueAst {
  /** As written. */
  readonly text: string;
  readonly pos: SourcePos;
  readonly syntax: ValueSyntax;
}

export type InitTarget =
  | { readonly kind: 'reg'; readonly thread: number; readonly threadPos: SourcePos; readonly reg: Name; readonly text: string }
  /** `x=1` or `[x]=1`: the initial contents of location x. */
  | { readonly kind: 'mem'; readonly name: Name; readonly text: string };

export interface InitEntry {
  readonly target: InitTarget;
  readonly value: ValueAst;
  readonly pos: SourcePos;
}

/** One cell of the program table: a line of a thread's code, as written (unknown text kept). */
export interface CellAst {
  /** The cell's characters between its separators, comments blanked, not trimmed. */
  readonly text: string;
  /** Where its first character is: an assembler column c is at col + c - 1. */
  readonly pos: SourcePos;
}

export interface ThreadAst {
  /** `P0`, `P1`, ... */
  readonly name: string;
  readonly pos: SourcePos;
  /** One per program row (empty cells included), so that row r is line r + 1 of its code. */
  readonly cells: readonly CellAst[];
}

export type LitmusQuantifier = 'exists' | '~exists' | 'forall';

export interface ConditionAst {
  readonly quantifier: LitmusQuantifier;
  /** Where the quantifier is written. */
  readonly pos: SourcePos;
  /** The proposition after the quantifier, as written. */
  readonly text: string;
  /** Quantifier and proposition, as written: `exists (0:s0=2 /\ 1:s0=2)`. */
  readonly line: string;
  readonly prop: PropSyntax;
  readonly propPos: SourcePos;
}

export interface LitmusAst {
  readonly file: string;
  readonly arch: string;
  readonly name: string;
  /** Where the header line is. */
  readonly pos: SourcePos;
  /** `Key=value` lines after the header (`Variant=self`). */
  readonly info: ReadonlyArray<{ readonly key: string; readonly value: string; readonly pos: SourcePos }>;
  readonly doc?: string;
  readonly init: readonly InitEntry[];
  readonly threads: readonly ThreadAst[];
  readonly locations: readonly LocationSyntax[];
  readonly condition: ConditionAst;
}

/** Reads a litmus test; every syntax error found is thrown in one ScenarioError. */
export function parseLitmus(file: string, text: string, origin?: TextOrigin): LitmusAst {
  return new Parser(new LitmusText(file, text, origin)).parse();
}

const QUANTIFIER = /^(~\s*exists|exists|forall)(?![\w.])/;
const LOCATIONS = /^locations(?![\w.])/;
const INIT_ENTRY = /^(?:(\d+)\s*:\s*([A-Za-z_]\w*)|\[\s*([A-Za-z_][\w.]*)\s*\]|([A-Za-z_][\w.]*))\s*=\s*(\S(?:.*\S)?)\s*$/ds;

class Parser {
  private readonly code: string;
  private readonly diags = new Diagnostics();
  private i = 0;

  constructor(private readonly src: LitmusText) {
    this.code = src.code;
  }

  private at(offset: number): SourcePos {
    return this.src.at(offset);
  }

  /** Fails now: what follows depends on what could not be read. */
  private fatal(offset: number, message: string, hint?: string): never {
    this.diags.error(this.at(offset), message, hint);
    throw new ScenarioError(this.diags.list);
  }

  private skipSpace(): void {
    while (this.i < this.code.length && /\s/.test(this.code[this.i])) this.i++;
  }

  /** From the cursor to the end of its line (newline excluded), moving past it. */
  private restOfLine(): { start: number; text: string } {
    const start = this.i;
    let end = this.code.indexOf('\n', start);
    if (end < 0) end = this.code.length;
    this.i = Math.min(end + 1, this.code.length);
    return { start, text: this.code.slice(start, end).replace(/\r$/, '') };
  }

  parse(): LitmusAst {
    const cr = this.code.search(/\r(?!\n)/);
    if (cr >= 0) this.fatal(cr, LONE_CR.message, LONE_CR.hint);
    if (this.src.openComment !== undefined) this.fatal(this.src.openComment, 'this comment is not closed with "*)"');
    const header = this.header();
    const info: Array<{ key: string; value: string; pos: SourcePos }> = [];
    let doc: string | undefined;
    // Header lines until the initial state.
    for (;;) {
      this.skipSpace();
      if (this.i >= this.code.length) this.fatal(this.i, 'expected the initial state "{ ... }"');
      if (this.code[this.i] === '{') break;
      const { start, text } = this.restOfLine();
      const kv = /^([A-Za-z][\w.-]*)\s*=\s*(.*?)\s*$/.exec(text);
      const quoted = /^"(.*)"\s*$/.exec(text);
      if (kv) info.push({ key: kv[1], value: kv[2], pos: this.at(start) });
      else if (quoted) doc = quoted[1];
      else this.fatal(start, `expected the initial state "{ ... }", found "${excerpt(text)}"`);
    }
    const init = this.initBlock();
    const threads = this.program();
    this.skipSpace();
    const locations = LOCATIONS.test(this.code.slice(this.i)) ? this.locationsClause() : [];
    const condition = this.condition();
    this.diags.throwIfAny();
    return {
      file: this.src.file,
      arch: header.arch,
      name: header.name,
      pos: header.pos,
      info,
      ...(doc !== undefined ? { doc } : {}),
      init,
      threads,
      locations,
      condition: condition!,
    };
  }

  private header(): { arch: string; name: string; pos: SourcePos } {
    this.skipSpace();
    const { start, text } = this.restOfLine();
    const m = /^(\S+)(?:\s+(\S.*?))?\s*$/.exec(text);
    if (!m || m[1] !== 'RISCV') this.fatal(start, `expected the header "RISCV <name>", found "${excerpt(text)}"`);
    if (!m[2]) this.fatal(start + text.length, 'the test has no name: expected "RISCV <name>"');
    return { arch: m[1], name: m[2], pos: this.at(start) };
  }

  /** Offsets of `sep` in code[from, to) outside double quotes. */
  private splitOutsideQuotes(from: number, to: number, sep: string): number[] {
    const cuts: number[] = [];
    let quoted = false;
    for (let k = from; k < to; k++) {
      if (this.code[k] === '"') quoted = !quoted;
      else if (!quoted && this.code[k] === sep) cuts.push(k);
    }
    return cuts;
  }

  private initBlock(): InitEntry[] {
    const open = this.i;
    const close = this.splitOutsideQuotes(open, this.code.length, '}')[0];
    if (close === undefined) this.fatal(open, 'the initial state has no closing "}"');
    const entries: InitEntry[] = [];
    let start = open + 1;
    for (const end of [...this.splitOutsideQuotes(open + 1, close, ';'), close]) {
      const raw = this.code.slice(start, end);
      if (raw.trim() !== '') {
        const e = this.initEntry(start + raw.length - raw.trimStart().length, raw.trim());
        if (e) entries.push(e);
      }
      start = end + 1;
    }
    this.i = close + 1;
    return entries;
  }

  private initEntry(offset: number, text: string): InitEntry | undefined {
    const m = INIT_ENTRY.exec(text);
    if (!m) {
      const eq = text.indexOf('=');
      if (eq < 0) this.diags.error(this.at(offset), `expected "<thread>:<register>=<value>" or "<location>=<value>", found "${excerpt(text)}"`, 'entries of the initial state are separated by ";"');
      else if (text.slice(eq + 1).trim() === '') this.diags.error(this.at(offset + eq + 1), `"${text.slice(0, eq).trim()}" has no value after "="`);
      else this.diags.error(this.at(offset), `"${excerpt(text.slice(0, eq))}" is not a register (0:a0) or a location (x, [x])`);
      return undefined;
    }
    const idx = m.indices!;
    const pos = this.at(offset);
    let target: InitTarget;
    if (m[1] !== undefined) {
      target = { kind: 'reg', thread: Number(m[1]), threadPos: pos, reg: { text: m[2], pos: this.at(offset + idx[2]![0]) }, text: text.slice(0, idx[2]![1]) };
    } else {
      const g = m[3] !== undefined ? 3 : 4;
      target = { kind: 'mem', name: { text: m[g], pos: this.at(offset + idx[g]![0]) }, text: text.slice(0, g === 3 ? text.indexOf(']') + 1 : idx[g]![1]) };
    }
    const valuePos = this.at(offset + idx[5]![0]);
    const syntax = parseValue(m[5]);
    if ('error' in syntax) {
      this.diags.error(valuePos, syntax.error);
      return undefined;
    }
    return { target, value: { text: m[5], pos: valuePos, syntax }, pos };
  }

  /** The program table: the header row P0 | P1 | ... ; then rows of cells until the condition. */
  private program(): ThreadAst[] {
    const rows: Array<{ offset: number; cells: CellAst[] }> = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.code.length) break;
      const rest = this.code.slice(this.i);
      if (QUANTIFIER.test(rest) || LOCATIONS.test(rest)) break;
      const { start, text } = this.restOfLine();
      // A line holds rows each ended by ";" (one, in practice).
      let from = 0;
      for (const cut of [...text.matchAll(/;/g)].map((m) => m.index!)) {
        rows.push(this.row(start + from, text.slice(from, cut)));
        from = cut + 1;
      }
      const tail = text.slice(from);
      if (tail.trim() !== '') {
        const end = start + from + tail.trimEnd().length;
        this.diags.error(this.at(end), 'expected ";" at the end of this program row', 'each row of the program table ends with ";"');
        rows.push(this.row(start + from, tail));
      }
    }
    if (rows.length === 0) this.fatal(this.i, 'expected the program: a row "P0 | P1 | ... ;" naming the threads');
    const [head, ...body] = rows;
    const threads = head.cells.map((c, k) => {
      const name = c.text.trim();
      const lead = c.text.length - c.text.trimStart().length;
      const pos = { ...c.pos, col: c.pos.col + lead };
      if (name !== `P${k}`) this.diags.error(pos, `expected the thread name "P${k}", found "${excerpt(name)}"`, 'the first row of the program names the threads: P0 | P1 | ... ;');
      return { name: `P${k}`, pos, cells: [] as CellAst[] };
    });
    for (const r of body) {
      if (r.cells.length !== threads.length) {
        this.diags.error(this.at(r.offset), `this row has ${r.cells.length} cell${r.cells.length === 1 ? '' : 's'}, expected ${threads.length} (one per thread, separated by "|")`);
      }
      threads.forEach((t, k) => t.cells.push(r.cells[k] ?? { text: '', pos: this.at(r.offset) }));
    }
    return threads;
  }

  private row(offset: number, text: string): { offset: number; cells: CellAst[] } {
    const cells: CellAst[] = [];
    let from = 0;
    for (const cut of [...[...text.matchAll(/\|/g)].map((m) => m.index!), text.length]) {
      cells.push({ text: text.slice(from, cut), pos: this.at(offset + from) });
      from = cut + 1;
    }
    const lead = text.length - text.trimStart().length;
    return { offset: offset + lead, cells };
  }

  /** `locations [1:s1; x; [y];]`: more final values herd reports. */
  private locationsClause(): LocationSyntax[] {
    const kw = this.i;
    this.i += 'locations'.length;
    this.skipSpace();
    if (this.code[this.i] !== '[') this.fatal(this.i, 'expected "[" after "locations"');
    const open = this.i;
    let close = -1;
    for (let k = open + 1, depth = 0; k < this.code.length; k++) {
      if (this.code[k] === '[') depth++;
      else if (this.code[k] === ']' && depth-- === 0) {
        close = k;
        break;
      }
    }
    if (close < 0) this.fatal(kw, 'the locations clause has no closing "]"');
    const out: LocationSyntax[] = [];
    let start = open + 1;
    for (const end of [...this.splitOutsideQuotes(open + 1, close, ';'), close]) {
      const raw = this.code.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text !== '') {
        const loc = this.locationEntry(start + lead, text);
        if (loc) out.push(loc);
      }
      start = end + 1;
    }
    this.i = close + 1;
    return out;
  }

  private locationEntry(offset: number, text: string): LocationSyntax | undefined {
    const m = /^(?:([\w]+)\s*:\s*([A-Za-z_]\w*)|\[\s*([A-Za-z_][\w.]*)\s*\]|([A-Za-z_][\w.]*))$/d.exec(text);
    if (!m) {
      this.diags.error(this.at(offset), `"${excerpt(text)}" is not a register (0:a0) or a location (x, [x])`);
      return undefined;
    }
    const pos = this.at(offset);
    if (m[1] !== undefined) return { kind: 'reg', hart: m[1], reg: m[2], text, pos, regPos: this.at(offset + m.indices![2]![0]) };
    const g = m[3] !== undefined ? 3 : 4;
    return { kind: 'mem', name: m[g], text, pos, namePos: this.at(offset + m.indices![g]![0]) };
  }

  private condition(): ConditionAst | undefined {
    this.skipSpace();
    const qStart = this.i;
    const rest = this.code.slice(qStart);
    const q = QUANTIFIER.exec(rest);
    if (!q) {
      if (qStart >= this.code.length) {
        this.diags.error(this.at(this.code.trimEnd().length), 'the test has no final condition', 'end it with exists (...), ~exists (...) or forall (...)');
      } else {
        this.diags.error(this.at(qStart), `expected the final condition (exists, ~exists or forall), found "${excerpt(rest)}"`);
      }
      return undefined;
    }
    const quantifier = q[1].replace(/\s+/g, '') as LitmusQuantifier;
    const body = this.code.slice(qStart + q[0].length);
    const textStart = qStart + q[0].length + (body.length - body.trimStart().length);
    const text = body.trim();
    this.i = this.code.length;
    const prop = this.diags.collect(() => parseProposition(text, (o) => this.at(textStart + o)));
    if (!prop) return undefined;
    return {
      quantifier,
      pos: this.at(qStart),
      text,
      line: this.code.slice(qStart, textStart + text.length),
      prop,
      propPos: this.at(textStart),
    };
  }
}
