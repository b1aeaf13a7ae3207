// Expressions in GNU as syntax: numbers, symbols, `.`, numeric local labels (1b, 1f),
// the RISC-V operators %hi, %lo, %pcrel_hi, %pcrel_lo, and C-like arithmetic with GNU as
// precedence (* / % << >> bind tighter than | & ^, which bind tighter than + -).
// Values are bigints: kernel addresses do not fit a JS number.

import { PAIR_REACH, hexDistance, hi20, lo12, pcDistance, within } from '../reach.ts';

export type Expr =
  | { kind: 'num'; value: bigint; col: number }
  | { kind: 'sym'; name: string; col: number }
  | { kind: 'dot'; col: number }
  | { kind: 'local'; label: string; dir: 'b' | 'f'; col: number }
  | { kind: 'unary'; op: '-' | '~' | '+'; arg: Expr; col: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; col: number }
  | { kind: 'reloc'; op: RelocOp; arg: Expr; col: number };

export type RelocOp = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';

export class ExprError extends Error {
  constructor(
    message: string,
    /** 0-based column in the text the parser was given. */
    readonly col: number,
  ) {
    super(message);
  }
}

/** What evaluation needs from the assembler. */
export interface ExprEnv {
  /** Address of the statement being assembled: the value of `.`. */
  readonly dot: bigint;
  symbol(name: string): bigint | undefined;
  /** Nearest definition of numeric label `label` before (b) or after (f) the statement. */
  local(label: string, dir: 'b' | 'f'): bigint | undefined;
  /** %pcrel_lo(L): the offset the %pcrel_hi at address L computes (target - L). */
  pcrelHiAt(addr: bigint): bigint | undefined;
}

const BINARY_LEVELS: string[][] = [
  ['+', '-'],
  ['|', '&', '^'],
  ['*', '/', '%', '<<', '>>'],
];

/**
 * How deep an expression may nest: parentheses, prefix operators and chained binary
 * operators each add a level. Parsing and evaluation recurse once per level, so this
 * bounds their stack; real operands are a few levels deep.
 */
export const MAX_EXPR_DEPTH = 256;

const heights = new WeakMap<Expr, number>();
const height = (e: Expr) => heights.get(e) ?? 1;

/** Parses one expression from `text` (whole string), columns reported from `base`. */
export function parseExpr(text: string, base = 0): Expr {
  const p = new Parser(text, base);
  const e = p.expression();
  p.skipSpace();
  if (!p.atEnd()) throw new ExprError(`unexpected "${p.rest()}" in expression`, p.col());
  return e;
}

class Parser {
  private i = 0;
  /** Levels entered and not yet left: parentheses, %reloc( and prefix operators. */
  private depth = 0;
  constructor(
    private readonly s: string,
    private readonly base: number,
  ) {}

  col(): number {
    return this.base + this.i;
  }
  atEnd(): boolean {
    return this.i >= this.s.length;
  }
  rest(): string {
    return this.s.slice(this.i);
  }
  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  expression(level = 0): Expr {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.expression(level + 1);
    for (;;) {
      this.skipSpace();
      const op = BINARY_LEVELS[level].find((o) => this.s.startsWith(o, this.i));
      if (!op) return left;
      const col = this.col();
      this.i += op.length;
      const right = this.expression(level + 1);
      left = this.deep({ kind: 'binary', op, left, right, col }, 1 + Math.max(height(left), height(right)));
    }
  }

  /** `e`, of height `h`, unless that is more than the limit. */
  private deep(e: Expr, h: number): Expr {
    if (h > MAX_EXPR_DEPTH) throw new ExprError(`expression nested more than ${MAX_EXPR_DEPTH} levels deep (parentheses and operators)`, e.col);
    heights.set(e, h);
    return e;
  }

  /** Parses one nested level with `inner`, refusing to go deeper than the limit. */
  private nested<T extends Expr>(col: number, inner: () => T): T {
    if (++this.depth > MAX_EXPR_DEPTH) throw new ExprError(`expression nested more than ${MAX_EXPR_DEPTH} levels deep (parentheses and operators)`, col);
    const e = inner();
    this.depth--;
    return e;
  }

  unary(): Expr {
    this.skipSpace();
    const c = this.s[this.i];
    const col = this.col();
    if (c === '-' || c === '~' || c === '+') {
      this.i++;
      const arg = this.nested(col, () => this.unary());
      return this.deep({ kind: 'unary', op: c, arg, col }, 1 + height(arg));
    }
    return this.primary();
  }

  primary(): Expr {
    this.skipSpace();
    const col = this.col();
    const rest = this.rest();
    if (rest.length === 0) throw new ExprError('expression expected', col);
    if (rest[0] === '(') {
      this.i++;
      const e = this.nested(col, () => this.expression());
      this.expect(')');
      return this.deep(e, height(e) + 1);
    }
    const reloc = /^%(hi|lo|pcrel_hi|pcrel_lo)\s*\(/.exec(rest);
    if (reloc) {
      this.i += reloc[0].length;
      const arg = this.nested(col, () => this.expression());
      this.expect(')');
      return this.deep({ kind: 'reloc', op: reloc[1] as RelocOp, arg, col }, 1 + height(arg));
    }
    if (rest[0] === '%') throw new ExprError(`unknown operator ${/^%\w*/.exec(rest)![0]}`, col);
    const local = /^(\d+)([bf])(?![\w.$])/.exec(rest);
    if (local) {
      this.i += local[0].length;
      return { kind: 'local', label: local[1], dir: local[2] as 'b' | 'f', col };
    }
    const num = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)(?![\w.$])/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return { kind: 'num', value: parseNumber(num[1]), col };
    }
    const sym = /^[A-Za-z_.$][\w.$]*/.exec(rest);
    if (sym) {
      this.i += sym[0].length;
      return sym[0] === '.' ? { kind: 'dot', col } : { kind: 'sym', name: sym[0], col };
    }
    throw new ExprError(`unexpected "${rest[0]}" in expression`, col);
  }

  expect(ch: string): void {
    this.skipSpace();
    if (this.s[this.i] !== ch) throw new ExprError(`"${ch}" expected`, this.col());
    this.i++;
  }
}

/** GNU as reads a leading 0 as octal. */
function parseNumber(text: string): bigint {
  if (/^0[0-7]+$/.test(text)) return BigInt('0o' + text.slice(1));
  if (/^0\d+$/.test(text)) throw new ExprError(`bad octal number ${text}`, 0);
  return BigInt(text);
}

/** Symbols an expression refers to, for diagnostics and dependency checks. */
export function exprSymbols(e: Expr): string[] {
  switch (e.kind) {
    case 'sym':
      return [e.name];
    case 'unary':
    case 'reloc':
      return exprSymbols(e.arg);
    case 'binary':
      return [...exprSymbols(e.left), ...exprSymbols(e.right)];
    default:
      return [];
  }
}

/** Evaluates to a mathematical integer; fields and memory truncate or range-check it. */
export function evaluate(e: Expr, env: ExprEnv): bigint {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'dot':
      return env.dot;
    case 'sym': {
      const v = env.symbol(e.name);
      if (v === undefined) throw new ExprError(`undefined symbol "${e.name}"`, e.col);
      return v;
    }
    case 'local': {
      const v = env.local(e.label, e.dir);
      if (v === undefined) {
        const where = e.dir === 'b' ? 'before' : 'after';
        throw new ExprError(`no local label "${e.label}:" ${where} this line`, e.col);
      }
      return v;
    }
    case 'unary': {
      const v = evaluate(e.arg, env);
      return e.op === '-' ? -v : e.op === '~' ? ~v : v;
    }
    case 'binary':
      return binary(e, evaluate(e.left, env), evaluate(e.right, env));
    case 'reloc':
      return reloc(e, env);
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, a: bigint, b: bigint): bigint {
  switch (e.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0n) throw new ExprError('division by zero', e.col);
      return e.op === '/' ? a / b : a % b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
  }
  throw new ExprError(`unknown operator ${e.op}`, e.col);
}

function reloc(e: Extract<Expr, { kind: 'reloc' }>, env: ExprEnv): bigint {
  const v = evaluate(e.arg, env);
  switch (e.op) {
    case 'hi':
      return hi20(v) & 0xfffffn;
    case 'lo':
      return lo12(v);
    case 'pcrel_hi': {
      const d = pcDistance(v, env.dot);
      if (!within(PAIR_REACH, d)) {
        throw new ExprError(`the target is ${hexDistance(d)} away: beyond the ${PAIR_REACH.text} an AUIPC+JALR pair reaches`, e.col);
      }
      return hi20(d) & 0xfffffn;
    }
    case 'pcrel_lo': {
      const off = env.pcrelHiAt(v);
      if (off === undefined) {
        throw new ExprError('%pcrel_lo must name the label of an auipc with a %pcrel_hi operand', e.col);
      }
      return lo12(off);
    }
  }
}
