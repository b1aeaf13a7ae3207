// The bytes the machine starts a region with: the scenario's, with every 8-byte word that
// holds a pointer moved with what it points to (layout.ts movedValue); and the one thing
// that cannot be moved so, a pointer the scenario writes a half at a time.

import type { PatchStep, Scenario } from '../scenario/types.ts';
import { movedValue } from './layout.ts';
import type { Placement } from './types.ts';

/**
 * The offsets of a region's 8-byte words that may hold pointers: every aligned one of a
 * data region; in code, each `.dword` (a CALL_OPS literal), never a pair of instructions.
 */
export function wordOffsets(s: Scenario, r: Scenario['system']['regions'][number]): number[] {
  if (r.kind === 'code') return s.listing.filter((l) => l.region === r.name && l.bits === undefined && l.size === 8).map((l) => Number(l.addr - r.base));
  const out: number[] = [];
  for (let k = Number((8n - (r.base & 7n)) & 7n); k + 8 <= r.bytes.length; k += 8) out.push(k);
  return out;
}

/** A region's bytes as the machine starts it: 8-byte pointers moved with what they point to. */
export function imageBytes(s: Scenario, p: Placement, r: Scenario['system']['regions'][number]): Uint8Array {
  const out = Uint8Array.from(r.bytes);
  const view = new DataView(out.buffer);
  for (const k of wordOffsets(s, r)) view.setBigUint64(k, movedValue(p, s, view.getBigUint64(k, true)), true);
  return out;
}

/**
 * A pointer the scenario writes in parts (a half at a time), or undefined: the machine's
 * pointer is not the scenario's, so neither are its halves.
 */
export function pointerInParts(s: Scenario, p: Placement): PatchStep | undefined {
  const pointers = new Set<bigint>();
  for (const r of s.system.regions) {
    const view = new DataView(Uint8Array.from(r.bytes).buffer);
    for (const k of wordOffsets(s, r)) {
      const v = view.getBigUint64(k, true);
      if (movedValue(p, s, v) !== v) pointers.add(r.base + BigInt(k));
    }
  }
  const steps = s.system.patchers.flatMap((x) => x.steps);
  for (const st of steps) if (st.kind === 'store' && st.size === 8 && movedValue(p, s, st.value) !== st.value) pointers.add(st.addr);
  return steps.find((st) => st.kind === 'store' && st.size < 8 && [...pointers].some((w) => st.addr < w + 8n && st.addr + BigInt(st.size) > w));
}
