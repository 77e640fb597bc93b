/**
 * The fields that the fill phase reads for every candidate, packed into one
 * 32-byte record per cadre (built once a year by a sequential pass), so a
 * candidate drawn at random costs one cache line instead of a dozen column
 * reads. The columns stay the record of truth; fill keeps both in step for
 * the fields it changes (post, region, rank, moved).
 */
import type { Sim } from './sim.js';
import { exchangedInRank, exchangeExperience } from './store.js';

export const STRIDE = 8;
export const P_POST = 0;
export const P_REGION = 1;
export const P_HOME = 2;
export const P_PERF = 3; // float
export const P_A = 4; // rank | age << 8 | female << 16 | flags << 24
export const P_B = 5; // domains | levels << 8 | systems << 16 | mover << 24
export const P_EXCH = 6; // exchange experience | system of the current post << 16
export const P_UNIT = 7; // unit of the current post

export const FL_MOVED = 1;
export const FL_WITHHELD = 2;
export const FL_EXCHANGED_IN_RANK = 4;
export const FL_PROMOTABLE = 8;

export class Packed {
  readonly i: Int32Array;
  readonly f: Float32Array;
  constructor(capacity: number) {
    const buf = new ArrayBuffer(capacity * STRIDE * 4);
    this.i = new Int32Array(buf);
    this.f = new Float32Array(buf);
  }

  /** Packs every slot; `promoKey(c) ≥ 0` marks the cadres eligible for promotion this year. */
  build(sim: Sim, promoKey: (c: number) => number): void {
    const s = sim.store;
    const I = this.i;
    const F = this.f;
    for (let c = 0; c < s.capacity; c++) {
      const o = c * STRIDE;
      const post = s.post[c]!;
      I[o + P_POST] = post;
      if (post < 0) { I[o + P_A] = FL_MOVED << 24; continue; }
      I[o + P_REGION] = s.region[c]!;
      I[o + P_HOME] = s.home[c]!;
      F[o + P_PERF] = s.performance[c]!;
      const flags = (s.moved[c] || s.secondRegion[c]! >= 0 ? FL_MOVED : 0) | (s.withheld[c] ? FL_WITHHELD : 0) | (exchangedInRank(s, c) ? FL_EXCHANGED_IN_RANK : 0) | (promoKey(c) >= 0 ? FL_PROMOTABLE : 0);
      I[o + P_A] = s.rank[c]! | (s.age[c]! << 8) | (s.female[c]! << 16) | (flags << 24);
      I[o + P_B] = s.domainsServed[c]! | (s.levelsServed[c]! << 8) | (s.systemsServed[c]! << 16) | (s.mover[c]! << 24);
      I[o + P_EXCH] = Math.min(0xffff, exchangeExperience(s, c)) | (sim.world.postSystem[post]! << 16);
      I[o + P_UNIT] = sim.world.postUnit[post]!;
    }
  }

  /** Records a move (or a recruit) into post `post` in region `region` at rank `rank`. */
  moved(sim: Sim, c: number, post: number, region: number, rank: number): void {
    const o = c * STRIDE;
    this.i[o + P_POST] = post;
    this.i[o + P_UNIT] = sim.world.postUnit[post]!;
    this.i[o + P_EXCH] = (this.i[o + P_EXCH]! & 0xffff) | (sim.world.postSystem[post]! << 16);
    this.i[o + P_REGION] = region;
    this.i[o + P_A] = (this.i[o + P_A]! & ~0xff) | rank | (FL_MOVED << 24);
  }
}
