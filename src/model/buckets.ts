/**
 * Candidate pools keyed by an integer (e.g. region·4 + rank), built once a
 * year by counting sort in O(N), members in slot order. Deletion is lazy: a
 * cadre who has moved stays listed and is skipped when drawn (its packed
 * record says it moved), which keeps the pools at 4 bytes per member and the
 * moves free of bookkeeping (DESIGN.md "Speed").
 */
export class Buckets {
  readonly start: Int32Array;
  readonly list: Int32Array;

  constructor(nKeys: number, capacity: number) {
    this.start = new Int32Array(nKeys + 1);
    this.list = new Int32Array(capacity);
  }

  /** Rebuilds from a key per slot (-1 = not in any bucket). */
  build(capacity: number, keyOf: (c: number) => number): void {
    const start = this.start;
    const nKeys = start.length - 1;
    start.fill(0);
    for (let c = 0; c < capacity; c++) {
      const k = keyOf(c);
      if (k >= 0) start[k + 1]!++;
    }
    for (let k = 0; k < nKeys; k++) start[k + 1]! += start[k]!;
    // Fill, using start[k] as the cursor, then shift back.
    for (let c = 0; c < capacity; c++) {
      const k = keyOf(c);
      if (k >= 0) this.list[start[k]!++] = c;
    }
    for (let k = nKeys; k > 0; k--) start[k] = start[k - 1]!;
    start[0] = 0;
  }

  count(k: number): number {
    return this.start[k + 1]! - this.start[k]!;
  }

  /** The member at position i (0 ≤ i < count(k)) of bucket k. */
  at(k: number, i: number): number {
    return this.list[this.start[k]! + i]!;
  }
}
