// A two-pass assembler for GNU as syntax. Pass one lays statements out (addresses and
// sizes, labels); pass two evaluates operands against every symbol and encodes. Several
// sources can be laid out first and encoded after, so that they see each other's labels.
//
// Under `.option rvc` the size of a jump or branch to a label further down depends on
// where that label lands, which depends on the sizes: like GNU as, layout starts with the
// compressed form and widens the ones whose target turns out out of reach, until no
// size changes (sizes only grow, so it ends).

import { pcDistance } from '../reach.ts';
import { registerNumber } from '../registers.ts';
import { closestName as suggest } from '../suggest.ts';
import { ENTRIES_BY_NAME, MACROS, needsRvc } from '../table.ts';
import type { InsnEntry, MacroEntry } from '../types.ts';
import { evaluate, ExprError, parseExpr, type Expr, type ExprEnv } from './expr.ts';
import { lex, type Operand, type Statement } from './lexer.ts';
import { EXPANDERS, type ExpandedInsn, type MacroArg } from './macros.ts';
import { encodeEntry, matchEntry, type Diagnostic, type Evaluator } from './operands.ts';

/** An error in assembly source: 1-based line and column within the source text. */
export interface AsmDiagnostic {
  readonly line: number;
  readonly col: number;
  readonly message: string;
  readonly hint?: string;
}

/** One thing the assembler emitted: an instruction, data, or alignment padding. */
export interface AsmItem {
  readonly addr: bigint;
  readonly size: number;
  readonly kind: 'insn' | 'data' | 'fill';
  /** Instruction bits (kind insn). */
  readonly bits?: number;
  readonly line: number;
  readonly source: string;
}

export interface AsmResult {
  readonly origin: bigint;
  readonly bytes: Uint8Array;
  readonly items: readonly AsmItem[];
  readonly labels: ReadonlyMap<string, bigint>;
  readonly diagnostics: readonly AsmDiagnostic[];
}

export type SymbolLookup = (name: string) => bigint | undefined;

export interface AsmOptions {
  /** GNU as `.option rvc` at the start: compressed forms chosen where they fit. Default off. */
  readonly rvc?: boolean;
}

const DATA_WIDTH: Record<string, number> = {
  '.byte': 1,
  '.half': 2,
  '.2byte': 2,
  '.short': 2,
  '.word': 4,
  '.4byte': 4,
  '.long': 4,
  '.dword': 8,
  '.8byte': 8,
  '.quad': 8,
};
const IGNORED_DIRECTIVES = new Set(['.text', '.globl', '.global', '.type', '.size', '.local', '.weak', '.hidden', '.section']);
const NOP = 0x00000013;
const C_NOP = 0x0001;

/** A macro's instructions, each with the table entry and field values chosen for it. */
interface Chosen {
  readonly entry: InsnEntry;
  readonly operands: readonly Operand[];
}

type Plan =
  | { kind: 'none' }
  | { kind: 'entry'; entry: InsnEntry }
  /** A macro whose expansion is known at layout (li: a constant). */
  | { kind: 'expanded'; insns: readonly Chosen[] }
  /** A macro that depends on addresses (call, tail, lla): two 32-bit instructions. */
  | { kind: 'macro'; macro: MacroEntry; args: Operand[] }
  | { kind: 'data'; width: number }
  | { kind: 'fill'; rvc: boolean; value?: bigint; unit?: number };

interface Placed {
  readonly stmt: Statement;
  readonly index: number;
  readonly addr: bigint;
  readonly size: number;
  readonly plan: Plan;
  /** Took a compressed form before its target was known: to check once it is. */
  readonly optimistic: boolean;
}

class DiagnosticError extends Error {
  constructor(readonly diag: Diagnostic) {
    super(diag.message);
  }
}

const MAX_RELAXATION_ROUNDS = 64;

/**
 * The most bytes one source (a code or data region) lays out. The model keeps bytes,
 * listing lines and fetch state per byte or instruction, and a scenario is a few functions:
 * a size directive or alignment that asks for more is a mistake, refused where it is
 * written instead of allocated.
 */
export const MAX_REGION_BYTES = 0x10000;
/** The largest `.align`/`.p2align` power: 2^16, the region limit. */
export const MAX_ALIGN_POWER = 16;
/** One past the last address: a region ends at or below it. */
const ADDRESS_END = 1n << 64n;
const REGION_LIMIT = `the limit of ${MAX_REGION_BYTES} bytes (64 KiB) a region may hold`;
const FAR_HINT = 'code that must be far away goes in a region of its own, at its own address (at:)';

export class Assembly {
  readonly labels = new Map<string, bigint>();
  private placed: Placed[] = [];
  private locals: Array<{ label: string; addr: bigint; index: number }> = [];
  private readonly pcrelHi = new Map<bigint, { expr: Expr }>();
  private statements: Statement[] = [];
  private layoutDiagnostics: AsmDiagnostic[] = [];
  private lexDiagnostics: AsmDiagnostic[] = [];
  private encodeDiagnostics: AsmDiagnostic[] = [];
  /** Labels this source defines: a forward reference to one is worth an optimistic guess. */
  private ownLabels = new Set<string>();
  end: bigint;

  constructor(
    readonly text: string,
    readonly origin: bigint,
    private readonly options: AsmOptions = {},
  ) {
    this.end = origin;
  }

  get diagnostics(): readonly AsmDiagnostic[] {
    return [...this.lexDiagnostics, ...this.layoutDiagnostics, ...this.encodeDiagnostics].sort((a, b) => a.line - b.line || a.col - b.col);
  }

  private env(index: number, dot: bigint, symbols: SymbolLookup | undefined, missing?: Set<string>): ExprEnv {
    return {
      dot,
      symbol: (name) => {
        const v = this.labels.get(name) ?? symbols?.(name);
        if (v === undefined) missing?.add(name);
        return v;
      },
      local: (label, dir) => {
        if (dir === 'b') {
          let found: bigint | undefined;
          for (const l of this.locals) if (l.label === label && l.index <= index) found = l.addr;
          return found;
        }
        const v = this.locals.find((l) => l.label === label && l.index > index)?.addr;
        if (v === undefined) missing?.add(`${label}f`);
        return v;
      },
      pcrelHiAt: (addr) => {
        const hi = this.pcrelHi.get(addr);
        if (!hi) return undefined;
        return pcDistance(evaluate(hi.expr, this.env(index, addr, symbols)), addr);
      },
    };
  }

  /** Pass one: addresses, sizes and labels. `constants` are symbols known before any layout. */
  layout(constants: SymbolLookup = () => undefined): this {
    const lexed = lex(this.text);
    this.statements = lexed.statements;
    this.lexDiagnostics = lexed.errors.map((e) => ({ line: e.line, col: e.col + 1, message: e.message }));
    this.ownLabels = new Set(this.statements.flatMap((s) => s.labels.map((l) => (/^\d+$/.test(l.name) ? `${l.name}f` : l.name))));
    const long = new Set<number>();
    for (let round = 0; round < MAX_RELAXATION_ROUNDS; round++) {
      this.place(constants, long);
      const widen = this.placed.filter((p) => p.optimistic && !this.stillFits(p, constants));
      if (widen.length === 0) break;
      for (const p of widen) long.add(p.index);
    }
    return this;
  }

  /** Is a compressed form chosen before its target was known still in reach, now that it is? */
  private stillFits(p: Placed, constants: SymbolLookup): boolean {
    if (p.plan.kind !== 'entry') return true;
    const m = matchEntry(p.plan.entry, p.stmt.operands, p.addr, (e) => {
      try {
        return evaluate(e, this.env(p.index, p.addr, constants));
      } catch (err) {
        if (err instanceof ExprError) return undefined;
        throw err;
      }
    });
    return m.ok && !m.unresolved;
  }

  /** One layout of every statement; `long` lists statements that must not take a compressed guess. */
  private place(constants: SymbolLookup, long: ReadonlySet<number>): void {
    this.labels.clear();
    this.pcrelHi.clear();
    this.placed = [];
    this.locals = [];
    this.layoutDiagnostics = [];
    let addr = this.origin;
    let rvc = this.options.rvc ?? false;
    const rvcStack: boolean[] = [];
    /** Set once a statement went past a limit: the error said there. */
    let full: string | undefined;
    if (this.origin < 0n || this.origin >= ADDRESS_END) {
      full = `0x${this.origin.toString(16)} is not a 64-bit address`;
      this.reportLayout(1, { col: 0, message: `the region's start ${full}` });
    }
    this.statements.forEach((stmt, index) => {
      for (const l of stmt.labels) {
        if (/^\d+$/.test(l.name)) this.locals.push({ label: l.name, addr, index });
        else if (this.labels.has(l.name)) this.reportLayout(stmt.line, { col: l.col, message: `label "${l.name}" is defined twice` });
        else this.labels.set(l.name, addr);
      }
      if (full !== undefined && stmt.op !== '.equ' && stmt.op !== '.set') {
        // Past a limit: labels only (below), so that a long source stops costing work there.
        this.placed.push({ stmt, index, addr, size: 0, plan: { kind: 'none' }, optimistic: false });
        return;
      }
      const missing = new Set<string>();
      const lenient: Evaluator = (e) => {
        try {
          return evaluate(e, this.env(index, addr, constants, missing));
        } catch (err) {
          if (err instanceof ExprError) return undefined;
          throw err;
        }
      };
      let plan: Plan = { kind: 'none' };
      let size = 0;
      let optimistic = false;
      try {
        if (stmt.op === undefined) {
          // a label on its own
        } else if (stmt.op === '.option') {
          const arg = stmt.operands[0]?.text;
          if (arg === 'rvc') rvc = true;
          else if (arg === 'norvc') rvc = false;
          else if (arg === 'push') rvcStack.push(rvc);
          else if (arg === 'pop') rvc = rvcStack.pop() ?? rvc;
        } else if (stmt.op in DATA_WIDTH) {
          plan = { kind: 'data', width: DATA_WIDTH[stmt.op] };
          size = DATA_WIDTH[stmt.op] * stmt.operands.length;
        } else if (stmt.op === '.align' || stmt.op === '.p2align' || stmt.op === '.balign') {
          const boundary = this.alignment(stmt, lenient);
          const rem = addr % boundary;
          size = rem === 0n ? 0 : Number(boundary - rem);
          plan = { kind: 'fill', rvc };
        } else if (stmt.op === '.zero' || stmt.op === '.space' || stmt.op === '.skip') {
          size = this.count(stmt, 0, lenient, 1n);
          const value = stmt.operands[1] ? this.constant(stmt.operands[1], lenient) : 0n;
          plan = { kind: 'fill', rvc, value, unit: 1 };
        } else if (stmt.op === '.fill') {
          const unit = stmt.operands[1] ? this.count(stmt, 1, lenient, 1n, 8) : 1;
          const repeat = this.count(stmt, 0, lenient, BigInt(unit));
          const value = stmt.operands[2] ? this.constant(stmt.operands[2], lenient) : 0n;
          size = repeat * unit;
          plan = { kind: 'fill', rvc, value, unit };
        } else if (stmt.op === '.equ' || stmt.op === '.set') {
          const [name, value] = stmt.operands;
          if (!name || !value) throw new DiagnosticError({ col: stmt.opCol, message: `${stmt.op} needs a name and a value` });
          this.labels.set(name.text, this.constant(value, lenient));
        } else if (IGNORED_DIRECTIVES.has(stmt.op)) {
          // no effect on a flat, already placed region
        } else if (stmt.op.startsWith('.')) {
          throw new DiagnosticError({ col: stmt.opCol, message: `unknown directive ${stmt.op}` });
        } else {
          const guessAllowed = !long.has(index);
          const chosen = this.choose(stmt, addr, rvc, lenient, () => guessAllowed && [...missing].every((n) => this.ownLabels.has(n)));
          plan = chosen.plan;
          size = chosen.size;
          optimistic = chosen.optimistic;
          if (stmt.op === 'auipc' && stmt.operands[1]?.text.startsWith('%pcrel_hi')) {
            const e = parseExpr(stmt.operands[1].text, stmt.operands[1].col);
            if (e.kind === 'reloc') this.pcrelHi.set(addr, { expr: e.arg });
          }
        }
      } catch (err) {
        if (err instanceof DiagnosticError) this.reportLayout(stmt.line, err.diag);
        else if (err instanceof ExprError) this.reportLayout(stmt.line, { col: err.col, message: err.message });
        else throw err;
      }
      if (size > 0 && full === undefined) full = this.beyondLimits(stmt, addr, size);
      // Past a limit nothing more is laid out (reported once, at the statement that crossed
      // it), but labels are still defined: what refers to them is not an error too.
      if (full !== undefined) [plan, size] = [{ kind: 'none' }, 0];
      this.placed.push({ stmt, index, addr, size, plan, optimistic });
      addr += BigInt(size);
    });
    this.end = addr;
  }

  /** The error for a statement of `size` bytes at `addr` that a region cannot hold, if it cannot. */
  private beyondLimits(stmt: Statement, addr: bigint, size: number): string | undefined {
    const col = stmt.opCol;
    if (addr + BigInt(size) > ADDRESS_END) {
      const message =
        addr >= ADDRESS_END
          ? `this would be at 0x${addr.toString(16)}, past the top of the 64-bit address space`
          : `its ${size} bytes at 0x${addr.toString(16)} run past the top of the 64-bit address space`;
      this.reportLayout(stmt.line, { col, message, hint: 'a region ends at 0xffffffffffffffff at the highest: start it lower' });
      return message;
    }
    const used = addr + BigInt(size) - this.origin;
    if (used > BigInt(MAX_REGION_BYTES)) {
      const message = `the region grows to ${used} bytes here, past ${REGION_LIMIT}`;
      this.reportLayout(stmt.line, { col, message, hint: FAR_HINT });
      return message;
    }
    return undefined;
  }

  /** The boundary of an .align, .p2align or .balign: a power of 2 no larger than a region may be. */
  private alignment(stmt: Statement, lenient: Evaluator): bigint {
    const op = stmt.operands[0];
    const n = this.constant(op, lenient);
    const col = op.col;
    if (stmt.op === '.balign') {
      if (n <= 0n || (n & (n - 1n)) !== 0n) throw new DiagnosticError({ col, message: `alignment ${n} is not a power of 2` });
      if (n > BigInt(MAX_REGION_BYTES)) throw new DiagnosticError({ col, message: `.balign ${n}: an alignment past ${REGION_LIMIT}`, hint: 'start the region at an aligned address (at:) instead' });
      return n;
    }
    if (n < 0n || n > BigInt(MAX_ALIGN_POWER)) {
      throw new DiagnosticError({ col, message: `${stmt.op} ${n}: the power of 2 must be 0..${MAX_ALIGN_POWER}: an alignment to 2^${n} bytes is past ${REGION_LIMIT}`, hint: 'start the region at an aligned address (at:) instead' });
    }
    return 1n << n;
  }

  /**
   * Operand `i` of a size directive: a count from 0 to what a region may hold (at most `max`),
   * each of `unit` bytes.
   */
  private count(stmt: Statement, i: number, lenient: Evaluator, unit: bigint, max?: number): number {
    const op = stmt.operands[i];
    const n = this.constant(op, lenient);
    if (n < 0n) throw new DiagnosticError({ col: op.col, message: `${stmt.op}: a negative ${i === 0 ? 'count' : 'size'} (${n})` });
    if (max !== undefined && n > BigInt(max)) throw new DiagnosticError({ col: op.col, message: `${stmt.op}: a unit of ${n} bytes, more than ${max}` });
    if (n * unit > BigInt(MAX_REGION_BYTES)) {
      throw new DiagnosticError({ col: op.col, message: `${stmt.op}: ${n * unit} bytes, past ${REGION_LIMIT}`, hint: FAR_HINT });
    }
    return Number(n);
  }

  private reportLayout(line: number, d: Diagnostic): void {
    this.layoutDiagnostics.push(toAsm(line, d));
  }

  private constant(op: Operand | undefined, lenient: Evaluator): bigint {
    if (!op) throw new DiagnosticError({ col: 0, message: 'a value is missing' });
    const v = lenient(parseExpr(op.text, op.col));
    if (v === undefined) throw new DiagnosticError({ col: op.col, message: `"${op.text}" must be known before assembly (a constant)` });
    return v;
  }

  /**
   * The first entry of the mnemonic whose operands fit, as GNU as picks it: compressed
   * forms first under rvc. `mayGuess` says whether a compressed form may be taken while a
   * target is still unknown (a label further down in this source).
   */
  private choose(stmt: Statement, addr: bigint, rvc: boolean, lenient: Evaluator, mayGuess: () => boolean): { plan: Plan; size: number; optimistic: boolean } {
    const op = stmt.op!;
    const entries = ENTRIES_BY_NAME.get(op) ?? [];
    const macros = MACROS.filter((m) => m.name === op);
    if (entries.length === 0 && macros.length === 0) {
      const near = suggest(op, [...ENTRIES_BY_NAME.keys(), ...MACROS.map((m) => m.name)]);
      throw new DiagnosticError({ col: stmt.opCol, message: `unknown instruction "${op}"`, ...(near ? { hint: `did you mean "${near}"?` } : {}) });
    }
    // The error to report if nothing fits: a 32-bit form's range says more than a
    // compressed form's (addi a0,a0,5000 is out of -2048..2047, not of c.addi's -32..31).
    let rangeDiag: Diagnostic | undefined;
    let compressedRangeDiag: Diagnostic | undefined;
    let parseDiag: Diagnostic | undefined;
    for (const e of entries) {
      const compressedAlias = needsRvc(e);
      if (compressedAlias && !rvc) continue;
      const m = matchEntry(e, stmt.operands, addr, lenient);
      if (m.ok) {
        if (compressedAlias && m.unresolved) {
          if (!mayGuess()) continue; // not known to fit: the 32-bit form
          return { plan: { kind: 'entry', entry: e }, size: e.base.length, optimistic: true };
        }
        return { plan: { kind: 'entry', entry: e }, size: e.base.length, optimistic: false };
      }
      if (!m.shape && m.range && compressedAlias) compressedRangeDiag ??= m.diag;
      else if (!m.shape && m.range) rangeDiag ??= m.diag;
      else if (!m.shape) parseDiag ??= m.diag;
    }
    rangeDiag ??= compressedRangeDiag;
    for (const macro of macros) {
      const args = this.macroArgs(macro, stmt.operands, lenient);
      if (args === undefined) continue;
      if (macro.expander !== 'li') return { plan: { kind: 'macro', macro, args: [...stmt.operands] }, size: 8, optimistic: false };
      if (!('value' in args[1]) || args[1].value === undefined) {
        throw new DiagnosticError({ col: stmt.operands[1].col, message: 'li needs a constant known before assembly' });
      }
      const expansion = EXPANDERS.li(args as MacroArg[], addr, stmt.operands[1].col);
      if ('message' in expansion) throw new DiagnosticError(expansion);
      const insns = this.chooseExpansion(expansion, stmt, addr, rvc);
      return { plan: { kind: 'expanded', insns }, size: insns.reduce((n, c) => n + c.entry.base.length, 0), optimistic: false };
    }
    if (rangeDiag ?? parseDiag) throw new DiagnosticError((rangeDiag ?? parseDiag)!);
    const forms = [...entries.filter((e) => rvc || !needsRvc(e)), ...macros].map((e) => `${e.name} ${e.syntaxText}`.trim());
    throw new DiagnosticError({
      col: stmt.operands[0]?.col ?? stmt.opCol,
      message: `illegal operands \`${stmt.source.replace(/^[^:]*:\s*/, '')}'`,
      hint: `${op} takes: ${[...new Set(forms)].join(' | ')}`,
    });
  }

  /** Entries for a macro's instructions (constant operands), compressed where rvc allows. */
  private chooseExpansion(expansion: readonly ExpandedInsn[], stmt: Statement, addr: bigint, rvc: boolean): Chosen[] {
    const out: Chosen[] = [];
    let a = addr;
    for (const sub of expansion) {
      const operands = sub.operands.map((text) => ({ text, col: stmt.opCol }));
      const constant: Evaluator = (e) => evaluate(e, this.env(0, a, undefined));
      const entry = (ENTRIES_BY_NAME.get(sub.op) ?? []).find((e) => (rvc || !needsRvc(e)) && matchEntry(e, operands, a, constant).ok);
      if (!entry) throw new Error(`macro expanded to an unencodable ${sub.op} ${sub.operands.join(',')}`);
      out.push({ entry, operands });
      a += BigInt(entry.base.length);
    }
    return out;
  }

  /** Macro operands: registers where it wants registers, values where it wants expressions. */
  private macroArgs(macro: MacroEntry, ops: readonly Operand[], ev: Evaluator): Array<MacroArg | { value: undefined }> | undefined {
    if (ops.length !== macro.operands.length) return undefined;
    const out: Array<MacroArg | { value: undefined }> = [];
    for (let i = 0; i < ops.length; i++) {
      const r = registerNumber(ops[i].text);
      if (macro.operands[i] === 'reg') {
        if (r === undefined) return undefined;
        out.push({ reg: r });
      } else {
        if (r !== undefined) return undefined;
        out.push({ value: ev(parseExpr(ops[i].text, ops[i].col)) } as MacroArg | { value: undefined });
      }
    }
    return out;
  }

  /** Pass two: evaluate and encode against all symbols. */
  encode(symbols: SymbolLookup = () => undefined): AsmResult {
    this.encodeDiagnostics = [];
    const size = Number(this.end - this.origin);
    const bytes = new Uint8Array(size);
    const items: AsmItem[] = [];
    const put = (addr: bigint, value: bigint | number, width: number) => {
      let v = BigInt(value);
      const at = Number(addr - this.origin);
      for (let i = 0; i < width; i++, v >>= 8n) bytes[at + i] = Number(v & 0xffn);
    };
    for (const p of this.placed) {
      const strict: Evaluator = (e) => evaluate(e, this.env(p.index, p.addr, symbols));
      const fail = (d: Diagnostic) => {
        const undefinedSym = /^undefined symbol "(.+)"$/.exec(d.message);
        const near = undefinedSym ? suggest(undefinedSym[1], [...this.labels.keys()]) : undefined;
        this.encodeDiagnostics.push(toAsm(p.stmt.line, near && !d.hint ? { ...d, hint: `did you mean "${near}"?` } : d));
      };
      try {
        this.emit(p, strict, put, items, fail);
      } catch (err) {
        if (err instanceof ExprError) fail({ col: err.col, message: err.message });
        else if (err instanceof DiagnosticError) fail(err.diag);
        else throw err;
      }
    }
    return { origin: this.origin, bytes, items, labels: this.labels, diagnostics: this.diagnostics };
  }

  private emit(
    p: Placed,
    strict: Evaluator,
    put: (addr: bigint, value: bigint | number, width: number) => void,
    items: AsmItem[],
    fail: (d: Diagnostic) => void,
  ): void {
    const { stmt, addr, plan } = p;
    const item = (a: bigint, size: number, kind: AsmItem['kind'], bits?: number) =>
      items.push({ addr: a, size, kind, line: stmt.line, source: stmt.source, ...(bits === undefined ? {} : { bits }) });
    const instruction = (entry: InsnEntry, operands: readonly Operand[], a: bigint): boolean => {
      const m = matchEntry(entry, operands, a, strict);
      if (!m.ok) {
        fail(m.shape ? { col: stmt.opCol, message: `illegal operands \`${stmt.source}'` } : m.diag);
        return false;
      }
      const bits = encodeEntry(entry, m.values);
      put(a, bits, entry.base.length);
      item(a, entry.base.length, 'insn', bits);
      return true;
    };
    switch (plan.kind) {
      case 'none':
        return;
      case 'entry':
        instruction(plan.entry, stmt.operands, addr);
        return;
      case 'expanded': {
        let a = addr;
        for (const c of plan.insns) {
          if (!instruction(c.entry, c.operands, a)) return;
          a += BigInt(c.entry.base.length);
        }
        return;
      }
      case 'macro': {
        const args = plan.args.map((o, i): MacroArg =>
          plan.macro.operands[i] === 'reg' ? { reg: registerNumber(o.text)! } : { value: strict(parseExpr(o.text, o.col))! },
        );
        const r = EXPANDERS[plan.macro.expander](args, addr, plan.args[plan.args.length - 1].col);
        if ('message' in r) return fail(r);
        let a = addr;
        for (const sub of r) {
          const operands = sub.operands.map((text) => ({ text, col: stmt.opCol }));
          // Address-dependent macros stay 32-bit, as GNU as leaves them for the linker.
          const entry = (ENTRIES_BY_NAME.get(sub.op) ?? []).find((e) => e.base.length === 4 && matchEntry(e, operands, a, strict).ok);
          if (!entry) throw new Error(`macro ${plan.macro.name} expanded to an unencodable ${sub.op}`);
          instruction(entry, operands, a);
          a += 4n;
        }
        return;
      }
      case 'data': {
        let a = addr;
        for (const op of stmt.operands) {
          const v = strict(parseExpr(op.text, op.col))!;
          const bits = BigInt(plan.width * 8);
          if (v >= 1n << bits || v < -(1n << (bits - 1n))) fail({ col: op.col, message: `${stmt.op}: value ${v} does not fit in ${plan.width} bytes` });
          else put(a, BigInt.asUintN(plan.width * 8, v), plan.width);
          item(a, plan.width, 'data');
          a += BigInt(plan.width);
        }
        return;
      }
      case 'fill':
        this.fill(p, plan, put, item);
        return;
    }
  }

  /** Alignment padding (NOPs in code, as GNU as pads), or .fill/.zero data. */
  private fill(
    p: Placed,
    plan: Extract<Plan, { kind: 'fill' }>,
    put: (addr: bigint, value: bigint | number, width: number) => void,
    item: (a: bigint, size: number, kind: AsmItem['kind'], bits?: number) => void,
  ): void {
    let a = p.addr;
    const end = p.addr + BigInt(p.size);
    if (plan.unit !== undefined) {
      for (; a < end; a += BigInt(plan.unit)) {
        put(a, BigInt.asUintN(Math.min(plan.unit, 8) * 8, plan.value ?? 0n), Math.min(plan.unit, 8));
        item(a, plan.unit, 'data');
      }
      return;
    }
    while (a < end) {
      const left = end - a;
      if (a % 4n === 0n && left >= 4n) {
        put(a, NOP, 4);
        item(a, 4, 'fill', NOP);
        a += 4n;
      } else if (plan.rvc && a % 2n === 0n && left >= 2n) {
        put(a, C_NOP, 2);
        item(a, 2, 'fill', C_NOP);
        a += 2n;
      } else {
        put(a, 0, 1);
        item(a, 1, 'fill');
        a += 1n;
      }
    }
  }
}

function toAsm(line: number, d: Diagnostic): AsmDiagnostic {
  return { line, col: d.col + 1, message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
}

/** Assemble one source at `origin`; its labels and `symbols` resolve its expressions. */
export function assemble(text: string, origin: bigint, symbols: SymbolLookup = () => undefined, options: AsmOptions = {}): AsmResult {
  const a = new Assembly(text, origin, options).layout(symbols);
  return a.encode(symbols);
}
