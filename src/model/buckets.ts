/**
 * Candidate pools keyed by an integer (e.g. region·4 + rank), built once a
 * year by counting sort in O(N) and shrunk by O(1) swap-removal as cadres
 * move: the indexes of DESIGN.md "Speed" that keep the fill phase linear.
 */
export class Buckets {
  readonly start: Int32Array;
  readonly size: Int32Array;
  readonly list: Int32Array;
  readonly pos: Int32Array;
  readonly keyOf: Int32Array;

  constructor(nKeys: number, capacity: number) {
    this.start = new Int32Array(nKeys + 1);
    this.size = new Int32Array(nKeys);
    this.list = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
    this.keyOf = new Int32Array(capacity);
  }

  /** Rebuilds from keys (one per slot; -1 = not in any bucket), members in slot order. */
  build(keys: Int32Array): void {
    const nKeys = this.size.length;
    this.size.fill(0);
    for (let c = 0; c < keys.length; c++) {
      const k = keys[c]!;
      this.keyOf[c] = k;
      if (k >= 0) this.size[k]!++;
    }
    this.start[0] = 0;
    for (let k = 0; k < nKeys; k++) this.start[k + 1] = this.start[k]! + this.size[k]!;
    const fill = this.size;
    fill.fill(0);
    for (let c = 0; c < keys.length; c++) {
      const k = keys[c]!;
      if (k < 0) continue;
      const i = this.start[k]! + fill[k]!++;
      this.list[i] = c;
      this.pos[c] = i;
    }
  }

  count(k: number): number {
    return this.size[k]!;
  }

  /** The member at position i (0 ≤ i < count(k)) of bucket k. */
  at(k: number, i: number): number {
    return this.list[this.start[k]! + i]!;
  }

  remove(c: number): void {
    const k = this.keyOf[c]!;
    if (k < 0) return;
    const i = this.pos[c]!;
    const last = this.start[k]! + this.size[k]! - 1;
    const other = this.list[last]!;
    this.list[i] = other;
    this.pos[other] = i;
    this.size[k]!--;
    this.keyOf[c] = -1;
  }
}
