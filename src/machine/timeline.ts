// Memory as a timeline of stores (the messages of the Promising model: Pulte et al.,
// "Promising-ARM/RISC-V", PLDI 2019). Message t (1-based) is the t-th store to take its
// place in the global memory order; time 0 is the initial memory. A thread's views are
// times: "this thread has seen memory as of time v". A read of some bytes takes a
// snapshot of the timeline at some time T no earlier than the reader's view allows, which
// is how RVWMO lets loads (and fetches) see older values than the latest.

import type { MemoryLayout } from './memory.ts';

/** A store in the timeline: `size` bytes at byte offset `at`, little-endian. */
export interface Msg {
  readonly at: number;
  readonly size: number;
  readonly value: bigint;
  /** Who stored it: a remote hart's index, or (harts + i) for patching hart i. */
  readonly actor: number;
}

export type Timeline = readonly Msg[];

const touches = (m: Msg, b: number) => b >= m.at && b < m.at + m.size;
const overlaps = (m: Msg, at: number, size: number) => m.at < at + size && at < m.at + m.size;

/** The time of the latest store at or before `time` that wrote byte `b` (0: none, the initial value). */
export function lastWrite(tl: Timeline, b: number, time: number): number {
  for (let t = Math.min(time, tl.length); t >= 1; t--) if (touches(tl[t - 1], b)) return t;
  return 0;
}

/** The value byte `b` has after message `t` wrote it (t = 0: its initial value). */
export function byteFrom(tl: Timeline, layout: MemoryLayout, b: number, t: number): number {
  if (t === 0) return layout.initial[b];
  const m = tl[t - 1];
  return Number((m.value >> BigInt(8 * (b - m.at))) & 0xffn);
}

/** Bytes [at, at+size) assembled little-endian from each byte's source time. */
export function valueFrom(tl: Timeline, layout: MemoryLayout, at: number, sources: readonly number[]): bigint {
  let v = 0n;
  for (let i = sources.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(byteFrom(tl, layout, at + i, sources[i]));
  return v;
}

/** The value of bytes [at, at+size) in memory as it is now. */
export function latestValue(tl: Timeline, layout: MemoryLayout, at: number, size: number): bigint {
  const src: number[] = [];
  for (let i = 0; i < size; i++) src.push(lastWrite(tl, at + i, tl.length));
  return valueFrom(tl, layout, at, src);
}

/** One way a read can be satisfied: the snapshot time and, per byte, the store it reads. */
export interface Snapshot {
  readonly time: number;
  readonly sources: readonly number[];
  readonly value: bigint;
}

export interface SnapshotRule {
  /**
   * Per byte: the reader must not read a store older than the last one at or before this
   * time (its view, joined with its coherence for data loads).
   */
  floor(byteIndex: number): number;
  /**
   * Per byte: the time of the reader's own latest store to it, which a data load sees even
   * before the store reaches the timeline's snapshot (store-buffer forwarding); 0 for none.
   */
  own?(byteIndex: number): number;
}

/**
 * Every snapshot a read of [at, at+size) may take under `rule`, one per distinct set of
 * sources, oldest first. Atomic: all bytes come from one snapshot time (plus forwarding).
 */
export function snapshots(tl: Timeline, layout: MemoryLayout, at: number, size: number, rule: SnapshotRule): Snapshot[] {
  const times = [0];
  for (let t = 1; t <= tl.length; t++) if (overlaps(tl[t - 1], at, size)) times.push(t);
  const out: Snapshot[] = [];
  const seen = new Set<string>();
  for (const time of times) {
    const sources: number[] = [];
    let ok = true;
    for (let i = 0; i < size && ok; i++) {
      let s = lastWrite(tl, at + i, time);
      const own = rule.own?.(i) ?? 0;
      if (own > s) s = own;
      if (lastWrite(tl, at + i, rule.floor(i)) > s) ok = false;
      sources.push(s);
    }
    if (!ok) continue;
    const k = sources.join(',');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ time, sources, value: valueFrom(tl, layout, at, sources) });
  }
  return out;
}

export function overlapsMsg(m: Msg, at: number, size: number): boolean {
  return overlaps(m, at, size);
}
