// Named addresses: symbols, code and data regions, stubs. Each may be written as an
// expression over the others (new_tramp: ftrace_caller + 0x1000), so they are resolved
// together, in whatever order their dependencies allow.

import { exprSymbols, parseExpr } from '../isa/index.ts';
import { child, scalarText, type Context, type Located } from './context.ts';

const MAX_ADDRESS = (1n << 64n) - 1n;

interface Definition {
  readonly name: string;
  readonly value: Located;
  readonly what: string;
}

function definitions(ctx: Context): Definition[] {
  const defs: Definition[] = [];
  const seen = new Map<string, string>();
  const add = (name: string, value: Located | undefined, what: string, keyAt: Located) => {
    const before = seen.get(name);
    if (before) {
      ctx.error(keyAt, `"${name}" is defined twice: as ${before} and as ${what}`);
      return;
    }
    seen.set(name, what);
    if (value) defs.push({ name, value, what });
  };
  for (const e of ctx.entries('symbols')) add(e.key, e, 'a symbol', { node: e.keyNode, src: e.src });
  for (const section of ['code', 'data'] as const) {
    for (const e of ctx.entries(section)) add(e.key, child(e, 'at'), `a ${section} region`, { node: e.keyNode, src: e.src });
  }
  for (const e of ctx.entries('stubs')) {
    const at = child(e, 'at');
    if (at) add(e.key, at, 'a stub', { node: e.keyNode, src: e.src });
    else if (seen.get(e.key) !== 'a symbol') ctx.error({ node: e.keyNode, src: e.src }, `stub "${e.key}" needs "at:" or a symbol of the same name`);
  }
  return defs;
}

/** Resolves every named address into ctx.symbols; reports what cannot be resolved. */
export function resolveSymbols(ctx: Context): void {
  let pending = definitions(ctx);
  for (let progress = true; progress && pending.length; ) {
    progress = false;
    pending = pending.filter((d) => {
      const v = ctx.value(d.value, (n) => ctx.symbols.get(n), false);
      if (v === undefined) return true;
      if (v < 0n || v > MAX_ADDRESS) {
        // Not wrapped: a kernel address written short, or an expression gone past the top, is a mistake to show.
        const where = v < 0n ? `-0x${(-v).toString(16)}, below address 0` : `0x${v.toString(16)}, past the top of the 64-bit address space`;
        ctx.error(d.value, `"${d.name}" (${d.what}) is at ${where}`, 'an address is 0 to 0xffffffffffffffff: write a kernel address in full (0xffffffff80000000)');
        ctx.wrappedAddresses.add(d.name);
      }
      // Reported once: what uses the name goes on with the value the hardware would compute.
      ctx.symbols.set(d.name, BigInt.asUintN(64, v));
      progress = true;
      return false;
    });
  }
  const stuck = new Set(pending.map((d) => d.name));
  for (const d of pending) {
    const refs = safeRefs(scalarText(d.value) ?? '');
    const circular = refs.filter((r) => stuck.has(r));
    if (circular.length) ctx.error(d.value, `"${d.name}" depends on itself (through ${circular.join(', ')})`);
    else ctx.value(d.value); // reports the undefined symbol where it is written
  }
}

function safeRefs(text: string): string[] {
  try {
    return exprSymbols(parseExpr(text));
  } catch {
    return [];
  }
}
