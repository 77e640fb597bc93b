/**
 * Two-way selection (双向选择) of the fill phase (phase 6, MODEL.md §3.6; the
 * phase: ../fill.ts): the open posts of a rank are matched in batches by
 * deferred acceptance (matching.ts) — candidates propose in order of their
 * utility, posts hold the best score — where a candidate who is not a planned
 * mover only proposes to posts preferred to their own; up to MAX_ROUNDS
 * batches, as each round's moves open posts of the same rank.
 * Reads: shortlists and scores, utilities. Writes: moves (chains.ts).
 */
import { deferredAcceptance } from '../../matching.js';
import { closeUnfilled, move, moveType, popOpen } from './chains.js';
import { shortlist } from './shortlist.js';
import { MAX_ROUNDS, type Ctx } from './state.js';

export function fillTwoWay(ctx: Ctx, r: number): void {
  const { sim, st } = ctx;
  const w = sim.world;
  const local = (st.local ??= new Int32Array(sim.store.capacity).fill(-1));
  for (let round = 0; round < MAX_ROUNDS && st.qHead[r]! < st.qTail[r]!; round++) {
    const batch: number[] = [];
    const batchChain: number[] = [];
    while (st.qHead[r]! < st.qTail[r]!) {
      const q = popOpen(st, r);
      if (sim.occupant[q]! < 0) { batch.push(q); batchChain.push(st.chain); }
    }
    // Edges (candidate, post) with the post's score of the candidate and the candidate's utility of the post.
    const cadres: number[] = [];
    const eCand: number[] = [];
    const ePost: number[] = [];
    const eScore: number[] = [];
    const eUtil: number[] = [];
    const ePromo: number[] = [];
    const ucur: number[] = [];
    for (let j = 0; j < batch.length; j++) {
      const q = batch[j]!;
      const n = shortlist(ctx, q, r, w.postRegion[q]!, w.postSystem[q]!);
      for (let i = 0; i < n; i++) {
        const c = st.cand[i]!;
        let li = local[c]!;
        if (li < 0) {
          li = cadres.length;
          local[c] = li;
          cadres.push(c);
          ctx.cu.load(c);
          ucur.push(ctx.cu.current());
        }
        ctx.cu.load(c);
        const u = ctx.cu.at(w.postRegion[q]!, r, w.postSystem[q]!);
        // A planned mover must go somewhere; anyone else only takes a post they prefer to their own.
        if (!sim.store.mover[c] && u <= ucur[li]!) continue;
        eCand.push(li); ePost.push(j); eScore.push(st.candScore[i]!); eUtil.push(u); ePromo.push(st.candPromo[i]!);
      }
    }
    // Rows per candidate, best utility first (ties: lower post index).
    const order = eCand.map((_, i) => i).sort((a, b) => eCand[a]! - eCand[b]! || eUtil[b]! - eUtil[a]! || ePost[a]! - ePost[b]!);
    const start = new Int32Array(cadres.length + 1);
    for (const e of order) start[eCand[e]! + 1]!++;
    for (let i = 0; i < cadres.length; i++) start[i + 1]! += start[i]!;
    const recv = new Int32Array(order.length);
    const sc = new Float64Array(order.length);
    order.forEach((e, i) => { recv[i] = ePost[e]!; sc[i] = eScore[e]!; });
    const m = deferredAcceptance(cadres.length, batch.length, start, recv, sc);
    for (const c of cadres) local[c] = -1;
    for (let j = 0; j < batch.length; j++) {
      const q = batch[j]!;
      st.chain = batchChain[j]!;
      const li = m.receiverMatch[j]!;
      if (li < 0) { closeUnfilled(ctx, q); continue; }
      const c = cadres[li]!;
      // Promotion if the candidate's rank is below the post's.
      move(sim, st, c, q, moveType(sim, c, q, sim.store.rank[c]! < r));
    }
  }
  // Posts still open after the last round stay vacant.
  while (st.qHead[r]! < st.qTail[r]!) {
    const q = popOpen(st, r);
    if (sim.occupant[q]! < 0) closeUnfilled(ctx, q);
  }
}
