// Sets of int tuples, stored exactly, each numbered in the order it was first added: the
// machine interns its states' parts with them, and the search (explore/) keeps its visited
// set of state keys in one. Here, below both, so that imports keep flowing one way. No
// per-state object or string.
//
// Layout (all Int32Arrays):
//   arena   every key's ints, one after the other, in the order they were added, in chunks
//           of 2^20 ints (the first grows by doubling up to that, later ones are added as
//           needed: no copy, little slack); a key may straddle two chunks;
//   start   start[i] .. start[i + 1] is the slice of the arena holding key i (so keys may
//           have any length, and two keys are equal iff they have the same length and ints);
//           grown by doubling;
//   table   open addressing with linear probing, 2 ints a slot: [hash of the key, i + 1],
//           0 in the second int for an empty slot. The capacity is a power of two, at most
//           5/8 full: growing doubles it and rehashes from the hashes kept in the slots.
// A lookup probes from `hash & mask`, compares the stored hash first and then the ints in
// the arena; a collision of hashes only costs a comparison, never a merged state.
// The hash is murmur3's (32 bits) over the ints, with the length mixed in.

/** A key being written: a reusable, growable vector of 32-bit integers. */
export class IntKey {
  ints = new Int32Array(64);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  /** An integer in [-2^31, 2^31): anything else throws (a truncated number could merge states). */
  push(v: number): void {
    if ((v | 0) !== v) throw new RangeError(`state key part ${v} is not a 32-bit integer`);
    if (this.length === this.ints.length) this.grow();
    this.ints[this.length++] = v;
  }

  /**
   * A non-negative safe integer: one int below 2^31, else two, the first negative
   * (-1 - v / 2^31, then v mod 2^31), so that the reader of a key always knows which.
   */
  pushWide(v: number): void {
    if (v <= 0x7fffffff) this.push(v);
    else {
      if (!Number.isSafeInteger(v)) throw new RangeError(`state key part ${v} is not a safe integer`);
      this.push(-1 - Math.floor(v / 0x80000000));
      this.push(v % 0x80000000);
    }
  }

  view(): Int32Array {
    return this.ints.subarray(0, this.length);
  }

  private grow(): void {
    const b = new Int32Array(this.ints.length * 2);
    b.set(this.ints);
    this.ints = b;
  }
}

/** murmur3_x86_32 over ints[0 .. n), seeded. */
export function hashInts(ints: Int32Array, n: number, seed = 0x9747b28c): number {
  let h = seed ^ n;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(ints[i], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= n << 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** log2 of the arena's chunk size, in ints. */
const SHIFT = 20;
const CHUNK = 1 << SHIFT;

export class VisitedSet {
  private readonly chunks: Int32Array[];
  private used = 0;
  private start: Int32Array;
  private table: Int32Array;
  private mask: number;
  /** Keys added so far; the next one gets this number. */
  size = 0;

  /**
   * `slots`: the table's initial capacity (a power of two); tests make it small, and the
   * hash constant, to force collisions and growth.
   */
  constructor(
    slots = 1 << 12,
    private readonly hash: (ints: Int32Array, n: number) => number = hashInts,
  ) {
    if (slots < 2 || (slots & (slots - 1)) !== 0) throw new RangeError('slots must be a power of two');
    this.table = new Int32Array(2 * slots);
    this.mask = slots - 1;
    this.start = new Int32Array(slots / 2 + 1);
    this.chunks = [new Int32Array(Math.min(CHUNK, slots * 4))];
  }

  /** The number of `key` if it was added before, else `-1 - n` where n is the number it gets now. */
  add(key: IntKey): number {
    const ints = key.ints;
    const n = key.length;
    const h = this.hash(ints, n);
    const table = this.table;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = 2 * slot;
      const entry = table[at + 1];
      if (entry === 0) {
        const index = this.size;
        table[at] = h;
        table[at + 1] = index + 1;
        this.store(ints, n);
        if (8 * this.size > 5 * (mask + 1)) this.rehash();
        return -1 - index;
      }
      if (table[at] === h && this.equals(entry - 1, ints, n)) return entry - 1;
    }
  }

  /** The number of `key` if it was added before, else -1 (nothing is added). */
  find(key: IntKey): number {
    const { ints, length: n } = key;
    const h = this.hash(ints, n);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.table[2 * slot + 1];
      if (entry === 0) return -1;
      if (this.table[2 * slot] === h && this.equals(entry - 1, ints, n)) return entry - 1;
    }
  }

  /** The ints of key i (a copy). */
  keyOf(i: number): Int32Array {
    const out = new Int32Array(this.start[i + 1] - this.start[i]);
    for (let j = 0; j < out.length; j++) out[j] = this.at(this.start[i] + j);
    return out;
  }

  /** Bytes held: arena, offsets and table (their allocated lengths). */
  get bytes(): number {
    return 4 * (this.chunks.reduce((n, c) => n + c.length, 0) + this.start.length + this.table.length);
  }

  private at(pos: number): number {
    return this.chunks[pos >>> SHIFT][pos & (CHUNK - 1)];
  }

  private equals(i: number, ints: Int32Array, n: number): boolean {
    const from = this.start[i];
    if (this.start[i + 1] - from !== n) return false;
    const off = from & (CHUNK - 1);
    if (off + n <= CHUNK) {
      const chunk = this.chunks[from >>> SHIFT];
      for (let j = 0; j < n; j++) if (chunk[off + j] !== ints[j]) return false;
    } else for (let j = 0; j < n; j++) if (this.at(from + j) !== ints[j]) return false;
    return true;
  }

  private store(ints: Int32Array, n: number): void {
    if (this.used + n > 0x7fffffff) throw new RangeError('visited set: 2^31 ints of keys at most');
    for (let j = 0; j < n; j++) {
      const pos = this.used + j;
      const c = pos >>> SHIFT;
      if (c === this.chunks.length) this.chunks.push(new Int32Array(CHUNK));
      else if (c === 0 && pos === this.chunks[0].length) {
        const b = new Int32Array(Math.min(CHUNK, 2 * pos));
        b.set(this.chunks[0]);
        this.chunks[0] = b;
      }
      this.chunks[c][pos & (CHUNK - 1)] = ints[j];
    }
    this.used += n;
    if (this.size + 2 > this.start.length) {
      const b = new Int32Array(this.start.length * 2);
      b.set(this.start);
      this.start = b;
    }
    this.start[++this.size] = this.used;
  }

  private rehash(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Int32Array(2 * slots);
    const mask = slots - 1;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at + 1] === 0) continue;
      let slot = old[at] & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = old[at];
      table[2 * slot + 1] = old[at + 1];
    }
    this.table = table;
    this.mask = mask;
  }
}
