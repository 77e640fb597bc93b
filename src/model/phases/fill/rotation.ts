/**
 * Rotation (轮岗, 对调) in the fill phase (phase 6, MODEL.md §3.6; the phase:
 * ../fill.ts): after the open posts of a rank are filled, mandatory movers
 * still without a post swap posts pairwise. A swap opens no post.
 * Reads: the mover pools, admissibility, refusals. Writes: the move log,
 * posts, occupants; draws of the fill stream.
 */
import type { Sim } from '../../sim.js';
import { STRIDE, R_B, R_CADRE } from '../../buckets.js';
import { N_SYSTEMS } from '../../../world/constants.js';
import { refuses } from './directive.js';
import { admissible, isMandatory } from './shortlist.js';
import { isStale, leavePools, moverKey, type Ctx, type FillState } from './state.js';

/**
 * Rotation (轮岗, 对调): mandatory movers of rank r still without a post after
 * the open posts are filled swap posts pairwise with another such mover of
 * the province (same system first), where each may take the other's post and
 * neither refuses. A swap opens no post, so it needs no vacancy.
 */
export function rotate(ctx: Ctx, r: number): void {
  const { sim, st } = ctx;
  const s = sim.store;
  const w = sim.world;
  const twoWay = sim.k.twoWay;
  const k = sim.behavior.shortlist * 2;
  for (let prov = 0; prov < w.provinces.length; prov++) {
    for (let sys = 0; sys < N_SYSTEMS; sys++) {
      const key = moverKey(st, prov, sys, r);
      // Walk the pool (members who have moved are skipped: deletion is lazy; their records are marked stale).
      const pool = st.pools;
      if (st.live[key] === 0) continue;
      for (let i = 0; i < pool.count(key); i++) {
        const ia = pool.pos(key, i);
        const a = pool.rec[ia * STRIDE + R_CADRE]!;
        let partner = -1;
        // The planned move's type from the record (the store's mover column does not change in the phase).
        if (!isStale(st, ia) && isMandatory((pool.rec[ia * STRIDE + R_B]! >>> 8) & 0xff)) {
          for (let t = 0; t < k && partner < 0; t++) {
            const otherKey = t < k - 2 ? key : moverKey(st, prov, ctx.rng.int(N_SYSTEMS), r);
            // A pool with no live member offers no partner: no draw.
            if (st.live[otherKey] === 0) continue;
            const n = pool.count(otherKey);
            const ib = pool.pos(otherKey, ctx.rng.int(n));
            if (isStale(st, ib)) continue;
            const b = pool.rec[ib * STRIDE + R_CADRE]!;
            if (b === a || !isMandatory((pool.rec[ib * STRIDE + R_B]! >>> 8) & 0xff)) continue;
            const pa = s.post[a]!, pb = s.post[b]!;
            if (!admissible(sim, st, pool.rec, ia * STRIDE, pb, false) || !admissible(sim, st, pool.rec, ib * STRIDE, pa, false)) continue;
            if (!twoWay && (refuses(ctx, a, pb, (pool.rec[ia * STRIDE + R_B]! >>> 8) & 0xff) || refuses(ctx, b, pa, (pool.rec[ib * STRIDE + R_B]! >>> 8) & 0xff))) continue;
            partner = b;
          }
        }
        if (partner >= 0) swap(sim, st, a, partner);
      }
    }
  }
}

function swap(sim: Sim, st: FillState, a: number, b: number): void {
  const s = sim.store;
  const w = sim.world;
  const pa = s.post[a]!, pb = s.post[b]!;
  leavePools(st, a);
  leavePools(st, b);
  sim.log.push(a, pa, pb, s.region[a]!, w.postRegion[pb]!, s.rank[a]!, w.postRank[pb]!, s.mover[a]!, s.yearsInPost[a]!, s.yearsInRank[a]!);
  sim.log.push(b, pb, pa, s.region[b]!, w.postRegion[pa]!, s.rank[b]!, w.postRank[pa]!, s.mover[b]!, s.yearsInPost[b]!, s.yearsInRank[b]!);
  takePost(sim, st, a, pb);
  takePost(sim, st, b, pa);
}

/** Cadre c takes post `to` in a swap (its old post is taken by the other). */
function takePost(sim: Sim, st: FillState, c: number, to: number): void {
  const s = sim.store;
  sim.occupant[to] = c;
  s.post[c] = to;
  s.region[c] = sim.world.postRegion[to]!;
  s.moved[c] = 1;
  st.moved.set(c);
  s.satisfaction[c] = 0;
  sim.postNeed[to] = 0;
}
