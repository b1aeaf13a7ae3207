// A two-pass assembler for GNU as syntax. Pass one lays statements out (addresses and
// sizes, labels); pass two evaluates operands against every symbol and encodes. Several
// sources can be laid out first and encoded after, so that they see each other's labels.

import { registerNumber } from '../registers.ts';
import { closestName as suggest } from '../suggest.ts';
import { ENTRIES_BY_NAME, MACROS, needsRvc } from '../table.ts';
import type { InsnEntry, MacroEntry } from '../types.ts';
import { evaluate, ExprError, parseExpr, type Expr, type ExprEnv } from './expr.ts';
import { lex, LexError, type Operand, type Statement } from './lexer.ts';
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
const IGNORED_DIRECTIVES = new Set(['.text', '.globl', '.global', '.type', '.size', '.local', '.weak', '.hidden']);
const NOP = 0x00000013;
const C_NOP = 0x0001;

type Plan =
  | { kind: 'none' }
  | { kind: 'entry'; entry: InsnEntry }
  | { kind: 'macro'; macro: MacroEntry; args: Operand[]; expansion?: ExpandedInsn[] }
  | { kind: 'data'; width: number }
  | { kind: 'fill'; rvc: boolean };

interface Placed {
  readonly stmt: Statement;
  readonly index: number;
  readonly addr: bigint;
  readonly size: number;
  readonly plan: Plan;
}

class DiagnosticError extends Error {
  constructor(readonly diag: Diagnostic) {
    super(diag.message);
  }
}

export class Assembly {
  readonly labels = new Map<string, bigint>();
  readonly diagnostics: AsmDiagnostic[] = [];
  private readonly placed: Placed[] = [];
  private readonly locals: Array<{ label: string; addr: bigint; index: number }> = [];
  private readonly pcrelHi = new Map<bigint, { expr: Expr }>();
  private statements: Statement[] = [];
  end: bigint;

  constructor(
    readonly text: string,
    readonly origin: bigint,
    private readonly options: AsmOptions = {},
  ) {
    this.end = origin;
  }

  private report(line: number, d: Diagnostic): void {
    this.diagnostics.push({ line, col: d.col + 1, message: d.message, ...(d.hint ? { hint: d.hint } : {}) });
  }

  private env(index: number, dot: bigint, symbols: SymbolLookup | undefined): ExprEnv {
    return {
      dot,
      symbol: (name) => this.labels.get(name) ?? symbols?.(name),
      local: (label, dir) => {
        if (dir === 'b') {
          let found: bigint | undefined;
          for (const l of this.locals) if (l.label === label && l.index <= index) found = l.addr;
          return found;
        }
        return this.locals.find((l) => l.label === label && l.index > index)?.addr;
      },
      pcrelHiAt: (addr) => {
        const hi = this.pcrelHi.get(addr);
        if (!hi) return undefined;
        return evaluate(hi.expr, this.env(index, addr, symbols)) - addr;
      },
    };
  }

  /** Pass one: addresses, sizes and labels. `constants` are symbols known before any layout. */
  layout(constants: SymbolLookup = () => undefined): this {
    try {
      this.statements = lex(this.text);
    } catch (err) {
      if (!(err instanceof LexError)) throw err;
      this.diagnostics.push({ line: err.line, col: err.col + 1, message: err.message });
      return this;
    }
    let addr = this.origin;
    let rvc = this.options.rvc ?? false;
    const rvcStack: boolean[] = [];
    this.statements.forEach((stmt, index) => {
      for (const l of stmt.labels) {
        if (/^\d+$/.test(l.name)) this.locals.push({ label: l.name, addr, index });
        else if (this.labels.has(l.name)) this.report(stmt.line, { col: l.col, message: `label "${l.name}" is defined twice` });
        else this.labels.set(l.name, addr);
      }
      const lenient: Evaluator = (e) => {
        try {
          return evaluate(e, this.env(index, addr, constants));
        } catch (err) {
          if (err instanceof ExprError) return undefined;
          throw err;
        }
      };
      let plan: Plan = { kind: 'none' };
      let size = 0;
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
          const n = this.constant(stmt.operands[0], lenient);
          const boundary = stmt.op === '.balign' ? n : 1n << n;
          if (boundary <= 0n || (boundary & (boundary - 1n)) !== 0n) {
            throw new DiagnosticError({ col: stmt.operands[0].col, message: `alignment ${boundary} is not a power of 2` });
          }
          const rem = addr % boundary;
          size = rem === 0n ? 0 : Number(boundary - rem);
          plan = { kind: 'fill', rvc };
        } else if (stmt.op === '.equ' || stmt.op === '.set') {
          const [name, value] = stmt.operands;
          if (!name || !value) throw new DiagnosticError({ col: stmt.opCol, message: `${stmt.op} needs a name and a value` });
          this.labels.set(name.text, this.constant(value, lenient));
        } else if (IGNORED_DIRECTIVES.has(stmt.op) || stmt.op === '.section') {
          // no effect on a flat, already placed region
        } else if (stmt.op.startsWith('.')) {
          throw new DiagnosticError({ col: stmt.opCol, message: `unknown directive ${stmt.op}` });
        } else {
          const chosen = this.choose(stmt, addr, rvc, lenient);
          plan = chosen.plan;
          size = chosen.size;
          if (stmt.op === 'auipc' && stmt.operands[1]?.text.startsWith('%pcrel_hi')) {
            const e = parseExpr(stmt.operands[1].text, stmt.operands[1].col);
            if (e.kind === 'reloc') this.pcrelHi.set(addr, { expr: e.arg });
          }
        }
      } catch (err) {
        if (err instanceof DiagnosticError) this.report(stmt.line, err.diag);
        else if (err instanceof ExprError) this.report(stmt.line, { col: err.col, message: err.message });
        else throw err;
      }
      this.placed.push({ stmt, index, addr, size, plan });
      addr += BigInt(size);
    });
    this.end = addr;
    return this;
  }

  private constant(op: Operand | undefined, lenient: Evaluator): bigint {
    if (!op) throw new DiagnosticError({ col: 0, message: 'a value is missing' });
    const v = lenient(parseExpr(op.text, op.col));
    if (v === undefined) throw new DiagnosticError({ col: op.col, message: `"${op.text}" must be known before assembly (a constant)` });
    return v;
  }

  /** Picks the table entry (or macro) for an instruction statement, as GNU as would. */
  private choose(stmt: Statement, addr: bigint, rvc: boolean, lenient: Evaluator): { plan: Plan; size: number } {
    const op = stmt.op!;
    const entries = ENTRIES_BY_NAME.get(op) ?? [];
    const macros = MACROS.filter((m) => m.name === op);
    if (entries.length === 0 && macros.length === 0) {
      const known = [...ENTRIES_BY_NAME.keys(), ...MACROS.map((m) => m.name)];
      const near = suggest(op, known);
      throw new DiagnosticError({
        col: stmt.opCol,
        message: `unknown instruction "${op}"`,
        ...(near ? { hint: `did you mean "${near}"?` } : {}),
      });
    }
    let rangeDiag: Diagnostic | undefined;
    let parseDiag: Diagnostic | undefined;
    for (const e of entries) {
      // Compressed forms of ordinary mnemonics only under .option rvc; c.* names always.
      const compressedAlias = needsRvc(e);
      if (compressedAlias && !rvc) continue;
      const m = matchEntry(e, stmt.operands, addr, lenient);
      if (m.ok) {
        if (compressedAlias && m.unresolved) continue; // not known to fit yet: take the 32-bit form
        return { plan: { kind: 'entry', entry: e }, size: e.base.length };
      }
      if (!m.shape && m.range) rangeDiag ??= m.diag;
      else if (!m.shape) parseDiag ??= m.diag;
    }
    for (const macro of macros) {
      const args = this.macroArgs(macro, stmt.operands, lenient);
      if (args === undefined) continue;
      if (macro.expander === 'li') {
        if (!('value' in args[1]) || args[1].value === undefined) {
          throw new DiagnosticError({ col: stmt.operands[1].col, message: 'li needs a constant known before assembly' });
        }
        const expansion = EXPANDERS.li(args as MacroArg[], addr, stmt.operands[1].col);
        if ('message' in expansion) throw new DiagnosticError(expansion);
        return { plan: { kind: 'macro', macro, args: [...stmt.operands], expansion }, size: 4 * expansion.length };
      }
      return { plan: { kind: 'macro', macro, args: [...stmt.operands] }, size: 8 };
    }
    if (rangeDiag ?? parseDiag) throw new DiagnosticError((rangeDiag ?? parseDiag)!);
    const forms = [...entries.filter((e) => rvc || !needsRvc(e)), ...macros]
      .map((e) => `${e.name} ${e.syntaxText}`.trim());
    throw new DiagnosticError({
      col: stmt.operands[0]?.col ?? stmt.opCol,
      message: `illegal operands \`${stmt.source.replace(/^[^:]*:\s*/, '')}'`,
      hint: `${op} takes: ${[...new Set(forms)].join(' | ')}`,
    });
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
    const size = Number(this.end - this.origin);
    const bytes = new Uint8Array(size);
    const items: AsmItem[] = [];
    const put = (addr: bigint, value: bigint | number, width: number) => {
      let v = BigInt(value);
      const at = Number(addr - this.origin);
      for (let i = 0; i < width; i++, v >>= 8n) bytes[at + i] = Number(v & 0xffn);
    };
    const knownNames = () => [...this.labels.keys()];
    for (const p of this.placed) {
      const strict: Evaluator = (e) => evaluate(e, this.env(p.index, p.addr, symbols));
      const fail = (d: Diagnostic) => {
        const undefinedSym = /^undefined symbol "(.+)"$/.exec(d.message);
        const near = undefinedSym ? suggest(undefinedSym[1], knownNames()) : undefined;
        this.report(p.stmt.line, near && !d.hint ? { ...d, hint: `did you mean "${near}"?` } : d);
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
    switch (plan.kind) {
      case 'none':
        return;
      case 'entry': {
        const m = matchEntry(plan.entry, stmt.operands, addr, strict);
        if (!m.ok) {
          if (!m.shape) fail(m.diag);
          else fail({ col: stmt.opCol, message: `illegal operands \`${stmt.source}'` });
          return;
        }
        const bits = encodeEntry(plan.entry, m.values);
        put(addr, bits, plan.entry.base.length);
        item(addr, plan.entry.base.length, 'insn', bits);
        return;
      }
      case 'macro': {
        let expansion = plan.expansion;
        if (!expansion) {
          const args = plan.args.map((o, i): MacroArg =>
            plan.macro.operands[i] === 'reg' ? { reg: registerNumber(o.text)! } : { value: strict(parseExpr(o.text, o.col))! },
          );
          const col = plan.args[plan.args.length - 1].col;
          const r = EXPANDERS[plan.macro.expander](args, addr, col);
          if ('message' in r) return fail(r);
          expansion = r;
        }
        let a = addr;
        for (const sub of expansion) {
          const ops = sub.operands.map((text) => ({ text, col: stmt.opCol }));
          const entry = (ENTRIES_BY_NAME.get(sub.op) ?? []).find((e) => e.base.length === 4 && matchEntry(e, ops, a, strict).ok);
          const m = entry && matchEntry(entry, ops, a, strict);
          if (!entry || !m || !m.ok) throw new Error(`macro ${plan.macro.name} expanded to an unencodable ${sub.op}`);
          const bits = encodeEntry(entry, m.values);
          put(a, bits, 4);
          item(a, 4, 'insn', bits);
          a += 4n;
        }
        return;
      }
      case 'data': {
        let a = addr;
        for (const op of stmt.operands) {
          const v = strict(parseExpr(op.text, op.col))!;
          const bits = BigInt(plan.width * 8);
          if (v >= 1n << bits || v < -(1n << (bits - 1n))) {
            fail({ col: op.col, message: `${stmt.op}: value ${v} does not fit in ${plan.width} bytes` });
          } else {
            put(a, BigInt.asUintN(plan.width * 8, v), plan.width);
          }
          item(a, plan.width, 'data');
          a += BigInt(plan.width);
        }
        return;
      }
      case 'fill': {
        let a = addr;
        const end = addr + BigInt(p.size);
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
        return;
      }
    }
  }
}

/** Assemble one source at `origin`; its labels and `symbols` resolve its expressions. */
export function assemble(text: string, origin: bigint, symbols: SymbolLookup = () => undefined, options: AsmOptions = {}): AsmResult {
  const a = new Assembly(text, origin, options).layout(symbols);
  return a.encode(symbols);
}
