// Claims (never / always / sometimes over a predicate) and the author's interleaving
// table, read into data the verdict stage judges. The table's rows are written the way
// people write them on mailing lists, one per line: `ff0f4 -- impossible, would be
// ff0f04, updated seq`.

import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { assemble, closestName, evaluate, ExprError, parseExpr, registerNumber } from '../isa/index.ts';
import { child, closestHint, mapEntries, scalarText, seqItems, stringList, type Context, type Located } from './context.ts';
import { parseCondition, ResolveError, type ConditionResolver } from './litmus/condition.ts';
import { instructionAt } from './steps.ts';
import type {
  PatcherSpec,
  StepRef,
  Claim,
  Diagnostic,
  EndingKind,
  FetchConfigName,
  HartClass,
  InsnRef,
  Letter,
  ListingLine,
  Predicate,
  Quantifier,
  RemoteHartSpec,
  RowClaim,
  Scenario,
  SignatureTable,
  SourcePos,
  Stub,
  TableRow,
} from './types.ts';
import { FETCH_CONFIG_NAMES, ScenarioError } from './types.ts';

/** The predicate's text as the author wrote it, on one line. */
export function sourceText(at: Located): string {
  const r = at.node?.range;
  if (!r) return '';
  return at.src.block.source.slice(r[0], r[1]).replace(/\s*\n\s*/g, ' ').replace(/\s+#.*$/, '').trim();
}

/**
 * A node on one line, as valid YAML: its source where it is a scalar or already written in
 * flow style (joined onto one line), a block collection rewritten in flow style around its
 * items' own source (so `any:` over block items reads `{ any: [{ ... }, { ... }] }`, never
 * `any: - { ... } - { ... }`, which is not YAML).
 */
function flowText(at: Located): string {
  const n = at.node;
  const nested = (node: unknown) => flowText({ node: node as Located['node'], src: at.src });
  if (isMap(n) && !n.flow) return `{ ${n.items.map((p) => `${sourceText({ node: p.key as Located['node'], src: at.src })}: ${nested(p.value)}`).join(', ')} }`;
  if (isSeq(n) && !n.flow) return `[${n.items.map(nested).join(', ')}]`;
  return sourceText(at);
}

/**
 * A claim's `q: predicate` as the author laid it out, its later lines indented relative
 * to the key: a predicate written in block style over several lines cannot be joined onto
 * one (`any: - { ... } - { ... }` is not YAML), so a report that shows its shape shows this.
 */
function writtenLines(item: Located, q: string): string | undefined {
  if (!isMap(item.node)) return undefined;
  const pair = item.node.items.find((p) => isScalar(p.key) && String(p.key.value) === q);
  const start = (pair?.key as Scalar | undefined)?.range?.[0];
  const end = (pair?.value as { range?: [number, number, number] } | null | undefined)?.range?.[1];
  if (start === undefined || end === undefined) return undefined;
  const source = item.src.block.source;
  const column = start - (source.lastIndexOf('\n', start - 1) + 1);
  const [first, ...rest] = source.slice(start, end).split(/\r?\n/);
  const dedent = (line: string) => line.slice(Math.min(column, /^ */.exec(line)![0].length));
  const lines = [first, ...rest.map(dedent)].map((l) => l.trimEnd());
  // A block collection's range runs on over the blank and comment lines that follow it.
  while (lines.length > 1 && /^\s*(#.*)?$/.test(lines[lines.length - 1])) lines.pop();
  return lines.join('\n');
}

const QUOTED_CONDITION_HINT = 'inside double quotes YAML reads a backslash as an escape, so "/\\ " and "\\/" lose theirs: put the condition in single quotes, or double each backslash';

/** A double-quoted `final:` whose /\ or \/ YAML read as an escape (`\ ` is a space, `\/` a slash). */
function escapedConnective(final: Located): boolean {
  const node = final.node;
  if (!isScalar(node) || node.type !== Scalar.QUOTE_DOUBLE || !node.range) return false;
  return /(^|[^\\])(\\\\)*(\/\\ |\\\/)/.test(final.src.block.source.slice(node.range[0], node.range[1]));
}

/** What a `final:` condition may name: the remote harts (by name) and the data as laid out. */
export interface FinalScope {
  readonly harts: readonly RemoteHartSpec[];
  readonly listing: readonly ListingLine[];
}

/** Names in a notebook's `final:` condition: harts by name, registers, data symbols (sized as declared). */
function finalResolver(ctx: Context, scope: FinalScope): ConditionResolver {
  const hartNames = scope.harts.map((h) => h.name);
  return {
    hart(ref) {
      const i = hartNames.indexOf(ref);
      if (i < 0) throw new ResolveError(`"${ref}" is not a remote hart`, closestHint(ref, hartNames));
      return i;
    },
    register(_hart, name) {
      const r = registerNumber(name);
      if (r === undefined) throw new ResolveError(`"${name}" is not a register`);
      return r;
    },
    location(name) {
      const addr = ctx.symbols.get(name);
      if (addr === undefined) throw new ResolveError(`"${name}" is not a known symbol`, closestName(name, [...ctx.symbols.keys()]) ? `did you mean "${closestName(name, [...ctx.symbols.keys()])}"?` : undefined);
      // Read as many bytes as the datum or instruction there has (.word: 4, c.nop: 2), else a doubleword.
      const line = scope.listing.find((l) => l.addr === addr && [1, 2, 4, 8].includes(l.size));
      return { addr, size: line?.size ?? 8 };
    },
    value(text) {
      const instr = /^instr:"(.*)"$/.exec(text);
      if (instr) {
        const r = assemble(instr[1], 0n);
        if (r.diagnostics.length || r.bytes.length < 2) throw new ResolveError(`not one instruction: ${instr[1]}`);
        let v = 0n;
        for (let i = r.bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.bytes[i]);
        return v;
      }
      try {
        return evaluate(parseExpr(text), { dot: 0n, symbol: (n) => ctx.symbols.get(n), local: () => undefined, pcrelHiAt: () => undefined });
      } catch (err) {
        if (err instanceof ExprError) throw new ResolveError(err.message);
        throw err;
      }
    },
  };
}

/** What predicates may name besides stubs: final values (claims only), and the patching harts' steps. */
export interface PredicateScope {
  readonly final?: FinalScope;
  readonly patchers: readonly PatcherSpec[];
  /** The remote harts, where `final` is not given (the table's classes). */
  readonly harts?: readonly RemoteHartSpec[];
  /** Whether `size` bytes at `addr` lie in one code region, where a hart can run them. */
  readonly isCode: (addr: bigint, size: number) => boolean;
}

export function buildPredicate(ctx: Context, at: Located, stubs: readonly Stub[], where: PredicateScope): Predicate | undefined {
  const scope = where.final;
  const pos = at.src.of(at.node);
  const stubNames = stubs.map((s) => s.name);
  const checkStubs = (list: Array<{ text: string; at: Located }>) => {
    for (const t of list) {
      if (!stubNames.includes(t.text)) ctx.error(t.at, `"${t.text}" is not a stub`, closestHint(t.text, stubNames));
    }
    return list.map((t) => t.text);
  };
  if (isScalar(at.node)) {
    const word = String(at.node.value);
    if (word === 'no-calls') return { kind: 'no-calls', pos };
    if (word === 'preempted' || word === 'migrated') {
      // A claim about a move no task can make could never fail: say so rather than pass it.
      const harts = where.final?.harts ?? where.harts ?? [];
      const movable = harts.filter((h) => h.preempt && (word === 'preempted' || h.preempt.migrate !== false));
      if (!movable.length || (word === 'migrated' && harts.length < 2)) {
        ctx.error(at, `no task here can be ${word}: "${word}" never holds`, word === 'preempted' ? 'give a remote hart preempt: true and timer interrupts (timer: { count: 1 })' : 'a task migrates when it is preemptible (preempt: true, with timer interrupts) and another hart (spare-harts: 1) can resume it');
        return undefined;
      }
      return { kind: 'moved', how: word, pos };
    }
    return { kind: 'ending', ending: word as EndingKind | 'crash', pos };
  }
  if (!isMap(at.node)) return undefined;
  const calls = child(at, 'calls');
  if (calls) {
    const targets = checkStubs(stringList(calls));
    // A claim that cannot fail is an error, not a pass: a call to none of no stubs never happens.
    if (!targets.length) ctx.error(calls, '"calls" names no stub: it never holds', stubNames.length ? `name the stubs it is about: { calls: ${stubNames[0]} }` : 'declare the routine under stubs: and name it here');
    return targets.length ? { kind: 'calls', targets, pos } : undefined;
  }
  const outside = child(at, 'call-outside');
  if (outside) return { kind: 'call-outside', allowed: checkStubs(stringList(outside)), pos };
  const final = child(at, 'final');
  if (final) {
    if (!scope) {
      ctx.error(final, '"final" is not available here');
      return undefined;
    }
    const text = scalarText(final) ?? '';
    try {
      const condition = parseCondition(text, (offset) => final.src.inScalar(final.node, 1, offset + 1), finalResolver(ctx, scope));
      return { kind: 'final', condition, pos };
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      const hint = escapedConnective(final) ? QUOTED_CONDITION_HINT : undefined;
      for (const d of err.diagnostics) ctx.error(d.pos, d.message, d.hint ?? hint);
      return undefined;
    }
  }
  const executed = child(at, 'executed');
  if (executed) {
    const addrAt = child(at, 'at');
    if (!addrAt) {
      ctx.error(at, '"executed" needs "at": the address of the first instruction');
      return undefined;
    }
    const addr = ctx.value(addrAt);
    if (addr === undefined) return undefined;
    const insns: InsnRef[] = [];
    let pc = addr;
    for (const t of stringList(executed)) {
      const insn = instructionAt(ctx, t.text, t.at, pc);
      if (!insn) return undefined;
      // No hart runs what is not in a code region (data, a stub, no memory at all): the pair would never be seen.
      if (!where.isCode(pc, insn.length)) {
        ctx.error(pc === addr ? addrAt : t.at, `no code at ${pc === addr ? sourceText(addrAt) || `0x${pc.toString(16)}` : `0x${pc.toString(16)}`}, where "${t.text}" would run: "executed" never holds there`, 'give the address of an instruction in a code: region');
        return undefined;
      }
      insns.push(insn);
      pc += BigInt(insn.length);
    }
    const after = stepRef(ctx, child(at, 'after'), where.patchers);
    const before = stepRef(ctx, child(at, 'before'), where.patchers);
    if (after === null || before === null) return undefined;
    return { kind: 'executed', at: addr, insns, ...(after ? { after } : {}), ...(before ? { before } : {}), pos };
  }
  const not = child(at, 'not');
  if (not) {
    const arg = buildPredicate(ctx, not, stubs, where);
    return arg && { kind: 'not', arg, pos };
  }
  for (const kind of ['all', 'any'] as const) {
    const list = child(at, kind);
    if (!list) continue;
    const items = seqItems(list);
    if (!items.length) {
      ctx.error(list, `"${kind}" of no predicates ${kind === 'any' ? 'never' : 'always'} holds`, 'list the predicates it combines, or leave it out');
      return undefined;
    }
    const args = items.map((i) => buildPredicate(ctx, i, stubs, where));
    if (args.some((a) => a === undefined)) return undefined;
    return { kind, args: args as Predicate[], pos };
  }
  return undefined;
}

/**
 * A patch step as `after:` or `before:` names it: `N`, the Nth step of the (only) patching
 * hart, or `NAME N` for one of several. Steps count as written, from 1: a stop_machine
 * block is one step (its beginning), the steps inside it count on after it. Null: an
 * error, reported.
 */
function stepRef(ctx: Context, at: Located | undefined, patchers: readonly PatcherSpec[]): StepRef | undefined | null {
  if (!at) return undefined;
  const text = (scalarText(at) ?? '').trim();
  const m = /^(?:(\S+)[\s:]+)?(\d+)$/.exec(text);
  const names = patchers.map((p) => p.name);
  if (!m) {
    ctx.error(at, `"${text}" is not a patch step`, `write its number as the steps are written (1 is the first)${patchers.length > 1 ? `, after the patching hart's name: "${names[0]} 2"` : ''}`);
    return null;
  }
  let patcher = 0;
  if (m[1] !== undefined) {
    patcher = names.indexOf(m[1]);
    if (patcher < 0) {
      ctx.error(at, `no patching hart is named "${m[1]}"`, closestHint(m[1], names));
      return null;
    }
  } else if (patchers.length !== 1) {
    ctx.error(at, patchers.length ? `"${text}": which patching hart's step? There are ${patchers.length}` : 'the scenario has no patch steps', patchers.length ? `write "${names[0]} ${m[2]}"` : undefined);
    return null;
  }
  // The steps as written: every step but the end of a stop_machine block, which is implied.
  const written = patchers[patcher].steps.flatMap((s, i) => (s.kind === 'restart' ? [] : [i]));
  const n = Number(m[2]);
  if (n < 1 || n > written.length) {
    ctx.error(at, `${names[patcher]} has ${written.length} step${written.length === 1 ? '' : 's'}: there is no step ${n}`);
    return null;
  }
  return { patcher, step: written[n - 1], text };
}

/**
 * YAML 1.1's booleans that YAML 1.2 (and so this reader) takes for strings: `xfail: no`
 * would be the reason "no", and a failure its author meant to see would count as
 * expected. An unquoted one is an error (reported; true returned), as it is wherever a
 * boolean is asked for; quoted, it is the author's own word.
 */
function yesOrNo(ctx: Context, at: Located): boolean {
  const node = at.node;
  if (!isScalar(node) || node.type !== Scalar.PLAIN || typeof node.value !== 'string') return false;
  const word = node.value;
  const m = /^(?:(y|yes|on)|(n|no|off))$/i.exec(word);
  if (!m) return false;
  ctx.error(at, `xfail: "${word}" would be read as the reason a failure is expected, not as ${m[1] ? 'true' : 'false'}`, m[1] ? 'write true, or the reason in words' : 'write false (or leave xfail out) to expect it to hold, or the reason it fails in words');
  return true;
}

/**
 * `xfail:` — true, the reason the check is expected to fail (LLVM lit's XFAIL), the
 * configurations it is expected to fail under (and hold under the others), or both as
 * `{under: [...], because: ...}`; false or absent: expected to hold.
 */
export function expectedFailure(ctx: Context, at: Located | undefined): { xfail?: string; xfailUnder?: FetchConfigName[] } {
  if (!at) return {};
  if (isScalar(at.node)) {
    const v = at.node.value;
    if (v === false || v === null || yesOrNo(ctx, at)) return {};
    return { xfail: v === true ? '' : String(v) };
  }
  const listAt = isMap(at.node) ? child(at, 'under') : at;
  const under: FetchConfigName[] = [];
  for (const n of stringList(listAt)) {
    if ((FETCH_CONFIG_NAMES as readonly string[]).includes(n.text)) under.push(n.text as FetchConfigName);
    else ctx.error(n.at, `"${n.text}" is not a fetch configuration (${FETCH_CONFIG_NAMES.join(', ')})`, closestHint(n.text, FETCH_CONFIG_NAMES));
  }
  const because = isMap(at.node) ? scalarText(child(at, 'because')) ?? '' : '';
  return { xfail: because, ...(listAt ? { xfailUnder: under } : {}) };
}

/** Only a claim written over several lines needs its layout kept: on one line, `text` is what the author wrote. */
const written = (lines: string | undefined) => (lines?.includes('\n') ? { written: lines } : {});

export function buildClaims(ctx: Context, stubs: readonly Stub[], scope: FinalScope, patchers: readonly PatcherSpec[], isCode: PredicateScope['isCode']): Claim[] {
  const list = ctx.get('claims');
  const out: Claim[] = [];
  for (const item of list ? seqItems(list) : []) {
    const quantifiers = (['never', 'always', 'sometimes', 'eventually'] as Quantifier[]).filter((q) => child(item, q));
    if (quantifiers.length !== 1) {
      ctx.error(item, 'a claim needs exactly one of never, always, sometimes, eventually');
      continue;
    }
    const q = quantifiers[0];
    const predAt = child(item, q)!;
    const predicate = buildPredicate(ctx, predAt, stubs, { final: scope, patchers, isCode });
    if (!predicate) continue;
    const because = scalarText(child(item, 'because'));
    const expected = expectedFailure(ctx, child(item, 'xfail'));
    out.push({
      quantifier: q,
      predicate,
      text: `${q}: ${flowText(predAt)}`,
      ...written(writtenLines(item, q)),
      ...(because ? { because } : {}),
      ...expected,
      pos: item.src.of(item.node),
    });
  }
  return out;
}

/** Parses "updated seq" or "impossible, would be ff0f04, updated seq" and its variants. */
function parseRowClaim(text: string, isSignature: (s: string) => boolean): RowClaim | string {
  const words = text.trim().replace(/\.$/, '');
  const cls = (s: string) => /^([\w-]+)(?:\s+seq(?:uence)?)?$/.exec(s.trim())?.[1];
  const impossible = /^impossible\b\s*(?:,\s*would be\s+(.*))?$/i.exec(words);
  if (!impossible) {
    const c = cls(words);
    return c ? { kind: 'class', class: c } : `"${words}" is not a class (write CLASS or "impossible, would be SIG (CLASS), ...")`;
  }
  const wouldBe: Array<{ signature: string; class: string }> = [];
  const pieces = (impossible[1] ?? '').split(',').map((p) => p.trim().replace(/^or\s+/, '')).filter((p) => p !== '');
  for (let i = 0; i < pieces.length; i++) {
    const paren = /^(\S+)\s*\(([\w-]+)\)$/.exec(pieces[i]);
    if (paren && isSignature(paren[1])) {
      wouldBe.push({ signature: paren[1], class: paren[2] });
      continue;
    }
    const next = pieces[i + 1] !== undefined ? cls(pieces[i + 1]) : undefined;
    if (isSignature(pieces[i]) && next) {
      wouldBe.push({ signature: pieces[i], class: next });
      i++;
      continue;
    }
    return `cannot read "${pieces[i]}": write "SIG (CLASS)" or "SIG, CLASS seq"`;
  }
  return { kind: 'impossible', wouldBe };
}

function buildRows(ctx: Context, rowsAt: Located, letters: Set<string>, classes: Set<string>): TableRow[] {
  const lines: Array<{ text: string; pos: SourcePos }> = [];
  if (isSeq(rowsAt.node)) {
    for (const item of seqItems(rowsAt)) lines.push({ text: scalarText(item) ?? '', pos: item.src.of(item.node) });
  } else {
    (scalarText(rowsAt) ?? '').split('\n').forEach((text, i) => {
      if (text.trim() !== '') lines.push({ text, pos: rowsAt.src.inScalar(rowsAt.node, i + 1, text.length - text.trimStart().length + 1) });
    });
  }
  const isSignature = (s: string) => s.length > 0 && [...s].every((c) => letters.has(c));
  const rows: TableRow[] = [];
  for (const { text, pos } of lines) {
    const m = /^\s*(\S+)\s+--\s+(.*)$/.exec(text);
    if (!m) {
      ctx.error(pos, `a row is "SIGNATURE -- CLASS": "${text.trim()}"`);
      continue;
    }
    const [, signature, claimText] = m;
    if (!isSignature(signature)) {
      const bad = [...signature].find((c) => !letters.has(c));
      ctx.error(pos, `"${signature}" uses "${bad}", which is not in the alphabet (${[...letters].join(' ')})`);
      continue;
    }
    const claim = parseRowClaim(claimText, isSignature);
    if (typeof claim === 'string') {
      ctx.error(pos, claim);
      continue;
    }
    const used = claim.kind === 'class' ? [claim.class] : claim.wouldBe.map((w) => w.class);
    const unknown = used.find((c) => !classes.has(c));
    if (unknown) {
      ctx.error(pos, `class "${unknown}" is not declared in table.classes`, closestHint(unknown, [...classes]));
      continue;
    }
    rows.push({ signature, claim, text: claimText.trim(), pos });
  }
  return rows;
}

/**
 * The table's `xfail:` — rows expected to fail, by signature: a list, or a map from
 * signature to the reason. Every name must be a row's.
 */
function expectRowFailures(ctx: Context, at: Located | undefined, rows: TableRow[]): TableRow[] {
  if (!at) return rows;
  const reasons = new Map<string, string>();
  const named: Array<{ text: string; at: Located }> = isMap(at.node)
    ? mapEntries(at).map((e) => {
        yesOrNo(ctx, e); // `SIG: no` is no reason
        reasons.set(e.key, isScalar(e.node) && typeof e.node.value === 'string' ? e.node.value : '');
        return { text: e.key, at: { node: e.keyNode, src: e.src } };
      })
    : stringList(at);
  for (const n of named) {
    if (!reasons.has(n.text)) reasons.set(n.text, '');
    if (!rows.some((r) => r.signature === n.text)) ctx.error(n.at, `no row of the table has the signature "${n.text}"`, closestHint(n.text, rows.map((r) => r.signature)));
  }
  return rows.map((r) => (reasons.has(r.signature) ? { ...r, xfail: reasons.get(r.signature)! } : r));
}

export function buildTable(ctx: Context, harts: readonly RemoteHartSpec[], stubs: readonly Stub[], patchers: readonly PatcherSpec[], isCode: PredicateScope['isCode']): SignatureTable | undefined {
  const at = ctx.get('table');
  if (!at || !isMap(at.node)) return undefined;
  const names = stringList(child(at, 'harts'));
  const hartIdx: number[] = [];
  if (names.length === 0) harts.forEach((_, i) => hartIdx.push(i));
  for (const n of names) {
    const i = harts.findIndex((h) => h.name === n.text);
    if (i < 0) ctx.error(n.at, `no remote hart is named "${n.text}"`, closestHint(n.text, harts.map((h) => h.name)));
    else hartIdx.push(i);
  }
  const alphabet: Letter[] = [];
  for (const e of mapEntries(child(at, 'alphabet')!)) {
    if (scalarText(e) === 'fence.i') {
      alphabet.push({ letter: e.key, event: { kind: 'fence.i' } });
      continue;
    }
    const exec = ctx.value(child(e, 'exec')!);
    const afterAt = child(e, 'after');
    const after = afterAt ? ctx.value(afterAt) : undefined;
    if (exec !== undefined) alphabet.push({ letter: e.key, event: { kind: 'exec', at: exec, ...(after !== undefined ? { after } : {}) } });
  }
  const classes: HartClass[] = [];
  const classesAt = child(at, 'classes');
  const classEntries = classesAt ? mapEntries(classesAt) : [];
  for (const e of classEntries) {
    const predicate = buildPredicate(ctx, e, stubs, { patchers, harts, isCode });
    if (predicate) classes.push({ name: e.key, predicate, pos: e.src.of(e.keyNode) });
  }
  // Rows may name a class whose predicate is in error: that error is the one to fix.
  const rows = buildRows(ctx, child(at, 'rows')!, new Set(alphabet.map((l) => l.letter)), new Set(classEntries.map((e) => e.key)));
  return { harts: hartIdx, alphabet, classes, rows: expectRowFailures(ctx, child(at, 'xfail'), rows), pos: at.src.of(at.node) };
}

/**
 * A scenario that checks nothing (no claim, no row of a table, no recorded observation)
 * would pass whatever its code did: an error, as a claim that cannot fail is. Asked of
 * the scenarios a command judges, not of every scenario read (the machine's own tests
 * build systems with no claims).
 */
export function checksNothing(s: Scenario): Diagnostic[] {
  if (s.claims.length || s.table?.rows.length || s.recorded?.length) return [];
  return [{ pos: s.pos, message: `scenario "${s.name}" checks nothing: it has no claims, no table rows and no recorded outcomes`, hint: 'add claims: (never:, always:, sometimes: or eventually: a predicate), or start a recording with an empty outcomes: and run --update' }];
}
