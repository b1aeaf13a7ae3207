// findLoops (explore.ts): the places where runs go round for ever with no way to end, the
// bottom strongly connected components that have an edge, each by its first state.

import { describe, expect, it } from 'vitest';
import { findLoops } from '../../src/explore/explore.ts';

/** A graph from its edge lists, as the search keeps it (start offsets, targets). */
function loops(edges: number[][]): number[] {
  const start = new Int32Array(edges.length + 1);
  edges.forEach((out, i) => (start[i + 1] = start[i] + out.length));
  return findLoops(edges.length, start, Int32Array.from(edges.flat()));
}

describe('findLoops', () => {
  it('finds none in a graph where every run ends', () => {
    expect(loops([[1, 2], [3], [3], []])).toEqual([]);
  });

  it('finds a cycle with no way out, by its first state, and a state stepping to itself', () => {
    expect(loops([[1, 3], [2], [1], []])).toEqual([1]);
    expect(loops([[1], [1]])).toEqual([1]);
  });

  it('leaves out a cycle with a way out, even one into another cycle', () => {
    expect(loops([[1], [0, 2], []])).toEqual([]);
    expect(loops([[1], [0, 2], [3], [2]])).toEqual([2]);
  });

  it('finds each of several, in order', () => {
    expect(loops([[1, 3, 5], [2], [1], [4], [3], [5]])).toEqual([1, 3, 5]);
  });
});
