// Recorded observations (`outcomes:` at the top of a scenario, `observed:` in its table):
// read as lines, with the place of their key (`--update` finds the value from there).
// Only a scenario's own block counts: what a scenario it extends recorded was seen under
// other code and steps.

import { isMap, isScalar, isSeq } from 'yaml';
import { child, scalarText, seqItems, type Context, type Located } from './context.ts';
import type { Recorded } from './types.ts';

function readRecorded(ctx: Context, kind: Recorded['kind'], keyAt: Located, at: Located): Recorded | undefined {
  const node = at.node;
  if (node && at.src.copies.has(node)) {
    // --update rewrites the value's own bytes, which an alias's are not.
    ctx.error(keyAt, `${kind}: is written out, not an alias: --update rewrites its lines where they stand`);
    return undefined;
  }
  let lines: string[];
  if (isSeq(node)) lines = seqItems(at).map((i) => scalarText(i) ?? '');
  else if (isScalar(node) && (node.value === null || typeof node.value === 'string')) lines = String(node.value ?? '').split('\n');
  else {
    ctx.error(at, `${kind}: is a list of lines (a | block, one per line), as --update writes it`);
    return undefined;
  }
  if (!node?.range) return undefined;
  return {
    kind,
    lines: lines.map((l) => l.trim()).filter((l) => l !== ''),
    pos: keyAt.src.of(keyAt.node),
  };
}

/** The key node of `key` in a map, for its position. */
function keyOf(parent: Located, key: string): Located | undefined {
  if (!isMap(parent.node)) return undefined;
  const pair = parent.node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair ? { node: pair.key as Located['node'], src: parent.src } : undefined;
}

export function buildRecorded(ctx: Context): Recorded[] {
  const own = ctx.layers[ctx.layers.length - 1];
  const out: Recorded[] = [];
  const outcomes = child(own, 'outcomes');
  if (outcomes) {
    const r = readRecorded(ctx, 'outcomes', keyOf(own, 'outcomes')!, outcomes);
    if (r) out.push(r);
  }
  const table = child(own, 'table');
  const observed = table && child(table, 'observed');
  if (table && observed) {
    const r = readRecorded(ctx, 'observed', keyOf(table, 'observed')!, observed);
    if (r) out.push(r);
  }
  return out;
}
