/**
 * Candidate pools of the fill phase (docs/DESIGN.md "Speed"): members grouped by an
 * integer key (e.g. region·4 + rank), built once a year by counting sort in
 * O(N), members in slot order. Each position holds a record: the member's
 * slot and a copy of the fields the fill phase reads for a candidate.
 *
 * Why copies: a shortlist draws members at random from a pool, and the mover
 * and applicant pools are scattered over the whole store, so reading the
 * candidate from per-cadre arrays (or one per-cadre record) costs a miss to
 * main memory at a million cadres. A pool's records are contiguous, so its
 * draws stay in cache; and only pool members get a record (about half the
 * cadres), not every slot.
 *
 * The copies are frozen when the pools are built. That is sound because
 * during the fill phase a cadre's record changes only when the cadre moves,
 * and a cadre who has moved is never admissible again this year: the caller
 * checks a bitset of this year's movers (MovedBits, 1 bit per slot, so it stays
 * in cache) before it uses the rest of a record. Deletion is lazy: a cadre
 * who has moved stays listed and is skipped when drawn.
 */
import type { Sim } from './sim.js';
import { scratch } from './scratch.js';

export const STRIDE = 5;
export const R_CADRE = 0;
/** Unit of the current post; its region and system are the world's unitRegion and unitSystem (the cadre is not seconded). */
export const R_UNIT = 1;
export const R_PERF = 2; // float
export const R_A = 3; // rank | age << 8 | female << 16 | flags << 24
export const R_B = 4; // domains | mover type << 8 | exchange experience (capped at 0xffff) << 16

/** Not available when the pools were built (seconded). */
export const FL_AWAY = 1;
export const FL_WITHHELD = 2;
export const FL_EXCHANGED_IN_RANK = 4;
export const FL_PROMOTABLE = 8;
/** The current post is a key post or a head (F_KEY | F_HEAD): what hometown avoidance looks at. */
export const FL_KEY_POST = 16;

export class Buckets {
  readonly start: Int32Array;
  /** STRIDE words per position: the member's record (ints and, at R_PERF, a float). */
  rec: Int32Array;
  recF: Float32Array;

  constructor(nKeys: number) {
    this.start = new Int32Array(nKeys + 1);
    this.rec = new Int32Array(0);
    this.recF = new Float32Array(0);
  }

  /**
   * Starts a build: start[key + 1] holds the members of each key (start[0] =
   * 0) and is turned into the start offsets in place; the records go into
   * the run's scratch buffer (scratch.ts), which grows when the pools do.
   */
  prepare(sim: Sim): void {
    const start = this.start;
    const nKeys = start.length - 1;
    for (let k = 0; k < nKeys; k++) start[k + 1]! += start[k]!;
    const words = start[nKeys]! * STRIDE;
    const buf = scratch(sim, words * 4);
    if (this.rec.buffer !== buf || this.rec.length < words) {
      this.rec = new Int32Array(buf, 0, buf.byteLength >>> 2);
      this.recF = new Float32Array(buf, 0, buf.byteLength >>> 2);
    }
  }

  /** After the members were placed with start[k] as the cursor: shifts the offsets back. */
  finish(): void {
    const start = this.start;
    for (let k = start.length - 1; k > 0; k--) start[k] = start[k - 1]!;
    start[0] = 0;
  }

  count(k: number): number {
    return this.start[k + 1]! - this.start[k]!;
  }

  /** Position of the member at index i (0 ≤ i < count(k)) of bucket k: its record is rec[pos·STRIDE ..]. */
  pos(k: number, i: number): number {
    return this.start[k]! + i;
  }
}

/**
 * The cadres who have moved since the pools were built, one bit per slot (a
 * million cadres take 128 KiB, which stays in cache where the byte column
 * `moved` would not). Kept by the fill phase next to the store's column.
 */
export class MovedBits {
  bits: Int32Array;
  constructor(capacity: number) {
    this.bits = new Int32Array((capacity + 31) >>> 5);
  }
  clear(): void {
    this.bits.fill(0);
  }
  set(c: number): void {
    this.bits[c >>> 5]! |= 1 << (c & 31);
  }
  has(c: number): boolean {
    return (this.bits[c >>> 5]! & (1 << (c & 31))) !== 0;
  }
}
