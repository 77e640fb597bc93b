/**
 * Vacancy chains of the fill phase (phase 6, MODEL.md §3.6; the phase:
 * ../fill.ts; White 1970): every post vacant at the start of the phase opens
 * a chain and is queued at its rank; a move into an open post opens the
 * mover's old post, which continues the chain one step; a chain ends when a
 * post is filled by a recruit (completed) or stays vacant. The queues hold
 * (post, chain) pairs; the chains' starting ranks and lengths are tallied for
 * the metrics.
 * Reads: occupants, the posts' ranks. Writes: the move log, cadres' posts,
 * regions and ranks, occupants, the queues, the chain counters, recruits.
 */
import type { Sim } from '../../sim.js';
import { recruit } from '../../population.js';
import { uniform } from '../../../random/hash.js';
import { MT_PROMOTION, MT_STRUCTURAL, MT_VOLUNTARY } from '../../../world/constants.js';
import { leavePools, type Ctx, type FillState } from './state.js';

/**
 * Every post vacant at the start of the phase starts a vacancy chain and is
 * queued at its rank. (A function of its own, so its loops are optimised apart
 * from the rest of the phase.)
 */
export function startChains(sim: Sim, st: FillState): void {
  const w = sim.world;
  st.qHead.fill(0);
  st.qTail.fill(0);
  const occupant = sim.occupant;
  for (let q = 0, k = 0; q < w.nPosts; q++) {
    if (occupant[q]! >= 0) continue;
    if (k === st.chainLen.length) {
      const rank = new Uint8Array(Math.ceil(k * 1.5) + 1024);
      rank.set(st.chainRank);
      st.chainRank = rank;
      st.chainLen = new Int32Array(rank.length);
    }
    st.chainRank[k] = w.postRank[q]!;
    st.chainLen[k] = 0;
    pushOpen(st, sim, q, k++);
  }
}

export function moveType(sim: Sim, c: number, q: number, promotion: boolean): number {
  if (sim.postNeed[q]) return MT_STRUCTURAL;
  const m = sim.store.mover[c]!;
  if (m) return m;
  return promotion ? MT_PROMOTION : MT_VOLUNTARY;
}

/**
 * Queues open post q of vacancy chain k at its rank, with the post's region and
 * system (read here, where the caller has the post at hand, so that taking it
 * from the queue reads no post array). An entry is 4 words: post, chain,
 * region, system. The queue grows by half when full; readers index st.queue[r]
 * afresh, never a saved reference.
 */
export function pushOpen(st: FillState, sim: Sim, q: number, k: number): void {
  const w = sim.world;
  const r = w.postRank[q]!;
  let queue = st.queue[r]!;
  const i = 4 * st.qTail[r]!++;
  if (i === queue.length) {
    const grown = new Int32Array(queue.length + 4 * ((queue.length >> 3) + 16));
    grown.set(queue);
    st.queue[r] = queue = grown;
  }
  queue[i] = q;
  queue[i + 1] = k;
  queue[i + 2] = w.postRegion[q]!;
  queue[i + 3] = w.postSystem[q]!;
}

/** Takes the next open post of rank r from its queue; its chain becomes st.chain, its region st.openRegion, its system st.openSystem. */
export function popOpen(st: FillState, r: number): number {
  const i = 4 * st.qHead[r]!++;
  const queue = st.queue[r]!;
  st.chain = queue[i + 1]!;
  st.openRegion = queue[i + 2]!;
  st.openSystem = queue[i + 3]!;
  return queue[i]!;
}

/** Moves cadre c into open post q; its old post opens and continues q's vacancy chain (st.chain). */
export function move(sim: Sim, st: FillState | undefined, c: number, q: number, type: number): void {
  const s = sim.store;
  const w = sim.world;
  const from = s.post[c]!;
  if (st) leavePools(st, c);
  sim.log.push(c, from, q, s.region[c]!, w.postRegion[q]!, s.rank[c]!, w.postRank[q]!, type, s.yearsInPost[c]!, s.yearsInRank[c]!);
  sim.occupant[from] = -1;
  sim.occupant[q] = c;
  s.post[c] = q;
  s.region[c] = w.postRegion[q]!;
  s.rank[c] = w.postRank[q]!;
  s.moved[c] = 1;
  // Dissatisfaction with the old post does not carry over to the new one.
  s.satisfaction[c] = 0;
  sim.postNeed[q] = 0;
  if (st) {
    st.moved.set(c);
    const k = st.chain;
    st.chainLen[k]!++;
    pushOpen(st, sim, from, k);
  }
}

export function chainEnds(ctx: Ctx, completed: boolean): void {
  const { sim, st } = ctx;
  const k = st.chain;
  if (completed) {
    const r = st.chainRank[k]!;
    sim.counters.chainsDone[r]!++;
    sim.counters.chainsLen[r]! += st.chainLen[k]!;
  }
}

/** No internal candidate took q (of chain st.chain): at rank 0 a recruit may; otherwise it stays vacant. */
export function closeUnfilled(ctx: Ctx, q: number): void {
  const { sim, st } = ctx;
  const w = sim.world;
  if (w.postRank[q] === 0 && uniform(ctx.kRecruit, q) < ctx.recruitP[w.postRegion[q]!]!) {
    recruit(sim, q);
    st.chainLen[st.chain]!++;
    chainEnds(ctx, true);
  } else {
    chainEnds(ctx, false);
  }
}
