// Relations over a candidate's events as adjacency lists, and the one question the
// axioms ask of them: is their union acyclic?

export type Edges = number[][];

export function emptyEdges(n: number): Edges {
  return Array.from({ length: n }, () => []);
}

export function addEdge(e: Edges, a: number, b: number): void {
  e[a].push(b);
}

/**
 * Whether the union of the given relations (over nodes 0..n-1) has no cycle. Nodes not
 * in `nodes` (when given) are ignored, as are edges to them.
 */
export function acyclic(n: number, rels: readonly Edges[], nodes?: readonly number[]): boolean {
  // 0 unvisited, 1 on the stack, 2 done
  const color = new Uint8Array(n);
  const inside = nodes ? new Uint8Array(n) : undefined;
  if (inside) for (const v of nodes!) inside[v] = 1;
  const roots = nodes ?? Array.from({ length: n }, (_, i) => i);
  const stackV: number[] = [];
  const stackR: number[] = [];
  const stackI: number[] = [];
  for (const root of roots) {
    if (color[root]) continue;
    color[root] = 1;
    stackV.push(root);
    stackR.push(0);
    stackI.push(0);
    while (stackV.length) {
      const top = stackV.length - 1;
      const v = stackV[top];
      let r = stackR[top];
      let i = stackI[top];
      let pushed = false;
      while (r < rels.length) {
        const out = rels[r][v];
        while (i < out.length) {
          const w = out[i++];
          if (inside && !inside[w]) continue;
          if (color[w] === 1) return false;
          if (color[w] === 0) {
            stackR[top] = r;
            stackI[top] = i;
            color[w] = 1;
            stackV.push(w);
            stackR.push(0);
            stackI.push(0);
            pushed = true;
            break;
          }
        }
        if (pushed) break;
        r++;
        i = 0;
      }
      if (!pushed) {
        color[v] = 2;
        stackV.pop();
        stackR.pop();
        stackI.pop();
      }
    }
  }
  return true;
}
