// herd's propositions over final values: `0:s0=2 /\ (x=1 \/ ~[y]=0)`. Parsed in two steps
// so that a caller can look at what a condition names before resolving it (the litmus
// compiler allocates every location it names first): syntax with positions, then the
// `Condition` a resolver turns it into. Hart references may be numbers (`0:a0`, litmus
// threads) or names (`cpu1:a0`, a notebook's harts): the resolver decides.

import { LIMITS } from '../limits.ts';
import { ScenarioError, type Condition, type Diagnostic, type FinalLocation, type SourcePos } from '../types.ts';

/** Where a final value is read, as written. */
export type LocationSyntax =
  | { readonly kind: 'reg'; readonly hart: string; readonly reg: string; readonly text: string; readonly pos: SourcePos; readonly regPos: SourcePos }
  | { readonly kind: 'mem'; readonly name: string; readonly text: string; readonly pos: SourcePos; readonly namePos: SourcePos };

export interface ValueText {
  readonly text: string;
  readonly pos: SourcePos;
}

export type PropSyntax =
  | { readonly kind: 'eq'; readonly loc: LocationSyntax; readonly value: ValueText; readonly pos: SourcePos }
  | { readonly kind: 'not'; readonly arg: PropSyntax }
  | { readonly kind: 'and' | 'or'; readonly args: readonly PropSyntax[] }
  | { readonly kind: 'true' | 'false' };

/**
 * Turns the names of a condition into machine terms. Each method throws ResolveError for
 * a name it does not know; the parser reports it where the name is written.
 */
export interface ConditionResolver {
  /** `0` or `cpu1` in `0:a0`: the index the final state knows the hart by. */
  hart(ref: string): number;
  register(hart: number, name: string): number;
  location(name: string): { readonly addr: bigint; readonly size: number };
  /** The value compared with `loc`, as written (`2`, `instr:"nop"`, `P1:mod`, `x`). */
  value(text: string, loc: FinalLocation): bigint;
}

export class ResolveError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** Where in the resolved text the problem is (0: its start). */
    readonly offset = 0,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- lexing

type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | ':' | '=' | '/\\' | '\\/' | '~' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly offset: number;
}

const WORD = /[\w.\-$]/;

function lex(text: string, at: (offset: number) => SourcePos): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('/\\', i) || text.startsWith('\\/', i)) {
      out.push({ kind: text.slice(i, i + 2) as TokenKind, text: text.slice(i, i + 2), offset: i });
      i += 2;
    } else if ('()[]:=~'.includes(c)) {
      out.push({ kind: c as TokenKind, text: c, offset: i });
      i++;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close < 0 || (nl >= 0 && nl < close)) throw syntax(at(i), 'this string has no closing "');
      out.push({ kind: 'string', text: text.slice(i, close + 1), offset: i });
      i = close + 1;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i])) i++;
      out.push({ kind: 'word', text: text.slice(start, i), offset: start });
    } else {
      throw syntax(at(i), `unexpected "${c}" in the condition`);
    }
  }
  out.push({ kind: 'end', text: '', offset: text.trimEnd().length });
  return out;
}

function syntax(pos: SourcePos, message: string, hint?: string): ScenarioError {
  return new ScenarioError([hint ? { pos, message, hint } : { pos, message }]);
}

// ---------------------------------------------------------------- parsing

/** The syntax of a proposition; throws ScenarioError at the first token that does not fit. */
export function parseProposition(text: string, at: (offset: number) => SourcePos): PropSyntax {
  const tokens = lex(text, at);
  let k = 0;
  const peek = () => tokens[k];
  const next = () => tokens[k++];
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the condition' : `"${t.text}"`);
  const expect = (kind: TokenKind, what: string): Token => {
    const t = next();
    if (t.kind !== kind) throw syntax(at(t.offset), `expected ${what}, found ${describe(t)}`);
    return t;
  };

  // \/ binds weaker than /\, which binds weaker than ~, as in herd.
  const disjunction = (): PropSyntax => {
    const args = [conjunction()];
    while (peek().kind === '\\/') {
      next();
      args.push(conjunction());
    }
    return args.length === 1 ? args[0] : { kind: 'or', args };
  };
  const conjunction = (): PropSyntax => {
    const args = [unary()];
    while (peek().kind === '/\\') {
      next();
      args.push(unary());
    }
    return args.length === 1 ? args[0] : { kind: 'and', args };
  };
  // Parentheses and negations open levels the parser recurses into: bounded, so that
  // 5,000 of them are an error at the one past the limit, not a stack overflow.
  let depth = 0;
  const nested = <T>(t: Token, f: () => T): T => {
    if (++depth > LIMITS.nesting) throw syntax(at(t.offset), `parentheses and ~ nested deeper than ${LIMITS.nesting} levels, the limit on nesting`);
    const r = f();
    depth--;
    return r;
  };
  const unary = (): PropSyntax => {
    const t = peek();
    if (t.kind === '~') {
      next();
      return nested(t, () => ({ kind: 'not', arg: unary() }));
    }
    if (t.kind === '(') {
      next();
      return nested(t, () => {
        const inner = disjunction();
        expect(')', '")"');
        return inner;
      });
    }
    // `true` and `false` are constants unless a location of that name is compared.
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false') && tokens[k + 1].kind !== '=') {
      next();
      return { kind: t.text };
    }
    return atom();
  };
  const atom = (): PropSyntax => {
    const first = peek();
    let loc: LocationSyntax;
    if (first.kind === '[') {
      next();
      const name = expect('word', 'a location name');
      const close = expect(']', '"]"');
      loc = { kind: 'mem', name: name.text, text: text.slice(first.offset, close.offset + 1), pos: at(first.offset), namePos: at(name.offset) };
    } else if (first.kind === 'word') {
      next();
      if (peek().kind === ':') {
        next();
        const reg = expect('word', `a register after "${first.text}:"`);
        loc = { kind: 'reg', hart: first.text, reg: reg.text, text: text.slice(first.offset, reg.offset + reg.text.length), pos: at(first.offset), regPos: at(reg.offset) };
      } else {
        loc = { kind: 'mem', name: first.text, text: first.text, pos: at(first.offset), namePos: at(first.offset) };
      }
    } else {
      throw syntax(at(first.offset), `expected a comparison such as 0:a0=1, found ${describe(first)}`);
    }
    expect('=', `"=" after ${loc.text}`);
    return { kind: 'eq', loc, value: value(), pos: loc.pos };
  };
  // A value: a word, or word:word / word:"string" (P1:mod, instr:"nop").
  const value = (): ValueText => {
    const first = expect('word', 'a value');
    let last: Token = first;
    if (peek().kind === ':') {
      next();
      last = next();
      if (last.kind !== 'word' && last.kind !== 'string') throw syntax(at(last.offset), `expected a label or "instruction" after "${first.text}:", found ${describe(last)}`);
    }
    return { text: text.slice(first.offset, last.offset + last.text.length), pos: at(first.offset) };
  };

  if (peek().kind === 'end') throw syntax(at(peek().offset), 'the condition is empty');
  const prop = disjunction();
  if (peek().kind !== 'end') {
    const t = peek();
    throw syntax(at(t.offset), `unexpected ${describe(t)} in the condition`, t.kind === 'word' || t.kind === '(' || t.kind === '[' || t.kind === '~' ? 'join conditions with /\\ or \\/' : undefined);
  }
  return prop;
}

// ---------------------------------------------------------------- resolving

/** Visits the comparisons of a proposition in the order they are written. */
export function comparisons(p: PropSyntax): Array<Extract<PropSyntax, { kind: 'eq' }>> {
  switch (p.kind) {
    case 'eq':
      return [p];
    case 'not':
      return comparisons(p.arg);
    case 'and':
    case 'or':
      return p.args.flatMap(comparisons);
    default:
      return [];
  }
}

/**
 * Resolves one location; errors go to `diags`. Exported for other places that name final
 * locations in herd's syntax (a litmus test's `locations [...]`).
 */
export function resolveLocation(loc: LocationSyntax, resolver: ConditionResolver, diags: Diagnostic[]): FinalLocation | undefined {
  const attempt = <T>(pos: SourcePos, f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ResolveError)) throw err;
      diags.push(resolveDiagnostic(pos, err));
      return undefined;
    }
  };
  if (loc.kind === 'mem') {
    const m = attempt(loc.namePos, () => resolver.location(loc.name));
    return m && { kind: 'mem', addr: m.addr, size: m.size, name: loc.name };
  }
  const hart = attempt(loc.pos, () => resolver.hart(loc.hart));
  if (hart === undefined) return undefined;
  const reg = attempt(loc.regPos, () => resolver.register(hart, loc.reg));
  return reg === undefined ? undefined : { kind: 'reg', hart, reg, name: loc.text };
}

function resolveDiagnostic(pos: SourcePos, err: ResolveError): Diagnostic {
  const p = { ...pos, col: pos.col + err.offset };
  return err.hint ? { pos: p, message: err.message, hint: err.hint } : { pos: p, message: err.message };
}

/**
 * A constant as the location holds it: as many bits as the location has (a register 64, a
 * memory location its size), a negative constant in two's complement. One that does not
 * fit could never be equal to the final value: an error, not a comparison that never
 * holds (a `sometimes` that fails, a `never` that passes, for want of a bit).
 */
function fitted(v: bigint, loc: FinalLocation, text: string): bigint {
  const bits = loc.kind === 'reg' ? 64 : loc.size * 8;
  const min = -(1n << BigInt(bits - 1));
  const max = (1n << BigInt(bits)) - 1n;
  if (v < min || v > max) {
    const what = loc.kind === 'reg' ? `${loc.name}, a 64-bit register` : `${loc.name}, ${loc.size} byte${loc.size === 1 ? '' : 's'}`;
    throw new ResolveError(`${text} does not fit in ${what}`, `write a value from ${min} to ${max} (0x${max.toString(16)}); a negative one is read in two's complement`);
  }
  return BigInt.asUintN(bits, v);
}

/** The Condition a proposition stands for; every unknown name reported in one ScenarioError. */
export function resolveCondition(p: PropSyntax, resolver: ConditionResolver): Condition {
  const diags: Diagnostic[] = [];
  const walk = (q: PropSyntax): Condition => {
    switch (q.kind) {
      case 'eq': {
        const loc = resolveLocation(q.loc, resolver, diags);
        let value = 0n;
        if (loc) {
          try {
            value = fitted(resolver.value(q.value.text, loc), loc, q.value.text);
          } catch (err) {
            if (!(err instanceof ResolveError)) throw err;
            diags.push(resolveDiagnostic(q.value.pos, err));
          }
        }
        const placeholder: FinalLocation = { kind: 'mem', addr: 0n, size: 8, name: q.loc.text };
        return { kind: 'eq', loc: loc ?? placeholder, value, valueText: q.value.text, pos: q.pos };
      }
      case 'not':
        return { kind: 'not', arg: walk(q.arg) };
      case 'and':
      case 'or':
        return { kind: q.kind, args: q.args.map(walk) };
      default:
        return { kind: q.kind };
    }
  };
  const c = walk(p);
  if (diags.length) throw new ScenarioError(diags);
  return c;
}

/**
 * A proposition in herd's syntax, resolved. `at` maps an offset into `text` to where it
 * is written. Throws ScenarioError: at the first syntax error, or at every unknown name.
 */
export function parseCondition(text: string, at: (offset: number) => SourcePos, resolver: ConditionResolver): Condition {
  return resolveCondition(parseProposition(text, at), resolver);
}
