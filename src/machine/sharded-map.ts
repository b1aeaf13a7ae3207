// A string-keyed map split over many Maps: one V8 Map holds at most 2^24 entries, and a
// search may meet more distinct parts of states than that. Used by the machine to intern
// the rare parts of its state keys that are strings (the explorer's visited set and the
// harts' common parts are ints: machine/int-tuples.ts).

export class ShardedMap {
  private readonly shards: Map<string, number>[] = Array.from({ length: 64 }, () => new Map());
  size = 0;

  private shard(key: string): Map<string, number> {
    let h = 0x811c9dc5; // FNV-1a
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return this.shards[(h >>> 26) & 63];
  }

  /** The number for `key`, a new one (the count so far) if it had none. */
  intern(key: string): number {
    const m = this.shard(key);
    let id = m.get(key);
    if (id === undefined) m.set(key, (id = this.size++));
    return id;
  }
}
