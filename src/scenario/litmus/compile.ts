// A herd7 RISC-V litmus test compiled to a Scenario: each thread a remote hart running its
// column of the program from its initial registers, the locations in one data region, the
// final condition one claim (exists: sometimes, ~exists: never, forall: always).

import { ABI_NAMES, closestName, registerNumber } from '../../isa/index.ts';
import { SUITE_CONFIGS, type Claim, type Condition, type FinalLocation, type LitmusInfo, type Region, type RemoteHartSpec, type Scenario, type SourcePos } from '../types.ts';
import { comparisons, resolveCondition, resolveLocation, ResolveError, type ConditionResolver } from './condition.ts';
import { parseLitmus, type LitmusAst } from './parse.ts';
import { Diagnostics, didYouMean, excerpt, type TextOrigin } from './text.ts';
import { assembleInstr, assembleThreads, type ThreadCode } from './threads.ts';
import { parseValue, type ValueSyntax } from './value.ts';

/** Locations live here, one naturally aligned 8-byte slot each, in name order. */
export const DATA_BASE = 0x100000n;
const SLOT = 8;

const REGISTER_NAMES = [...ABI_NAMES, ...ABI_NAMES.map((_, i) => `x${i}`)];
const STORES = new Set(['sb', 'sh', 'sw', 'sd']);
const LOADS = new Set(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu']);

/**
 * Compiles a litmus test. `origin` places the text in its file (a notebook's fenced block);
 * every position, in diagnostics and in the scenario, points into that file.
 * Throws ScenarioError with every error found.
 */
export function compileLitmus(file: string, text: string, origin?: TextOrigin): Scenario {
  const ast = parseLitmus(file, text, origin);
  const diags = new Diagnostics();
  const threads = assembleThreads(ast, diags);
  const ctx = new LitmusContext(ast, threads, diags);
  const regs = ctx.initialState();
  const resolver = ctx.resolver();
  const condition = diags.collect(() => resolveCondition(ast.condition.prop, resolver));
  const extra = ast.locations.map((l) => resolveLocation(l, resolver, diags.list));
  diags.throwIfAny();
  return ctx.scenario(regs, condition!, extra.filter((l): l is FinalLocation => l !== undefined));
}

/** A register whose initial value is a label's address: where stores through it land. */
interface LabelReg {
  readonly thread: number;
  readonly label: string;
}

class LitmusContext {
  /** Location name → address. */
  readonly locations = new Map<string, bigint>();
  /** Initial memory, by location name. */
  private readonly memory = new Map<string, bigint>();
  private readonly valueNames = new Map<bigint, string>();
  /** Per thread: registers initialised to a label's address (known before any value is resolved). */
  private readonly labelRegs: Array<Map<number, LabelReg>>;

  constructor(
    readonly ast: LitmusAst,
    readonly threads: readonly ThreadCode[],
    readonly diags: Diagnostics,
  ) {
    const names = new Set<string>();
    const valueLoc = (s: ValueSyntax | { error: string }) => {
      if (!('error' in s) && s.kind === 'loc') names.add(s.name);
    };
    for (const e of ast.init) {
      if (e.target.kind === 'mem') names.add(e.target.name.text);
      valueLoc(e.value.syntax);
    }
    for (const c of comparisons(ast.condition.prop)) {
      if (c.loc.kind === 'mem') names.add(c.loc.name);
      valueLoc(parseValue(c.value.text));
    }
    for (const l of ast.locations) if (l.kind === 'mem') names.add(l.name);
    [...names].sort().forEach((n, i) => this.locations.set(n, DATA_BASE + BigInt(i * SLOT)));

    this.labelRegs = threads.map(() => new Map());
    for (const e of ast.init) {
      const r = e.target.kind === 'reg' ? registerNumber(e.target.reg.text) : undefined;
      if (e.target.kind === 'reg' && r !== undefined && e.value.syntax.kind === 'label') {
        this.labelRegs[e.target.thread]?.set(r, { thread: e.value.syntax.thread, label: e.value.syntax.label });
      }
    }
  }

  private register(name: string): number {
    const r = registerNumber(name);
    if (r === undefined) throw new ResolveError(`"${name}" is not a register`, didYouMean(closestName(name, REGISTER_NAMES)));
    return r;
  }

  private thread(ref: string): number {
    const k = /^\d+$/.test(ref) ? Number(ref) : -1;
    if (k < 0 || k >= this.threads.length) {
      throw new ResolveError(`there is no thread ${/^\d+$/.test(ref) ? `P${ref}` : `"${ref}"`}`, `the program has ${this.threads.map((t) => t.name).join(', ')}`);
    }
    return k;
  }

  /** The registers each thread starts with; the initial memory is kept for the data region. */
  initialState(): Array<Map<number, bigint>> {
    const regs = this.threads.map(() => new Map<number, bigint>());
    const seen = new Set<string>();
    for (const e of this.ast.init) {
      const t = e.target;
      const key = t.kind === 'reg' ? `${t.thread}:${registerNumber(t.reg.text) ?? t.reg.text}` : `[${t.name.text}]`;
      if (seen.has(key)) this.diags.error(e.pos, `${t.text} is initialised twice`);
      seen.add(key);
      let thread: number | undefined;
      let reg: number | undefined;
      if (t.kind === 'reg') {
        thread = this.attempt(t.threadPos, () => this.thread(String(t.thread)));
        reg = this.attempt(t.reg.pos, () => this.register(t.reg.text));
        if (thread === undefined || reg === undefined) continue;
      }
      const value = this.attempt(e.value.pos, () =>
        this.value(e.value.syntax, () => (thread !== undefined && reg !== undefined ? this.places(thread, reg, 'store') : { none: 'it is not stored in a register' })),
      );
      if (value === undefined) continue;
      if (t.kind === 'mem') this.memory.set(t.name.text, value);
      else if (value !== 0n) regs[thread!].set(reg!, value);
    }
    return regs;
  }

  /** Runs `f`; a ResolveError it throws becomes a diagnostic at `pos` (moved by its offset). */
  private attempt<T>(pos: SourcePos, f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ResolveError)) throw err;
      this.diags.error({ ...pos, col: pos.col + err.offset }, err.message, err.hint);
      return undefined;
    }
  }

  /**
   * A value, unsigned 64-bit. `place` says where an instruction naming a label would be
   * stored (init: the stores of its register) or read from (condition: the loads into it).
   */
  private value(s: ValueSyntax, place: () => Place): bigint {
    switch (s.kind) {
      case 'int':
        return BigInt.asUintN(64, s.value);
      case 'loc':
        return this.locations.get(s.name)!;
      case 'label': {
        const k = this.thread(String(s.thread));
        const addr = this.threads[k].labels.get(s.label);
        if (addr === undefined) {
          const near = closestName(s.label, this.threads[k].labels.keys());
          throw new ResolveError(`P${k} has no label "${s.label}"`, didYouMean(near === undefined ? undefined : `P${k}:${near}`));
        }
        this.nameValue(addr, `P${k}:${s.label}`);
        return addr;
      }
      case 'instr': {
        const bits = this.instr(s.asm, place, s.asmOffset);
        this.nameValue(bits, `instr:"${s.asm}"`);
        return bits;
      }
    }
  }

  private instr(asm: string, place: () => Place, asmOffset: number): bigint {
    const fail = (r: { error: string; hint?: string; col: number }): never => {
      throw new ResolveError(r.error, r.hint, asmOffset + r.col - 1);
    };
    const refs = new Set<string>();
    const alone = assembleInstr(asm, 0n, new Map(), refs);
    if (refs.size === 0) return 'error' in alone ? fail(alone) : BigInt(alone.bits);
    // It names a label: its bits depend on the address it is stored at.
    const p = place();
    if ('none' in p) {
      throw new ResolveError(`instr:"${excerpt(asm)}" names a label, so its encoding depends on where it is: ${p.none}`);
    }
    const r = assembleInstr(asm, p.addr, this.threads[p.thread].labels);
    return 'error' in r ? fail(r) : BigInt(r.bits);
  }

  /**
   * Where thread `t`'s register `reg` is stored to code (`store`: sb..sd with it as data)
   * or loaded from code (`load`: a load into it), through a base register holding a label.
   */
  places(t: number, reg: number, how: 'store' | 'load'): Place {
    const found = new Map<bigint, { thread: number; text: string }>();
    for (const { decoded: d } of this.threads[t].insns) {
      const hit = how === 'store' ? STORES.has(d.op) && d.rs2 === reg : LOADS.has(d.op) && d.rd === reg;
      const base = hit ? this.labelRegs[t].get(d.rs1) : undefined;
      const addr = base && this.threads[base.thread]?.labels.get(base.label);
      if (base && addr !== undefined) found.set(addr + BigInt(d.imm), { thread: base.thread, text: `P${base.thread}:${base.label}${d.imm > 0 ? `+${d.imm}` : d.imm < 0 ? `${d.imm}` : ''}` });
    }
    const r = ABI_NAMES[reg];
    const what = how === 'store' ? `no store of ${this.threads[t].name} writes ${r} to a label's address` : `no load of ${this.threads[t].name} reads ${r} from a label's address`;
    if (found.size === 0) return { none: what };
    if (found.size > 1) return { none: `${this.threads[t].name} ${how}s ${r} at several addresses (${[...found.values()].map((f) => f.text).join(', ')})` };
    const [[addr, { thread }]] = [...found];
    return { addr, thread };
  }

  private nameValue(v: bigint, name: string): void {
    if (!this.valueNames.has(v)) this.valueNames.set(v, name);
  }

  resolver(): ConditionResolver {
    return {
      hart: (ref) => this.thread(ref),
      register: (_hart, name) => this.register(name),
      location: (name) => {
        const addr = this.locations.get(name);
        if (addr === undefined) throw new ResolveError(`"${name}" is not a location`);
        return { addr, size: SLOT };
      },
      value: (text, loc) => {
        const s = parseValue(text);
        if ('error' in s) throw new ResolveError(s.error);
        const place = (): Place => (loc.kind === 'reg' ? this.places(loc.hart, loc.reg, 'load') : { none: 'it is compared with memory, not with a register loaded from code' });
        return this.value(s, place);
      },
    };
  }

  scenario(regs: Array<Map<number, bigint>>, condition: Condition, extra: readonly FinalLocation[]): Scenario {
    const { ast, threads } = this;
    const regions: Region[] = threads.map((t) => ({ name: t.name, base: t.base, bytes: t.bytes, kind: 'code' }));
    if (this.locations.size) {
      const bytes = new Uint8Array(this.locations.size * SLOT);
      for (const [name, addr] of this.locations) {
        let v = this.memory.get(name) ?? 0n;
        for (let i = 0; i < SLOT; i++, v >>= 8n) bytes[Number(addr - DATA_BASE) + i] = Number(v & 0xffn);
      }
      regions.push({ name: 'data', base: DATA_BASE, bytes, kind: 'data' });
    }
    const harts: RemoteHartSpec[] = threads.map((t, k) => ({ name: t.name, start: t.base, idleAt: t.end, ipiWhileRunning: false, regs: regs[k] }));

    const symbols = new Map<string, bigint>(regions.map((r) => [r.name, r.base]));
    threads.forEach((t, k) => t.labels.forEach((addr, label) => symbols.set(`P${k}:${label}`, addr)));
    for (const [name, addr] of this.locations) symbols.set(name, addr);
    // Every location and label is worth printing by name, after the literals the test used.
    for (const [name, addr] of this.locations) this.nameValue(addr, name);
    threads.forEach((t, k) => t.labels.forEach((addr, label) => this.nameValue(addr, `P${k}:${label}`)));

    const c = ast.condition;
    const litmus: LitmusInfo = {
      name: ast.name,
      quantifier: c.quantifier,
      condition,
      conditionText: c.text,
      observed: observed(condition, extra),
      valueNames: this.valueNames,
    };
    const claim: Claim = {
      quantifier: c.quantifier === 'exists' ? 'sometimes' : c.quantifier === '~exists' ? 'never' : 'always',
      predicate: { kind: 'final', condition, pos: c.propPos },
      text: c.line,
      pos: c.pos,
    };
    return {
      name: ast.name,
      ...(ast.doc !== undefined ? { description: ast.doc } : {}),
      pos: ast.pos,
      system: { regions, stubs: [], harts, patchers: [], fixups: [], model: { fetch: SUITE_CONFIGS, stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' } },
      symbols,
      listing: threads.flatMap((t) => t.listing),
      claims: [claim],
      budget: {},
      litmus,
    };
  }
}

type Place = { readonly addr: bigint; readonly thread: number } | { readonly none: string };

/** The condition's locations in the order written, then the `locations [...]` ones, each once. */
function observed(c: Condition, extra: readonly FinalLocation[]): FinalLocation[] {
  const out: FinalLocation[] = [];
  const seen = new Set<string>();
  const add = (l: FinalLocation) => {
    const key = l.kind === 'reg' ? `r${l.hart}:${l.reg}` : `m${l.addr}`;
    if (!seen.has(key)) out.push(l);
    seen.add(key);
  };
  const walk = (q: Condition): void => {
    if (q.kind === 'eq') add(q.loc);
    else if (q.kind === 'not') walk(q.arg);
    else if (q.kind === 'and' || q.kind === 'or') q.args.forEach(walk);
  };
  walk(c);
  extra.forEach(add);
  return out;
}
