// Claims (never / always / sometimes over a predicate) and the author's interleaving
// table, read into data the verdict stage judges. The table's rows are written the way
// people write them on mailing lists, one per line: `ff0f4 -- impossible, would be
// ff0f04, updated seq`.

import { isMap, isScalar, isSeq } from 'yaml';
import { child, closestHint, mapEntries, scalarText, seqItems, stringList, type Context, type Located } from './context.ts';
import { instructionAt } from './steps.ts';
import type {
  Claim,
  EndingKind,
  HartClass,
  InsnRef,
  Letter,
  Predicate,
  Quantifier,
  RemoteHartSpec,
  RowClaim,
  SignatureTable,
  SourcePos,
  Stub,
  TableRow,
} from './types.ts';

/** The predicate's text as the author wrote it, on one line. */
export function sourceText(at: Located): string {
  const r = at.node?.range;
  if (!r) return '';
  return at.src.block.source.slice(r[0], r[1]).replace(/\s*\n\s*/g, ' ').replace(/\s+#.*$/, '').trim();
}

export function buildPredicate(ctx: Context, at: Located, stubs: readonly Stub[]): Predicate | undefined {
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
    return { kind: 'ending', ending: word as EndingKind | 'crash', pos };
  }
  if (!isMap(at.node)) return undefined;
  const calls = child(at, 'calls');
  if (calls) return { kind: 'calls', targets: checkStubs(stringList(calls)), pos };
  const outside = child(at, 'call-outside');
  if (outside) return { kind: 'call-outside', allowed: checkStubs(stringList(outside)), pos };
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
      insns.push(insn);
      pc += BigInt(insn.length);
    }
    return { kind: 'executed', at: addr, insns, pos };
  }
  const not = child(at, 'not');
  if (not) {
    const arg = buildPredicate(ctx, not, stubs);
    return arg && { kind: 'not', arg, pos };
  }
  for (const kind of ['all', 'any'] as const) {
    const list = child(at, kind);
    if (!list) continue;
    const args = seqItems(list).map((i) => buildPredicate(ctx, i, stubs));
    if (args.some((a) => a === undefined)) return undefined;
    return { kind, args: args as Predicate[], pos };
  }
  return undefined;
}

export function buildClaims(ctx: Context, stubs: readonly Stub[]): Claim[] {
  const list = ctx.get('claims');
  const out: Claim[] = [];
  for (const item of list ? seqItems(list) : []) {
    const quantifiers = (['never', 'always', 'sometimes'] as Quantifier[]).filter((q) => child(item, q));
    if (quantifiers.length !== 1) {
      ctx.error(item, 'a claim needs exactly one of never, always, sometimes');
      continue;
    }
    const q = quantifiers[0];
    const predAt = child(item, q)!;
    const predicate = buildPredicate(ctx, predAt, stubs);
    if (!predicate) continue;
    const because = scalarText(child(item, 'because'));
    out.push({
      quantifier: q,
      predicate,
      text: `${q}: ${sourceText(predAt)}`,
      ...(because ? { because } : {}),
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

export function buildTable(ctx: Context, harts: readonly RemoteHartSpec[], stubs: readonly Stub[]): SignatureTable | undefined {
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
  for (const e of classesAt ? mapEntries(classesAt) : []) {
    const predicate = buildPredicate(ctx, e, stubs);
    if (predicate) classes.push({ name: e.key, predicate, pos: e.src.of(e.keyNode) });
  }
  const rows = buildRows(ctx, child(at, 'rows')!, new Set(alphabet.map((l) => l.letter)), new Set(classes.map((c) => c.name)));
  return { harts: hartIdx, alphabet, classes, rows, pos: at.src.of(at.node) };
}
