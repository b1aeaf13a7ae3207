// The trap-return fixups: `{when: PATTERN, resume: sepc - 4}`, restricted as a kernel
// would restrict them. x86's poke_int3_handler (arch/x86/kernel/alternative.c) acts only on
// a trap taken in kernel mode at an address it is patching; so here a fixup may name the
// entries it applies to (`at:` addresses, `in:` ranges or code regions) and the traps whose
// return runs it (`on:`). The SBI call's interrupt is never one: the firmware returns from
// it with MRET, and the kernel's return path never sees it.

import { isSeq } from 'yaml';
import { compilePattern } from '../isa/index.ts';
import { child, closestHint, scalarText, seqItems, type Context, type Located } from './context.ts';
import { FIXUP_CAUSES, type AddressRange, type FixupCause, type Region, type TrapReturnFixup } from './types.ts';

/** Why a cause cannot restrict a fixup: the schema gives the same hint (schema.ts). */
export const FIXUP_CAUSE_HINTS: Readonly<Record<string, string>> = {
  sbi: "the SBI call's interrupt is taken in machine mode and the firmware returns from it (MRET): the kernel's fixups never run there",
};

const RANGE_HINT = 'a range is [START, END], END not included ([func, func+8] holds func and func+4); several go in a list: [[func, func+8], other_region]';

export function buildFixups(ctx: Context, regions: readonly Region[]): TrapReturnFixup[] {
  const list = ctx.get('trap-return');
  const out: TrapReturnFixup[] = [];
  const code = regions.filter((r) => r.kind === 'code');
  for (const item of list ? seqItems(list) : []) {
    const whenAt = child(item, 'when')!;
    const when = scalarText(whenAt) ?? '';
    const pattern = compilePattern(when);
    if ('error' in pattern) {
      ctx.error(item.src.inScalar(whenAt.node, 1, pattern.col), pattern.error);
      continue;
    }
    const resume = /^sepc(?:\s*([-+])\s*(\d+))?$/.exec(scalarText(child(item, 'resume')) ?? 'sepc')!;
    const adjust = resume[2] ? BigInt(resume[2]) * (resume[1] === '-' ? -1n : 1n) : 0n;
    const before = ctx.diagnostics.length;
    const at = addresses(ctx, child(item, 'at'), code);
    const ranges = rangesOf(ctx, child(item, 'in'), code);
    const on = causes(ctx, child(item, 'on'));
    if (ctx.diagnostics.length > before) continue;
    out.push({
      name: scalarText(child(item, 'name')) ?? when,
      mask: pattern.mask,
      match: pattern.match,
      adjust,
      ...(at ? { at } : {}),
      ...(ranges ? { ranges } : {}),
      ...(on ? { on } : {}),
    });
  }
  return out;
}

const inCode = (code: readonly Region[], addr: bigint) => code.some((r) => addr >= r.base && addr < r.base + BigInt(r.bytes.length));

/** `at:` one address expression or a list of them, each where an instruction of the code can be. */
function addresses(ctx: Context, at: Located | undefined, code: readonly Region[]): bigint[] | undefined {
  if (!at) return undefined;
  const items = isSeq(at.node) ? seqItems(at) : [at];
  if (!items.length) ctx.error(at, '"at" lists no address: the fixup would never apply', 'name the entries it applies to (at: func+4), or drop "at" to apply it anywhere');
  const out: bigint[] = [];
  for (const it of items) {
    const addr = ctx.value(it);
    if (addr === undefined) continue;
    if (!inCode(code, addr) || addr % 2n !== 0n) {
      ctx.error(it, `0x${addr.toString(16)} is ${addr % 2n ? 'not an instruction boundary' : 'in no code region'}: sepc is never there`, 'sepc holds the address of the interrupted instruction: name one in the code, such as func+4');
      continue;
    }
    out.push(addr);
  }
  return out;
}

/**
 * `in:` a code region's name, a range [START, END] (END not included), or a list of them.
 * A list of two scalars is a range; a list that holds a list is a list of ranges and names.
 */
function rangesOf(ctx: Context, at: Located | undefined, code: readonly Region[]): AddressRange[] | undefined {
  if (!at) return undefined;
  const out: AddressRange[] = [];
  const items = seqItems(at);
  if (!isSeq(at.node)) regionRange(ctx, at, code, out);
  else if (items.some((i) => isSeq(i.node))) {
    for (const it of items) {
      if (isSeq(it.node)) range(ctx, it, code, out);
      else regionRange(ctx, it, code, out);
    }
  } else if (items.length === 2) range(ctx, at, code, out);
  else ctx.error(at, `"in" holds ${items.length} item${items.length === 1 ? '' : 's'}: neither a range nor a list of ranges`, RANGE_HINT);
  return out;
}

function regionRange(ctx: Context, at: Located, code: readonly Region[], out: AddressRange[]): void {
  const name = scalarText(at) ?? '';
  const r = code.find((x) => x.name === name);
  if (r) {
    out.push({ start: r.base, end: r.base + BigInt(r.bytes.length) });
    return;
  }
  if (ctx.symbols.has(name)) ctx.error(at, `"${name}" is a symbol, not a code region`, `write a range (in: [${name}, ${name}+8]) or an address (at: ${name})`);
  else ctx.error(at, `"${name}" is not a code region`, closestHint(name, code.map((x) => x.name)) ?? RANGE_HINT);
}

function range(ctx: Context, at: Located, code: readonly Region[], out: AddressRange[]): void {
  const ends = seqItems(at);
  if (ends.length !== 2) {
    ctx.error(at, `a range holds a start and an end, not ${ends.length} item${ends.length === 1 ? '' : 's'}`, RANGE_HINT);
    return;
  }
  const [start, end] = ends.map((e) => ctx.value(e));
  if (start === undefined || end === undefined) return;
  if (end <= start) {
    ctx.error(at, `the range from 0x${start.toString(16)} to 0x${end.toString(16)} is empty: the fixup would never apply there`, RANGE_HINT);
    return;
  }
  if (!code.some((r) => r.base < end && r.base + BigInt(r.bytes.length) > start)) {
    ctx.error(at, `the range from 0x${start.toString(16)} to 0x${end.toString(16)} holds no code: sepc is never there`, RANGE_HINT);
    return;
  }
  out.push({ start, end });
}

/** `on:` a trap cause or a list of them. */
function causes(ctx: Context, at: Located | undefined): FixupCause[] | undefined {
  if (!at) return undefined;
  const items = isSeq(at.node) ? seqItems(at) : [at];
  if (!items.length) ctx.error(at, '"on" lists no trap: the fixup would never apply', `name the traps whose return runs it (${FIXUP_CAUSES.join(', ')}), or drop "on" for all of them`);
  const out: FixupCause[] = [];
  for (const it of items) {
    const word = scalarText(it) ?? '';
    if ((FIXUP_CAUSES as readonly string[]).includes(word)) out.push(word as FixupCause);
    else ctx.error(it, `"${word}" is not a trap a kernel fixup runs on (${FIXUP_CAUSES.join(', ')})`, FIXUP_CAUSE_HINTS[word] ?? closestHint(word, FIXUP_CAUSES));
  }
  return [...new Set(out)];
}
