import { describe, expect, it } from 'vitest';
import { hashInts, IntKey, VisitedSet } from '../../src/machine/int-tuples.ts';

function keyOf(...ints: number[]): IntKey {
  const k = new IntKey();
  for (const v of ints) k.push(v);
  return k;
}

/** A pseudo-random generator (xorshift32): the same keys every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
}

describe('visited set', () => {
  it('numbers keys in the order first added, and finds them again', () => {
    const v = new VisitedSet();
    expect(v.add(keyOf(1, 2, 3))).toBe(-1);
    expect(v.add(keyOf(3, 2, 1))).toBe(-2);
    expect(v.add(keyOf(1, 2, 3))).toBe(0);
    expect(v.add(keyOf(3, 2, 1))).toBe(1);
    expect(v.size).toBe(2);
    expect([...v.keyOf(1)]).toEqual([3, 2, 1]);
  });

  it.each([
    ['its hash', undefined],
    ['one hash for all', () => 42],
  ])('tells apart keys of different lengths, one a prefix of the other, and the empty key (%s)', (_, hash) => {
    const v = new VisitedSet(2, hash);
    const all = [[], [0], [0, 0], [1, 2], [1, 2, 0], [0, 1, 2], [-1], [-1, 0]];
    all.forEach((k, i) => expect(v.add(keyOf(...k))).toBe(-1 - i));
    all.forEach((k, i) => expect(v.add(keyOf(...k))).toBe(i));
    all.forEach((k, i) => expect([...v.keyOf(i)]).toEqual(k));
  });

  it('keeps keys apart whose slots collide (a table of two slots, grown as it fills)', () => {
    const v = new VisitedSet(2);
    for (let i = 0; i < 1000; i++) expect(v.add(keyOf(i, i >> 3, 7))).toBe(-1 - i);
    for (let i = 999; i >= 0; i--) expect(v.add(keyOf(i, i >> 3, 7))).toBe(i);
    expect(v.size).toBe(1000);
  });

  it('keeps keys apart whose whole 32-bit hashes are equal', () => {
    // Birthday search for two keys of two ints with the same hash: about 2^16 tries. (With
    // one int, or one varying int, murmur3 is a bijection: no two keys collide.)
    const next = random(7);
    const seen = new Map<number, [number, number]>();
    let pair: [[number, number], [number, number]] | undefined;
    const two = new Int32Array(2);
    while (!pair) {
      const k: [number, number] = [next(), next()];
      two.set(k);
      const h = hashInts(two, 2);
      const other = seen.get(h);
      if (other !== undefined) pair = [other, k];
      seen.set(h, k);
    }
    const [a, b] = pair;
    expect(a).not.toEqual(b);
    expect(hashInts(Int32Array.from(a), 2)).toBe(hashInts(Int32Array.from(b), 2));
    const v = new VisitedSet(2);
    expect(v.add(keyOf(...a))).toBe(-1);
    expect(v.add(keyOf(...b))).toBe(-2);
    expect(v.add(keyOf(...b))).toBe(1);
    expect(v.add(keyOf(...a))).toBe(0);
  });

  it('agrees with a map of strings over many keys of many lengths, as the table and the arena grow', () => {
    const next = random(12345);
    const v = new VisitedSet(4);
    const reference = new Map<string, number>();
    const pool: number[][] = [];
    const wrong: string[] = [];
    for (let n = 0; n < 100_000; n++) {
      // Half new random keys (small ints, so that some repeat), half keys met before.
      const ints = n % 2 && pool.length ? pool[(next() >>> 0) % pool.length] : Array.from({ length: (next() >>> 0) % 9 }, () => next() % 5);
      pool.push(ints);
      const k = ints.join(',') + ';';
      const expected = reference.get(k);
      const got = v.add(keyOf(...ints));
      if (expected === undefined) reference.set(k, reference.size);
      const want = expected ?? -reference.size;
      if (got !== want) wrong.push(`${k}: ${got}, not ${want}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(v.size).toBe(reference.size);
    expect(reference.size).toBeGreaterThan(5_000);
    expect(reference.size).toBeLessThan(80_000);
  });

  it('finds keys again across the chunks of the arena, one straddling two', () => {
    // Keys of 61 ints: 2^20 is no multiple of 61, so some key spans the first two chunks.
    const v = new VisitedSet();
    const key = (i: number) => keyOf(...Array.from({ length: 61 }, (_, j) => (i * 61 + j) ^ 0x5555));
    const count = 40_000; // 2.4 M ints: three chunks
    let wrong = 0;
    for (let i = 0; i < count; i++) if (v.add(key(i)) !== -1 - i) wrong++;
    for (let i = 0; i < count; i++) if (v.add(key(i)) !== i) wrong++;
    expect(wrong).toBe(0);
    const straddling = Math.floor(2 ** 20 / 61);
    expect([...v.keyOf(straddling)]).toEqual([...key(straddling).view()]);
    expect(v.bytes).toBeLessThan(4 * (3 * 2 ** 20 + 2 * count + 2 * 2 ** 17));
  });

  it('hashes every int and the length', () => {
    const h = (...ints: number[]) => hashInts(Int32Array.from(ints), ints.length);
    expect(h(1, 2)).not.toBe(h(2, 1));
    expect(h(0)).not.toBe(h(0, 0));
    expect(h()).not.toBe(h(0));
  });
});

describe('int keys', () => {
  it('grow as they are written', () => {
    const k = new IntKey();
    for (let i = 0; i < 1000; i++) k.push(i);
    expect(k.length).toBe(1000);
    expect(k.view()[999]).toBe(999);
    k.clear();
    expect(k.length).toBe(0);
  });

  it('refuse numbers that are not 32-bit integers: truncating one could merge states', () => {
    const k = new IntKey();
    expect(() => k.push(2 ** 31)).toThrow(RangeError);
    expect(() => k.push(0.5)).toThrow(RangeError);
    expect(() => k.push(NaN)).toThrow(RangeError);
    k.push(-(2 ** 31));
    k.push(2 ** 31 - 1);
    expect([...k.view()]).toEqual([-(2 ** 31), 2 ** 31 - 1]);
  });

  it('write wide numbers as one int or two, telling them apart', () => {
    const wide = (v: number) => {
      const k = new IntKey();
      k.pushWide(v);
      return [...k.view()];
    };
    expect(wide(5)).toEqual([5]);
    expect(wide(2 ** 31 - 1)).toEqual([2 ** 31 - 1]);
    expect(wide(2 ** 31)).toEqual([-2, 0]);
    expect(wide(2 ** 31 + 5)).toEqual([-2, 5]);
    expect(wide(2 ** 40 + 3)).toEqual([-1 - 2 ** 9, 3]);
    const all = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 50, 2 ** 53 - 1].map((v) => wide(v).join(','));
    expect(new Set(all).size).toBe(all.length);
    expect(() => wide(2 ** 53)).toThrow(RangeError);
  });
});
